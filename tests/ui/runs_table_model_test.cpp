// RunsTableModel and RunsProxyModel on hand-made run summaries.
#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

#include "core/store/records.h"
#include "ui/store/runs_proxy_model.h"
#include "ui/store/runs_table_model.h"

using geih::store::RunStatus;
using geih::store::RunSummary;
using geih::ui::RunsProxyModel;
using geih::ui::RunsTableModel;
using Kind = geih::ui::RunsTableModel::ColumnKind;

namespace {

RunSummary makeRun(const std::string& id, const std::string& name,
                   std::map<std::string, std::string> params,
                   std::map<std::string, double> metrics) {
  RunSummary run;
  run.id = id;
  run.experimentId = 1;
  run.name = name;
  run.status = RunStatus::Finished;
  run.startMs = 1'700'000'000'000;
  run.endMs = run.startMs + 2'500;
  run.params = std::move(params);
  run.metrics = std::move(metrics);
  return run;
}

std::vector<RunSummary> sampleRuns() {
  std::vector<RunSummary> runs;
  runs.push_back(makeRun("aaaa", "logistic-c1", {{"model", "logistic"}, {"C", "1.0"}},
                         {{"roc_auc", 0.85}, {"accuracy", 0.8}}));
  runs.push_back(makeRun("bbbb", "logistic-c10", {{"model", "logistic"}, {"C", "10"}},
                         {{"roc_auc", 0.9}, {"accuracy", 0.82}}));
  RunSummary running = makeRun("cccc", "gbdt", {{"model", "gbdt"}, {"depth", "6"}}, {});
  running.status = RunStatus::Running;
  running.endMs.reset();
  runs.push_back(running);
  return runs;
}

QStringList headers(const QAbstractItemModel& model) {
  QStringList names;
  for (int c = 0; c < model.columnCount(); ++c) {
    names << model.headerData(c, Qt::Horizontal).toString();
  }
  return names;
}

QStringList namesInOrder(const QAbstractItemModel& model) {
  QStringList names;
  for (int r = 0; r < model.rowCount(); ++r) names << model.index(r, 0).data().toString();
  return names;
}

}  // namespace

class RunsTableModelTest : public QObject {
  Q_OBJECT

 private slots:
  void passesTheModelTester() {
    RunsTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setRuns(sampleRuns());
    model.setColumnVisible(Kind::Metric, QStringLiteral("accuracy"), false);
    model.setColumnVisible(Kind::Metric, QStringLiteral("accuracy"), true);
    model.setRuns({});
    model.setRuns(sampleRuns());
  }

  void appendsPagesWithNewColumnsUnderTheModelTester() {
    RunsTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    std::vector<RunSummary> runs = sampleRuns();
    model.setRuns({runs[0], runs[1]});
    model.setHideConstantParams(true);
    QVERIFY(!model.canFetchMore({}));  // the total is what was set
    // "model" is logistic in both loaded runs: hidden as constant.
    QCOMPARE(model.constantParamValue(QStringLiteral("model")), std::optional<QString>("logistic"));
    QCOMPARE(model.columnOf(Kind::Param, QStringLiteral("model")), -1);

    model.setTotalRuns(3);
    QVERIFY(model.canFetchMore({}));
    QSignalSpy requested(&model, &RunsTableModel::moreRunsRequested);
    model.fetchMore({});
    QCOMPARE(requested.count(), 1);
    QCOMPARE(requested.at(0).at(0).value<std::size_t>(), std::size_t(2));
    QVERIFY(!model.canFetchMore({}));  // one request at a time
    model.fetchMore({});
    QCOMPARE(requested.count(), 1);

    // The third run brings a new param (depth) and makes "model" vary: both become columns.
    model.appendRuns({runs[2]});
    QCOMPARE(model.rowCount(), 3);
    QVERIFY(!model.canFetchMore({}));
    QVERIFY(model.paramKeys().contains(QStringLiteral("depth")));
    QVERIFY(model.columnOf(Kind::Param, QStringLiteral("depth")) >= 0);
    QCOMPARE(model.constantParamValue(QStringLiteral("model")), std::nullopt);
    QVERIFY(model.columnOf(Kind::Param, QStringLiteral("model")) >= 0);
    QCOMPARE(model.rowOfRun(QStringLiteral("cccc")), 2);
  }

