// The whole window on a real temporary workspace written through the store API: it loads in the
// background, selects the best runs, and redraws the charts when the selection changes.
#include <QChart>
#include <QItemSelectionModel>
#include <QLineSeries>
#include <QSignalSpy>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include "core/eval/binary_metrics.h"
#include "core/eval/curves.h"
#include "core/store/workspace.h"
#include "ui/common/task_runner.h"
#include "ui/eval/curve_chart_widget.h"
#include "ui/main_window.h"
#include "ui/store/experiments_model.h"
#include "ui/store/experiments_panel.h"
#include "ui/store/run_detail_widget.h"
#include "ui/store/runs_panel.h"
#include "ui/store/runs_proxy_model.h"
#include "ui/store/runs_table_model.h"

using geih::ui::MainWindow;
using geih::ui::RunsTableModel;

namespace {

struct FakeRun {
  std::string name;
  std::string c;
  std::vector<double> scores;
};

// One experiment, three finished runs with params, metrics and ROC / PR curves.
void buildWorkspace(const std::filesystem::path& root) {
  using namespace geih;
  store::Workspace workspace = store::Workspace::open(root);
  const std::int64_t experiment = workspace.createExperiment("fire-risk", "test experiment");
  const std::vector<double> labels = {0, 0, 1, 0, 1, 1, 0, 1, 0, 1};
  const std::vector<FakeRun> runs = {
      {"logistic-c0.1", "0.1", {0.1, 0.3, 0.35, 0.4, 0.8, 0.7, 0.2, 0.9, 0.6, 0.5}},
      {"logistic-c1", "1", {0.1, 0.2, 0.7, 0.3, 0.8, 0.9, 0.2, 0.6, 0.4, 0.95}},
      {"logistic-c10", "10", {0.5, 0.2, 0.4, 0.6, 0.3, 0.9, 0.7, 0.8, 0.1, 0.55}},
  };
  for (const FakeRun& fake : runs) {
    store::NewRun spec;
    spec.name = fake.name;
    spec.seed = 42;
    const std::string id = workspace.createRun(experiment, spec);
    workspace.logParams(id, {{"model", "logistic"}, {"C", fake.c}});
    workspace.logMetrics(id, {{"roc_auc", eval::rocAuc(labels, fake.scores)},
                              {"average_precision", eval::averagePrecision(labels, fake.scores)}});
    workspace.logCurve(id, "roc", eval::toJson(eval::rocCurve(labels, fake.scores)).dump());
    workspace.logCurve(id, "pr", eval::toJson(eval::prCurve(labels, fake.scores)).dump());
    workspace.setTag(id, "purpose", "test");
    workspace.finishRun(id, store::RunStatus::Finished);
  }
}

void selectRows(QTableView* view, const QList<int>& rows) {
  QItemSelection selection;
  for (int row : rows) {
    selection.select(view->model()->index(row, 0), view->model()->index(row, 0));
  }
  view->selectionModel()->select(selection,
                                 QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

}  // namespace

class MainWindowTest : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QVERIFY(m_dir.isValid());
    buildWorkspace(std::filesystem::path(m_dir.path().toStdString()));
  }

