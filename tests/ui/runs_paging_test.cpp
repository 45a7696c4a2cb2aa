// The runs panel reads a large experiment page by page: the first page holds the best runs by
// ROC AUC (sorted by the workspace, not among the loaded rows), fetchMore() appends the next page,
// and sorting by another column while runs are missing re-queries the workspace.
#include <set>

#include <QHeaderView>
#include <QLabel>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include "core/store/workspace.h"
#include "ui/common/task_runner.h"
#include "ui/store/runs_panel.h"
#include "ui/store/runs_proxy_model.h"
#include "ui/store/runs_table_model.h"

using geih::ui::RunsPanel;
using geih::ui::RunsTableModel;

namespace {

constexpr int kRuns = 230;
constexpr int kPage = 50;

// Run i has roc_auc 0.5 + i/1000 and loss i, so "best by AUC" and "lowest loss" are known sets.
std::int64_t buildWorkspace(const std::filesystem::path& root) {
  using namespace geih;
  store::Workspace workspace = store::Workspace::open(root);
  const std::int64_t experiment = workspace.createExperiment("many runs");
  for (int i = 0; i < kRuns; ++i) {
    store::NewRun spec;
    spec.name = "run-" + std::to_string(i);
    const std::string id = workspace.createRun(experiment, spec);
    workspace.logParams(id, {{"i", std::to_string(i)}, {"model", "logistic"}});
    workspace.logMetrics(id, {{"roc_auc", 0.5 + i / 1000.0}, {"loss", double(i)}});
    workspace.finishRun(id, store::RunStatus::Finished);
  }
  return experiment;
}

std::set<int> loadedIndices(const RunsTableModel& model) {
  std::set<int> indices;
  for (const auto& run : model.runs()) indices.insert(std::stoi(run.params.at("i")));
  return indices;
}

std::set<int> range(int first, int last) {
  std::set<int> values;
  for (int i = first; i <= last; ++i) values.insert(i);
  return values;
}

}  // namespace

class RunsPagingTest : public QObject {
  Q_OBJECT

 private slots:
  void pagesInSortsOnTheServerAndCountsTheTotal() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString root = dir.filePath(QStringLiteral("ws"));
    const std::int64_t experiment = buildWorkspace(std::filesystem::path(root.toStdString()));

    geih::ui::TaskRunner runner;
    RunsPanel panel;
    panel.setPageSize(kPage);
    QSignalSpy loaded(&panel, &RunsPanel::runsLoaded);
    panel.setRuns({}, QStringLiteral("many runs"));
    panel.setQueryContext(&runner, root, experiment);
    QVERIFY(loaded.wait(20000));

    RunsTableModel* model = panel.model();
    QCOMPARE(model->rowCount(), kPage);
    QCOMPARE(model->totalRuns(), std::size_t(kRuns));
    QVERIFY(model->canFetchMore({}));
    // The best 50 of all 230 by ROC AUC, not the newest 50.
    QCOMPARE(loadedIndices(*model), range(kRuns - kPage, kRuns - 1));
    QVERIFY2(panel.countLabel()->text().contains(QStringLiteral("50 of 230")),
             qPrintable(panel.countLabel()->text()));
    QCOMPARE(panel.bestLoadedRuns("roc_auc", 1).value(0).toStdString(),
             model->runs().front().id);

    // Scrolling to the end asks for the next page, which is appended.
    panel.proxy()->fetchMore({});
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 2 * kPage, 20000);
    QCOMPARE(loadedIndices(*model), range(kRuns - 2 * kPage, kRuns - 1));
    QTRY_VERIFY(!runner.isBusy());

    // Sorting by loss, ascending, while runs are missing: the workspace returns the lowest 50.
    const int lossColumn = model->columnOf(RunsTableModel::ColumnKind::Metric, QStringLiteral("loss"));
    QVERIFY(lossColumn >= 0);
    loaded.clear();
    panel.view()->horizontalHeader()->setSortIndicator(lossColumn, Qt::AscendingOrder);
    QVERIFY(loaded.wait(20000));
    QCOMPARE(model->rowCount(), kPage);
    QCOMPARE(loadedIndices(*model), range(0, kPage - 1));
    const QModelIndex top = panel.proxy()->index(0, lossColumn);
    QCOMPARE(top.data(RunsTableModel::SortRole).toDouble(), 0.0);

    // Reading every page ends paging: the count says all runs.
    while (model->canFetchMore({})) {
      const int before = model->rowCount();
      panel.proxy()->fetchMore({});
      QTRY_VERIFY_WITH_TIMEOUT(model->rowCount() > before, 20000);
    }
    QCOMPARE(model->rowCount(), kRuns);
    QCOMPARE(loadedIndices(*model), range(0, kRuns - 1));
    QCOMPARE(panel.countLabel()->text(), QStringLiteral("230 runs"));
    QTRY_VERIFY(!runner.isBusy());
  }
};

QTEST_MAIN(RunsPagingTest)
#include "runs_paging_test.moc"