  void proxyPassesTheModelTester() {
    RunsTableModel model;
    RunsProxyModel proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setRuns(sampleRuns());
    proxy.sort(model.columnOf(Kind::Metric, QStringLiteral("roc_auc")), Qt::DescendingOrder);
    model.setColumnVisible(Kind::Param, QStringLiteral("C"), false);
    model.setColumnVisible(Kind::Param, QStringLiteral("C"), true);
  }

  void headersHoldFixedColumnsThenParamsThenMetrics() {
    RunsTableModel model;
    model.setRuns(sampleRuns());
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(headers(model), (QStringList{"Run", "Status", "Started", "Duration", "C", "depth",
                                          "model", "roc_auc", "accuracy"}));
    QCOMPARE(model.paramKeys(), (QStringList{"C", "depth", "model"}));
    // Headline metrics first.
    QCOMPARE(model.metricKeys(), (QStringList{"roc_auc", "accuracy"}));
    QCOMPARE(model.columnAt(model.columnOf(Kind::Metric, "roc_auc")).kind, Kind::Metric);
  }

  void formatsValues() {
    RunsTableModel model;
    model.setRuns(sampleRuns());
    const int auc = model.columnOf(Kind::Metric, QStringLiteral("roc_auc"));
    const int c = model.columnOf(Kind::Param, QStringLiteral("C"));
    const int duration = model.columnOf(Kind::Duration);
    QCOMPARE(model.index(0, auc).data().toString(), QStringLiteral("0.8500"));
    QCOMPARE(model.index(1, auc).data().toString(), QStringLiteral("0.9000"));
    QVERIFY(!model.index(2, auc).data().isValid());  // gbdt has no metric
    QCOMPARE(model.index(0, c).data().toString(), QStringLiteral("1.0"));
    QCOMPARE(model.index(0, duration).data().toString(), QStringLiteral("2.5 s"));
    QVERIFY(!model.index(2, duration).data().isValid());  // still running
    QCOMPARE(model.index(2, model.columnOf(Kind::Status)).data().toString(),
             QStringLiteral("Running"));
    QCOMPARE(RunsTableModel::formatMetric(0.87346), QStringLiteral("0.8735"));
    QCOMPARE(RunsTableModel::formatMetric(1.0), QStringLiteral("1.0000"));
    QCOMPARE(RunsTableModel::formatMetric(16000.0), QStringLiteral("16000"));
    // Numeric params are right-aligned like metrics; text params left-aligned.
    QVERIFY(model.headerData(c, Qt::Horizontal, Qt::TextAlignmentRole).toInt() & Qt::AlignRight);
    QVERIFY(
        model.index(0, model.columnOf(Kind::Param, "model")).data(Qt::TextAlignmentRole).toInt() &
        Qt::AlignLeft);
    QCOMPARE(model.index(1, 0).data(RunsTableModel::RunIdRole).toString(), QStringLiteral("bbbb"));
  }

  void sortRoleIsNumeric() {
    RunsTableModel model;
    model.setRuns(sampleRuns());
    const int auc = model.columnOf(Kind::Metric, QStringLiteral("roc_auc"));
    const int c = model.columnOf(Kind::Param, QStringLiteral("C"));
    const QVariant value = model.index(1, auc).data(RunsTableModel::SortRole);
    QCOMPARE(value.typeId(), QMetaType::Double);
    QCOMPARE(value.toDouble(), 0.9);
    // Numeric params sort as numbers ("10" > "1.0" numerically, not as text).
    QCOMPARE(model.index(1, c).data(RunsTableModel::SortRole).typeId(), QMetaType::Double);
    QCOMPARE(model.index(1, c).data(RunsTableModel::SortRole).toDouble(), 10.0);
    QCOMPARE(model.index(0, model.columnOf(Kind::Param, "model"))
                 .data(RunsTableModel::SortRole)
                 .typeId(),
             QMetaType::QString);
    QVERIFY(!model.index(2, auc).data(RunsTableModel::SortRole).isValid());
    QCOMPARE(RunsTableModel::SortRole, static_cast<int>(Qt::UserRole));
  }

