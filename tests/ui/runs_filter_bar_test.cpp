// The runs panel's filter bar on a real temporary workspace: Enter re-queries through the
// TaskRunner, a bad filter shows its caret message in red, clearing the bar shows every run.
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "core/store/workspace.h"
#include "ui/common/task_runner.h"
#include "ui/store/runs_panel.h"
#include "ui/store/runs_table_model.h"

using geih::ui::RunsPanel;

namespace {

std::int64_t buildWorkspace(const std::filesystem::path& root) {
  using namespace geih;
  store::Workspace workspace = store::Workspace::open(root);
  const std::int64_t experiment = workspace.createExperiment("filters");
  const std::vector<std::pair<std::string, double>> runs = {
      {"rf", 0.91}, {"logistic", 0.85}, {"gbm", 0.95}};
  for (const auto& [model, auc] : runs) {
    store::NewRun spec;
    spec.name = model + "-run";
    const std::string id = workspace.createRun(experiment, spec);
    workspace.logParam(id, "model", model);
    workspace.logMetric(id, "roc_auc", auc);
    workspace.finishRun(id, store::RunStatus::Finished);
  }
  return experiment;
}

QStringList shownNames(RunsPanel& panel) {
  QStringList names;
  for (const auto& run : panel.model()->runs()) names << QString::fromStdString(run.name);
  names.sort();
  return names;
}

}  // namespace

class RunsFilterBarTest : public QObject {
  Q_OBJECT

 private slots:
  void enterFiltersAndErrorsShowInline() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString root = dir.filePath(QStringLiteral("ws"));
    const std::int64_t experiment = buildWorkspace(std::filesystem::path(root.toStdString()));

    geih::ui::TaskRunner runner;
    RunsPanel panel;
    panel.setRuns({}, QStringLiteral("filters"));
    panel.setQueryContext(&runner, root, experiment);
    QSignalSpy applied(&panel, &RunsPanel::filterApplied);

    panel.filterEdit()->setText(QStringLiteral("metrics.roc_auc > 0.9 and params.model != 'gbm'"));
    QTest::keyClick(panel.filterEdit(), Qt::Key_Return);
    QVERIFY(applied.wait(10000));
    QCOMPARE(shownNames(panel), QStringList{QStringLiteral("rf-run")});
    QVERIFY(panel.filterErrorLabel()->isHidden());

    panel.filterEdit()->setText(QStringLiteral("metrics.roc_auc >"));
    QTest::keyClick(panel.filterEdit(), Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(!panel.filterErrorLabel()->isHidden(), 10000);
    const QString message = panel.filterErrorLabel()->text();
    QVERIFY2(message.contains(QStringLiteral("column 18")), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("\n                   ^")), qPrintable(message));
    QCOMPARE(shownNames(panel), QStringList{QStringLiteral("rf-run")});  // unchanged

    panel.filterEdit()->clear();  // the clear button: every run again
    QTRY_COMPARE_WITH_TIMEOUT(shownNames(panel).size(), 3, 10000);
    QVERIFY(panel.filterErrorLabel()->isHidden());
  }
};

QTEST_MAIN(RunsFilterBarTest)
#include "runs_filter_bar_test.moc"