  void loadsTheWorkspaceAndFollowsTheSelection() {
    MainWindow window;
    QSignalSpy opened(&window, &MainWindow::workspaceOpened);
    window.show();
    window.openWorkspace(m_dir.path());

    QTRY_COMPARE(opened.count(), 1);
    QVERIFY(window.windowTitle().contains(m_dir.path()));
    auto* experiments = window.experimentsPanel()->model();
    QCOMPARE(experiments->rowCount(), 1);
    QCOMPARE(experiments->index(0).data().toString(), QStringLiteral("fire-risk"));
    QCOMPARE(experiments->index(0).data(geih::ui::ExperimentsModel::RunCountRole).toInt(), 3);
    QCOMPARE(window.experimentsPanel()->currentExperimentId(),
             experiments->index(0).data(geih::ui::ExperimentsModel::IdRole).toLongLong());

    auto* runs = window.runsPanel();
    QTRY_COMPARE(runs->model()->rowCount(), 3);  // the first page arrives in the background
    QVERIFY(runs->model()->metricKeys().contains(QStringLiteral("roc_auc")));

    // The best three runs by ROC AUC are selected and overlaid right after loading.
    auto* chart = window.curveChart();
    QTRY_COMPARE(chart->rocRunSeries().size(), 3);
    QCOMPARE(chart->prRunSeries().size(), 3);
    QVERIFY(chart->rocSeriesNames().join(' ').contains(QStringLiteral("AUC")));
    QTRY_VERIFY(!window.runDetail()->runId().isEmpty());
    QTRY_VERIFY(!window.taskRunner()->isBusy());

    // Two rows → two runs in the charts, named after them.
    QTableView* view = runs->view();
    selectRows(view, {0, 2});
    const QStringList selected = runs->selectedRunIds();
    QCOMPARE(selected.size(), 2);
    QTRY_COMPARE(chart->rocRunSeries().size(), 2);
    QCOMPARE(chart->prRunSeries().size(), 2);
    QCOMPARE(chart->rocChart()->series().size(), 3);  // + the chance line
    const QString firstName = view->model()->index(0, 0).data().toString();
    QVERIFY2(chart->rocSeriesNames().value(0).startsWith(firstName),
             qPrintable(chart->rocSeriesNames().join(", ")));

    // One row → one run, and its detail.
    selectRows(view, {1});
    view->selectionModel()->setCurrentIndex(view->model()->index(1, 0),
                                            QItemSelectionModel::NoUpdate);
    QTRY_COMPARE(chart->rocRunSeries().size(), 1);
    const QString runId = view->model()->index(1, 0).data(RunsTableModel::RunIdRole).toString();
    QTRY_COMPARE(window.runDetail()->runId(), runId);
    QCOMPARE(window.runDetail()->paramsTable()->rowCount(), 2);
    QCOMPARE(window.runDetail()->tagsTable()->rowCount(), 1);

    // Nothing selected → the placeholder.
    view->clearSelection();
    QTRY_COMPARE(chart->rocRunSeries().size(), 0);
    QVERIFY(!chart->isShowingCharts());
    QTRY_VERIFY(!window.taskRunner()->isBusy());
  }

  void reloadKeepsTheSelection() {
    MainWindow window;
    QSignalSpy opened(&window, &MainWindow::workspaceOpened);
    window.openWorkspace(m_dir.path());
    QTRY_COMPARE(opened.count(), 1);
    QTRY_VERIFY(!window.taskRunner()->isBusy());
    QTRY_COMPARE(window.runsPanel()->model()->rowCount(), 3);
    QTableView* view = window.runsPanel()->view();
    selectRows(view, {2});
    const QStringList before = window.runsPanel()->selectedRunIds();
    QTRY_COMPARE(window.curveChart()->rocRunSeries().size(), 1);

    QAction* reload = nullptr;
    for (QAction* action : window.findChildren<QAction*>()) {
      if (action->shortcut() == QKeySequence(QKeySequence::Refresh)) reload = action;
    }
    QVERIFY(reload && reload->isEnabled());
    reload->trigger();
    QTRY_COMPARE(opened.count(), 2);
    QTRY_COMPARE(window.runsPanel()->selectedRunIds(), before);
    QTRY_VERIFY(!window.taskRunner()->isBusy());
    QCOMPARE(window.curveChart()->rocRunSeries().size(), 1);
  }

  void aMissingWorkspaceSaysWhatToDo() {
    MainWindow window;
    QSignalSpy failed(&window, &MainWindow::workspaceOpenFailed);
    const QString missing = m_dir.path() + QStringLiteral("/nothing-here");
    window.openWorkspace(missing);
    QTRY_COMPARE(failed.count(), 1);
    const QString message = failed.at(0).at(1).toString();
    QVERIFY2(message.contains(QStringLiteral("geih demo --workspace")), qPrintable(message));
    QVERIFY(!QFileInfo::exists(missing));  // opening never creates a workspace
    QCOMPARE(window.experimentsPanel()->model()->rowCount(), 0);
  }

 private:
  QTemporaryDir m_dir;
};

QTEST_MAIN(MainWindowTest)
#include "main_window_test.moc"