  void proxySortsNumbersWithMissingLast() {
    RunsTableModel model;
    RunsProxyModel proxy;
    proxy.setSourceModel(&model);
    model.setRuns(sampleRuns());
    const int auc = model.columnOf(Kind::Metric, QStringLiteral("roc_auc"));

    proxy.sort(auc, Qt::DescendingOrder);
    QCOMPARE(namesInOrder(proxy), (QStringList{"logistic-c10", "logistic-c1", "gbdt"}));
    QCOMPARE(proxy.index(0, auc).data().toString(), QStringLiteral("0.9000"));
    QCOMPARE(proxy.index(1, auc).data().toString(), QStringLiteral("0.8500"));

    proxy.sort(auc, Qt::AscendingOrder);
    QCOMPARE(namesInOrder(proxy), (QStringList{"logistic-c1", "logistic-c10", "gbdt"}));

    const int c = model.columnOf(Kind::Param, QStringLiteral("C"));
    proxy.sort(c, Qt::DescendingOrder);
    QCOMPARE(namesInOrder(proxy), (QStringList{"logistic-c10", "logistic-c1", "gbdt"}));
  }

  void hidesAndShowsColumns() {
    RunsTableModel model;
    model.setRuns(sampleRuns());
    const int before = model.columnCount();
    QSignalSpy removed(&model, &QAbstractItemModel::columnsRemoved);
    QSignalSpy inserted(&model, &QAbstractItemModel::columnsInserted);

    model.setColumnVisible(Kind::Param, QStringLiteral("depth"), false);
    QCOMPARE(model.columnCount(), before - 1);
    QCOMPARE(removed.count(), 1);
    QVERIFY(!headers(model).contains(QStringLiteral("depth")));
    QCOMPARE(model.columnOf(Kind::Param, QStringLiteral("depth")), -1);
    QVERIFY(!model.isColumnVisible(Kind::Param, QStringLiteral("depth")));
    QVERIFY(model.paramKeys().contains(QStringLiteral("depth")));  // still choosable

    // Hidden keys stay hidden when the runs are replaced.
    model.setRuns(sampleRuns());
    QCOMPARE(model.columnCount(), before - 1);

    model.setColumnVisible(Kind::Param, QStringLiteral("depth"), true);
    QCOMPARE(model.columnCount(), before);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(model.headerData(5, Qt::Horizontal).toString(), QStringLiteral("depth"));

    // Fixed columns cannot be hidden.
    model.setColumnVisible(Kind::Name, {}, false);
    QCOMPARE(model.columnCount(), before);
  }

  void hidesParamsThatAreTheSameInEveryRun() {
    std::vector<RunSummary> runs = sampleRuns();
    for (RunSummary& run : runs) run.params["seed"] = "42";
    RunsTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setRuns(runs);
    QVERIFY(headers(model).contains(QStringLiteral("seed")));  // off by default
    QCOMPARE(model.constantParamValue(QStringLiteral("seed")), std::optional<QString>("42"));
    QVERIFY(!model.constantParamValue(QStringLiteral("model")));  // gbdt differs
    QVERIFY(!model.constantParamValue(QStringLiteral("depth")));  // missing in two runs

    model.setHideConstantParams(true);
    QVERIFY(!headers(model).contains(QStringLiteral("seed")));
    QVERIFY(headers(model).contains(QStringLiteral("model")));
    QVERIFY(!model.isColumnVisible(Kind::Param, QStringLiteral("seed")));

    // An explicit choice wins over the rule, also after new runs are loaded.
    model.setColumnVisible(Kind::Param, QStringLiteral("seed"), true);
    QVERIFY(headers(model).contains(QStringLiteral("seed")));
    model.setRuns(runs);
    QVERIFY(headers(model).contains(QStringLiteral("seed")));

    // A single run has no constant params: nothing to compare against.
    model.setRuns({runs.front()});
    QVERIFY(!model.constantParamValue(QStringLiteral("model")));
  }
};

QTEST_MAIN(RunsTableModelTest)
#include "runs_table_model_test.moc"
