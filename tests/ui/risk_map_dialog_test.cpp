// The Make risk map dialog and job: the dialog offers the registry's references, refuses an
// incomplete form with a message naming the field, proposes <workspace>/maps/<input>_risk.tif, and
// a risk map started from the window scores the raster with the registered version, shows the
// probability and classes on the Map page and logs the scoring to the monitoring log.
#include <QComboBox>
#include <QLineEdit>
#include <QListWidget>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>


#include "core/common/error.h"
#include "core/geo/raster_stack.h"
#include "core/store/monitoring_log.h"
#include "core/store/registry.h"
#include "core/store/workspace.h"
#include "core/table/csv_writer.h"
#include "ui/main_window.h"
#include "ui/map/map_panel.h"
#include "ui/map/risk_map_dialog.h"
#include "tests/support/two_feature_fire.h"

using namespace geih;

namespace {

QString errorOf(const ui::RiskMapDialog& dialog) {
  try {
    dialog.request();
  } catch (const InputError& error) {
    return QString::fromStdString(error.what());
  }
  return QStringLiteral("(no error)");
}

// A 30 x 20 stack with bands a and b (a = column / 3, b = row / 2), 30 m pixels.
QString writeStack(const QString& path) {
  geih::testing::writeTwoFeatureStack(path.toStdString(), geih::testing::TwoFeatureStack{});
  return path;
}

}  // namespace

class RiskMapDialogTest : public QObject {
  Q_OBJECT

 private slots:
  void dialogNamesWhatIsMissingAndProposesTheOutput() {
    QTemporaryDir dir;
    const QString stack = writeStack(dir.filePath(QStringLiteral("stack.tif")));
    ui::RiskMapDialog dialog({QStringLiteral("fire@production"), QStringLiteral("fire@2")},
                             QStringLiteral("fire@2"), dir.filePath(QStringLiteral("maps")));
    QCOMPARE(dialog.modelChooser()->currentText(), QStringLiteral("fire@2"));
    QCOMPARE(dialog.modelChooser()->count(), 2);
    QVERIFY(errorOf(dialog).contains(QStringLiteral("input raster")));
    dialog.setInput(stack);
    QCOMPARE(dialog.outputEdit()->text(), dir.filePath(QStringLiteral("maps/stack_risk.tif")));
    dialog.classesChooser()->setCurrentText(QStringLiteral("low:0.3,high"));
    dialog.compressionChooser()->setCurrentIndex(1);
    const pipeline::RiskMapRequest request = dialog.request();
    QCOMPARE(request.model, std::string("fire@2"));
    QCOMPARE(request.classes.size(), std::size_t(2));
    QCOMPARE(request.classes[0].upper, 0.3);
    QVERIFY(request.compression == geo::Compression::Deflate);

    dialog.classesChooser()->setCurrentText(QStringLiteral("low:0.7,high:0.3,critical"));
    QVERIFY(errorOf(dialog) != QStringLiteral("(no error)"));
    dialog.classesChooser()->setCurrentText(QStringLiteral("default"));
    dialog.outputEdit()->setText(dir.filePath(QStringLiteral("map.png")));
    QVERIFY(errorOf(dialog).contains(QStringLiteral(".tif")));
    dialog.modelChooser()->setCurrentText(QString());
    QVERIFY(errorOf(dialog).contains(QStringLiteral("model")));
  }

  void riskMapFromTheWindowScoresWithTheRegisteredVersion() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    // Fire when 0.8 a - 0.5 b is large; trained and registered as fire version 1.
    geih::testing::TwoFeatureFire spec;
    spec.rows = 3000;
    spec.seed = 3;
    const table::Table data = geih::testing::twoFeatureFireTable(spec);
    const QString csv = dir.filePath(QStringLiteral("fire.csv"));
    table::writeCsv(data, csv.toStdString());
    const QString root = dir.filePath(QStringLiteral("ws"));
    (void)store::Workspace::open(root.toStdString());

    ui::MainWindow window;
    QSignalSpy opened(&window, &ui::MainWindow::workspaceOpened);
    window.openWorkspace(root);
    QVERIFY(opened.wait(10000));
    pipeline::TrainRequest train;
    train.dataFile = csv.toStdString();
    train.target = "fire";
    train.model = "logistic";
    train.experiment = "maps";
    QSignalSpy reopened(&window, &ui::MainWindow::workspaceOpened);
    window.startTraining(train);
    QVERIFY(reopened.wait(30000));
    {
      store::Workspace workspace = store::Workspace::open(root.toStdString());
      const auto runs = workspace.listRuns({});
      QCOMPARE(runs.size(), std::size_t(1));
      store::Registry(workspace).registerVersion("fire", runs[0].id);
    }
    QCOMPARE(window.modelReferences(), QStringList{QStringLiteral("fire@1")});

    pipeline::RiskMapRequest request;
    request.model = "fire@1";
    request.input = writeStack(dir.filePath(QStringLiteral("stack.tif"))).toStdString();
    request.output = (root + QStringLiteral("/maps/stack_risk.tif")).toStdString();
    QSignalSpy added(window.mapPanel(), &ui::MapPanel::layerAdded);
    window.startRiskMap(request);
    QTRY_COMPARE_WITH_TIMEOUT(window.mapPanel()->layers().size(), 2, 30000);
    QCOMPARE(window.pages()->currentWidget(), static_cast<QWidget*>(window.mapPanel()));
    QVERIFY(QFileInfo::exists(root + QStringLiteral("/maps/stack_risk_classes.tif")));
    QVERIFY(QFileInfo::exists(root + QStringLiteral("/maps/stack_risk_classes.png")));
    // The classified map is the top layer, so its legend shows.
    QVERIFY(window.mapPanel()->layerList()->item(0)->text().contains(QStringLiteral("classes")));

    store::Workspace workspace = store::Workspace::open(root.toStdString());
    const auto events = store::MonitoringLog(workspace).events("fire");
    QCOMPARE(events.size(), std::size_t(1));
    QCOMPARE(events[0].kind, std::string("score"));
    QCOMPARE(events[0].modelVersion, 1);
    QCOMPARE(events[0].rows, std::int64_t(600));
  }
};

QTEST_MAIN(RiskMapDialogTest)
#include "risk_map_dialog_test.moc"
