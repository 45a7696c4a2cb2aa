// The registry panel on a real workspace: versions with their stages, a promotion through the
// TaskRunner that archives the previous Production version, and the Promote dialog's refusal of
// a failing gate unless forced with a reason.
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include "core/store/monitoring_alerts.h"
#include "core/store/monitoring_log.h"
#include "core/store/registry.h"
#include "core/store/workspace.h"
#include "ui/common/task_runner.h"
#include "ui/store/promote_dialog.h"
#include "ui/store/registry_panel.h"

using geih::ui::PromoteDialog;
using geih::ui::PromotePlan;
using geih::ui::RegistryPanel;

namespace {

void buildWorkspace(const std::filesystem::path& root) {
  using namespace geih::store;
  Workspace workspace = Workspace::open(root);
  const auto experiment = workspace.createExperiment("fire");
  Registry registry(workspace);
  for (double auc : {0.86, 0.91}) {
    const std::string id = workspace.createRun(experiment, NewRun{"auc", {}, {}, {}, {}});
    workspace.logMetric(id, "roc_auc", auc);
    workspace.logArtifact(id, "model.json", std::to_string(auc));
    workspace.finishRun(id, RunStatus::Finished);
    registry.registerVersion("fire-risk", id);
  }
  registry.transition("fire-risk", 1, Stage::Production, "first");
  // Version 1 failed every batch it served: its error-rate rule raises an alert.
  geih::store::MonitoringEvent failed;
  failed.modelName = "fire-risk";
  failed.modelVersion = 1;
  failed.kind = "predict";
  failed.latencyMs = 3;
  failed.ok = false;
  geih::store::MonitoringLog(workspace).log(failed);
  geih::store::MonitoringAlerts alerts(workspace);
  alerts.setRules("fire-risk", R"([{"max_error_rate": 0.1}])");
  alerts.check("fire-risk", 1);
}

QString stageOf(QTableWidget* table, int version) {
  for (int row = 0; row < table->rowCount(); ++row) {
    if (table->item(row, 0)->text() == QString::number(version)) return table->item(row, 1)->text();
  }
  return {};
}

}  // namespace

class RegistryPanelTest : public QObject {
  Q_OBJECT

 private slots:
  void showsVersionsAndPromotes() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    buildWorkspace(std::filesystem::path(dir.path().toStdString()));
    geih::ui::TaskRunner runner;
    RegistryPanel panel(&runner);
    QSignalSpy loaded(&panel, &RegistryPanel::loaded);
    panel.setWorkspace(dir.path());
    QVERIFY(loaded.wait(10000));
    QCOMPARE(panel.modelList()->count(), 1);
    QCOMPARE(panel.currentModel(), QStringLiteral("fire-risk"));
    QCOMPARE(panel.versionsTable()->rowCount(), 2);
    QCOMPARE(stageOf(panel.versionsTable(), 1), QStringLiteral("Production"));
    QCOMPARE(stageOf(panel.versionsTable(), 2), QStringLiteral("None"));
    QCOMPARE(panel.versionsTable()->item(0, 4)->text(), QStringLiteral("0.9100"));  // newest first
    QCOMPARE(panel.versionsTable()->item(1, 3)->text(), QStringLiteral("needs retraining (1)"));
    QVERIFY(panel.versionsTable()->item(1, 3)->toolTip().contains("error rate > 0.1"));
    QVERIFY(panel.versionsTable()->item(0, 3)->text().isEmpty());

    QSignalSpy finished(&panel, &RegistryPanel::finished);
    loaded.clear();
    panel.promote(2, geih::store::Stage::Production, QStringLiteral("better AUC"), false);
    QVERIFY(finished.wait(10000));
    QCOMPARE(finished.at(0).at(0).toBool(), true);
    QTRY_VERIFY_WITH_TIMEOUT(loaded.count() > 0, 10000);
    QCOMPARE(stageOf(panel.versionsTable(), 2), QStringLiteral("Production"));
    QCOMPARE(stageOf(panel.versionsTable(), 1), QStringLiteral("Archived"));
    QCOMPARE(panel.auditTable()->item(0, 2)->text(), QStringLiteral("promote"));
    QCOMPARE(panel.auditTable()->item(0, 6)->text(), QStringLiteral("better AUC"));

    finished.clear();
    loaded.clear();
    panel.rollback(QStringLiteral("field check"));
    QVERIFY(finished.wait(10000));
    QTRY_VERIFY_WITH_TIMEOUT(loaded.count() > 0, 10000);
    QCOMPARE(stageOf(panel.versionsTable(), 1), QStringLiteral("Production"));
    QTRY_VERIFY(!runner.isBusy());
  }

  void promoteDialogNeedsForceAndReasonForAFailingGate() {
    PromotePlan plan;
    plan.model = "fire-risk";
    plan.version = 3;
    plan.gates = {{"metrics.roc_auc >= 0.85", false, "roc_auc = 0.8"},
                  {"drift share <= 0.3", true, "no drift report yet"}};
    plan.candidateMetrics = {{"roc_auc", 0.8}, {"log_loss", 0.40}};
    plan.productionVersion = 2;
    plan.productionMetrics = {{"roc_auc", 0.9}, {"log_loss", 0.30}};
    PromoteDialog dialog(plan);
    QVERIFY(!dialog.gatesPass());
    QCOMPARE(dialog.gatesTable()->item(0, 1)->text(), QStringLiteral("FAIL"));
    QCOMPARE(dialog.gatesTable()->item(1, 1)->text(), QStringLiteral("PASS"));
    QCOMPARE(dialog.diffTable()->rowCount(), 2);
    QCOMPARE(dialog.diffTable()->item(1, 3)->text(), QStringLiteral("-0.1000"));  // roc_auc
    auto* ok = dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
    QVERIFY(!ok->isEnabled());
    auto* force = dialog.findChild<QCheckBox*>();
    force->setChecked(true);
    QVERIFY(!ok->isEnabled());  // no reason yet
    dialog.findChild<QLineEdit*>()->setText(QStringLiteral("pilot region"));
    QVERIFY(ok->isEnabled());
    QVERIFY(dialog.force());
    QCOMPARE(dialog.reason(), QStringLiteral("pilot region"));
    QCOMPARE(dialog.stage(), geih::store::Stage::Production);
  }
};

QTEST_MAIN(RegistryPanelTest)
#include "registry_panel_test.moc"
