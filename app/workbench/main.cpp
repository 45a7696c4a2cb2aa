// geih-workbench [WORKSPACE] [--map RASTER]... [--screenshot FILE.png]
//
// Opens the workbench window on WORKSPACE (default: $GEIH_WORKSPACE, else ./geih-workspace).
// With --screenshot, waits until the workspace and the selected runs' curves are shown, saves
// the window as a PNG and quits (exit code 1 if the workspace could not be opened or the file
// not written).
#include <cstdio>
#include <memory>

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QIcon>
#include <QPixmap>
#include <QThread>
#include <QTimer>

#include "ui/map/map_canvas.h"
#include "ui/map/map_panel.h"

#include "core/store/workspace.h"
#include "ui/common/task_runner.h"
#include "ui/main_window.h"

int main(int argc, char* argv[]) {
  QApplication app(argc, argv);
  Q_INIT_RESOURCE(geih);  // the icons live in the static geih_ui library
  QApplication::setApplicationName(QStringLiteral("geih-workbench"));
  QApplication::setApplicationDisplayName(QStringLiteral("GEIH Workbench"));
  QApplication::setApplicationVersion(QStringLiteral("0.1.0"));
  QApplication::setOrganizationName(QStringLiteral("GEIH"));
  QApplication::setOrganizationDomain(QStringLiteral("geih.org"));
  QApplication::setWindowIcon(QIcon(QStringLiteral(":/geih/icons/geih.svg")));

  QCommandLineParser parser;
  parser.setApplicationDescription(
      QStringLiteral("Explore, compare and promote the experiments of a GEIH workspace."));
  parser.addHelpOption();
  parser.addVersionOption();
  parser.addPositionalArgument(
      QStringLiteral("workspace"),
      QStringLiteral("Workspace folder (default: $GEIH_WORKSPACE, else ./geih-workspace)."),
      QStringLiteral("[WORKSPACE]"));
  const QCommandLineOption screenshotOption(
      QStringLiteral("screenshot"),
      QStringLiteral("Save the window to FILE.png once the workspace is shown, then quit."),
      QStringLiteral("FILE.png"));
  parser.addOption(screenshotOption);
  const QCommandLineOption mapOption(
      QStringLiteral("map"),
      QStringLiteral("Show this raster on the Map page (repeatable: later ones on top)."),
      QStringLiteral("RASTER"));
  parser.addOption(mapOption);
  parser.process(app);

  const QStringList positional = parser.positionalArguments();
  if (positional.size() > 1) {
    std::fprintf(stderr, "geih-workbench: expected at most one WORKSPACE argument\n");
    return 2;
  }
  const QString workspace =
      positional.isEmpty()
          ? QString::fromStdU16String(geih::store::defaultWorkspacePath().u16string())
          : positional.front();

  geih::ui::MainWindow window;
  const QString screenshot = parser.value(screenshotOption);
  if (screenshot.isEmpty()) {
    window.restoreSettings();
  } else {
    // Saved once nothing runs any more: the workspace, then the selection's curves and detail.
    auto failed = std::make_shared<bool>(false);
    QObject::connect(&window, &geih::ui::MainWindow::workspaceOpenFailed, &app,
                     [failed](const QString&, const QString& message) {
                       std::fprintf(stderr, "geih-workbench: %s\n", qPrintable(message));
                       *failed = true;
                     });
    QObject::connect(window.taskRunner(), &geih::ui::TaskRunner::busyChanged, &app,
                     [&window, screenshot, failed](bool busy) {
                       if (busy) return;
                       // Let pending layout and paint requests settle first.
                       QTimer::singleShot(100, &window, [&window, screenshot, failed] {
                         if (window.taskRunner()->isBusy()) return;
                         // Map tiles are drawn off the task runner: wait for the last ones.
                         auto* canvas = window.mapPanel()->canvas();
                         for (int i = 0; i < 100 && !canvas->isComplete(); ++i) {
                           QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
                           canvas->repaint();
                           QThread::msleep(50);
                         }
                         const bool saved = window.grab().save(screenshot);
                         if (!saved) {
                           std::fprintf(stderr, "geih-workbench: could not write %s\n",
                                        qPrintable(screenshot));
                         }
                         QCoreApplication::exit(saved && !*failed ? 0 : 1);
                       });
                     });
  }
  window.show();
  window.openWorkspace(workspace);
  if (const QStringList rasters = parser.values(mapOption); !rasters.isEmpty()) window.showOnMap(rasters);
  return app.exec();
}
