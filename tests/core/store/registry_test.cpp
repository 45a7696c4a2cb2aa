// The model registry on a real workspace: versions, gates, promotion, rollback, aliases,
// references, the audit log, two writers, and the deployable bundle.
#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/common/atomic_file.h"
#include "core/common/error.h"
#include "core/common/sha256.h"
#include "core/store/database.h"
#include "core/store/model_bundle.h"
#include "core/store/monitoring_log.h"
#include "core/store/registry.h"
#include "core/store/workspace.h"
#include "tests/core/store/store_test_util.h"

namespace geih::store {
namespace {

using testing::TempFolder;
namespace fs = std::filesystem;

class RegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    m_workspace = std::make_unique<Workspace>(Workspace::open(m_folder.path()));
    m_experiment = m_workspace->createExperiment("fire");
    fs::create_directories(m_folder.path() / "inputs");
    m_testSet = dataset("fire_test", "x,y\n1,0\n2,1\n");
  }

  std::int64_t dataset(const std::string& name, const std::string& content) {
    const fs::path file = m_folder.path() / "inputs" / (name + ".csv");
    std::ofstream(file) << content;
    return m_workspace->registerDataset(name, file, "{}", "{}", 2).id;
  }

  // A finished run with a model artifact, its AUC, and the shared test set.
  std::string run(double auc, std::optional<std::int64_t> testSet = {}, bool finish = true) {
    const std::string id = m_workspace->createRun(m_experiment, NewRun{"auc " + std::to_string(auc), {}, {}, {}, {}});
    m_workspace->logMetric(id, "roc_auc", auc);
    m_workspace->logMetric(id, "log_loss", 1.0 - auc);
    m_workspace->logArtifact(id, "model.json", "{\"auc\": " + std::to_string(auc) + "}",
                             "application/json");
    m_workspace->linkDataset(id, testSet.value_or(m_testSet), "test");
    if (finish) m_workspace->finishRun(id, RunStatus::Finished);
    return id;
  }

  TempFolder m_folder;
  std::unique_ptr<Workspace> m_workspace;
  std::int64_t m_experiment = 0;
  std::int64_t m_testSet = 0;
};

TEST_F(RegistryTest, RegistersNumberedVersionsOfFinishedRunsOnly) {
  Registry registry(*m_workspace);
  const std::string a = run(0.8);
  const std::string b = run(0.9);
  const ModelVersion first = registry.registerVersion("fire", a);
  const ModelVersion second = registry.registerVersion("fire", b.substr(0, 8));  // a prefix
  EXPECT_EQ(first.version, 1);
  EXPECT_EQ(second.version, 2);
  EXPECT_EQ(second.runId, b);
  EXPECT_EQ(second.stage, Stage::None);
  EXPECT_EQ(first.modelSha256, sha256Hex("{\"auc\": " + std::to_string(0.8) + "}"));
  EXPECT_EQ(registry.model("fire").versions.size(), 2u);
  EXPECT_EQ(registry.model("fire").versions.front().version, 2);  // newest first

  EXPECT_THROW(registry.registerVersion("fire", run(0.7, {}, false)), InputError);  // running
  EXPECT_THROW(registry.registerVersion("fire", a, "missing.json"), NotFound);
  EXPECT_THROW(registry.registerVersion("bad name!", a), InputError);
  EXPECT_THROW(registry.registerVersion("fire", "0123456789abcdef0123456789abcdef"), NotFound);
  EXPECT_EQ(registry.model("fire").versions.size(), 2u);  // nothing half-registered
}

TEST_F(RegistryTest, RefusedPromotionChangesNothingButTheAudit) {
  Registry registry(*m_workspace);
  registry.registerVersion("fire", run(0.80));
  registry.setGates("fire", R"({"rules": ["metrics.roc_auc >= 0.85",
                                          {"metric": "log_loss", "op": "<", "value": 0.15}]})");
  try {
    registry.transition("fire", 1, Stage::Production);
    FAIL() << "expected GateRefused";
  } catch (const GateRefused& refused) {
    const std::string message = refused.what();
    EXPECT_NE(message.find("metrics.roc_auc >= 0.85 (roc_auc = 0.8)"), std::string::npos) << message;
    EXPECT_NE(message.find("metrics.log_loss < 0.15 (log_loss = 0.2)"), std::string::npos)
        << message;
    ASSERT_EQ(refused.gates().size(), 2u);
    EXPECT_FALSE(refused.gates()[0].passed);
    EXPECT_FALSE(refused.gates()[1].passed);
  } catch (...) {
    FAIL() << "wrong exception";
  }
  EXPECT_EQ(registry.version("fire", 1).stage, Stage::None);
  const std::vector<AuditEntry> audit = registry.audit("fire");
  ASSERT_GE(audit.size(), 1u);
  EXPECT_EQ(audit.front().action, "promote-refused");
  EXPECT_EQ(audit.front().toStage, "Production");

  EXPECT_THROW(registry.transition("fire", 1, Stage::Production, "", true), InputError);
  const PromotionResult forced =
      registry.transition("fire", 1, Stage::Production, "needed for the pilot", true);
  EXPECT_TRUE(forced.forced);
  EXPECT_EQ(forced.version.stage, Stage::Production);
  EXPECT_EQ(registry.audit("fire").front().action, "promote");
  EXPECT_TRUE(registry.audit("fire").front().forced);
  EXPECT_EQ(registry.audit("fire").front().reason, "needed for the pilot");
  EXPECT_EQ(registry.audit("fire").front().user, Registry::currentUser());
}

TEST_F(RegistryTest, PromotionArchivesThePreviousAndRollbackWalksBack) {
  Registry registry(*m_workspace);
  for (double auc : {0.86, 0.88, 0.90}) registry.registerVersion("fire", run(auc));
  registry.setGates("fire", R"({"rules": [{"not_worse_than_production": "roc_auc"}]})");
  EXPECT_THROW(registry.rollback("fire"), Conflict);  // no Production yet

  EXPECT_FALSE(registry.transition("fire", 1, Stage::Production).archivedVersion);
  EXPECT_EQ(registry.transition("fire", 2, Stage::Production).archivedVersion, 1);
  EXPECT_EQ(registry.transition("fire", 3, Stage::Production).archivedVersion, 2);
  EXPECT_EQ(registry.version("fire", 2).stage, Stage::Archived);
  EXPECT_EQ(registry.resolve("fire@production").version, 3);

  // Version 1 (0.86) is worse than Production (0.90) on the same test set: refused.
  EXPECT_THROW(registry.transition("fire", 1, Stage::Production), GateRefused);

  const PromotionResult back = registry.rollback("fire", "field regression");
  EXPECT_EQ(back.version.version, 2);
  EXPECT_EQ(back.archivedVersion, 3);
  EXPECT_EQ(registry.version("fire", 3).stage, Stage::Archived);
  EXPECT_EQ(registry.rollback("fire").version.version, 1);  // and one further back
  EXPECT_THROW(registry.rollback("fire"), Conflict);        // version 1 replaced nothing
  EXPECT_EQ(registry.resolve("fire").version, 1);

  int production = 0;
  for (const ModelVersion& version : registry.model("fire").versions) {
    production += version.stage == Stage::Production;
  }
  EXPECT_EQ(production, 1);
  const std::vector<AuditEntry> audit = registry.audit("fire");
  EXPECT_EQ(audit.front().action, "rollback");
  EXPECT_EQ(audit.front().version, 1);
  EXPECT_EQ(audit[1].action, "replaced");  // version 2 archived by the second rollback
  EXPECT_EQ(audit[1].version, 2);
}

TEST_F(RegistryTest, NotWorseNeedsTheSameTestDataAndKnowsLowerIsBetter) {
  Registry registry(*m_workspace);
  registry.registerVersion("fire", run(0.90));
  const std::int64_t otherTest = dataset("fire_test_2025", "x,y\n3,1\n4,0\n");
  registry.registerVersion("fire", run(0.95, otherTest));
  registry.registerVersion("fire", run(0.89));
  registry.setGates("fire", R"({"rules": [{"not_worse_than_production": "log_loss"},
                                          {"not_worse_than_production": "roc_auc", "tolerance": 0.02}]})");
  registry.transition("fire", 1, Stage::Production);

  const std::vector<GateResult> other = registry.evaluateGates("fire", 2);
  EXPECT_FALSE(other[0].passed);
  EXPECT_NE(other[0].detail.find("different data"), std::string::npos) << other[0].detail;

  // Version 3: log_loss 0.11 > 0.10 (lower is better: worse); AUC 0.89 >= 0.90 - 0.02.
  const std::vector<GateResult> close = registry.evaluateGates("fire", 3);
  EXPECT_FALSE(close[0].passed) << close[0].detail;
  EXPECT_TRUE(close[1].passed) << close[1].detail;
}

TEST_F(RegistryTest, DriftShareGateReadsTheNewestDriftCheck) {
  Registry registry(*m_workspace);
  registry.registerVersion("fire", run(0.9));
  registry.setGates("fire", R"({"rules": [{"max_drift_share": 0.3}]})");
  EXPECT_EQ(registry.evaluateGates("fire", 1)[0].detail, "no drift report yet");
  EXPECT_TRUE(registry.evaluateGates("fire", 1)[0].passed);
  {
    Database db(m_folder.path() / "geih.db", false, 1000);
    db.execute(
        "INSERT INTO monitoring_events (model_name, model_version, kind, time_ms, latency_ms, "
        "summary_json) VALUES ('fire', 1, 'drift', 10, 1.0, '{\"share_drifted\": 0.1}'), "
        "('fire', 1, 'drift', 20, 1.0, '{\"share_drifted\": 0.5}')");
  }
  const GateResult gate = registry.evaluateGates("fire", 1)[0];
  EXPECT_FALSE(gate.passed);
  EXPECT_EQ(gate.detail, "drift share = 0.5");
}

TEST_F(RegistryTest, MonitoringLogFeedsTheDriftGate) {
  Registry registry(*m_workspace);
  registry.registerVersion("fire", run(0.9));
  registry.setGates("fire", R"({"rules": [{"max_drift_share": 0.25}]})");
  MonitoringLog log(*m_workspace);
  MonitoringEvent check;
  check.modelName = "fire";
  check.modelVersion = 1;
  check.kind = "drift";
  check.rows = 500;
  check.summaryJson = R"({"share_drifted": 0.2})";
  check.timeMs = 1000;
  log.log(check);
  EXPECT_TRUE(registry.evaluateGates("fire", 1)[0].passed);
  check.summaryJson = R"({"share_drifted": 0.4})";
  check.timeMs = 2000;
  const std::int64_t id = log.log(check);
  EXPECT_FALSE(registry.evaluateGates("fire", 1)[0].passed);
  const std::vector<MonitoringEvent> events = log.events("fire");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events.front().id, id);  // newest first
  EXPECT_EQ(events.front().rows, 500);
  check.summaryJson = "[1, 2]";
  EXPECT_THROW(log.log(check), InputError);
  check.modelName.clear();
  EXPECT_THROW(log.log(check), InputError);
}

TEST_F(RegistryTest, GateRulesAreValidatedWithTheirPosition) {
  Registry registry(*m_workspace);
  registry.registerVersion("fire", run(0.9));
  const auto errorOf = [&](const std::string& json) {
    try {
      registry.setGates("fire", json);
    } catch (const InputError& error) {
      return std::string(error.what());
    }
    return std::string("(no error)");
  };
  EXPECT_NE(errorOf("{\"rules\": [\"metrics.roc_auc >= 0.8\", \"roc_auc big\"]}").find("rule 2"),
            std::string::npos);
  EXPECT_NE(errorOf("{\"rules\": [{\"metric\": \"f1\", \"op\": \"~\", \"value\": 1}]}")
                .find("unknown operator"),
            std::string::npos);
  EXPECT_NE(errorOf("{\"rules\": [{\"max_drift_share\": 2}]}").find("[0, 1]"), std::string::npos);
  EXPECT_NE(errorOf("not json").find("gates JSON"), std::string::npos);
  EXPECT_EQ(registry.model("fire").gatesJson, "[]");  // unchanged by the failures
}

TEST_F(RegistryTest, AliasesAndReferences) {
  Registry registry(*m_workspace);
  for (double auc : {0.86, 0.88}) registry.registerVersion("fire", run(auc));
  registry.transition("fire", 1, Stage::Staging);
  registry.setAlias("fire", 2, "champion");
  registry.setAlias("fire", 1, "champion");  // moves
  registry.setAlias("fire", 2, "challenger");
  EXPECT_EQ(registry.version("fire", 1).aliases, std::vector<std::string>{"champion"});
  EXPECT_EQ(registry.version("fire", 2).aliases, std::vector<std::string>{"challenger"});
  EXPECT_THROW(registry.setAlias("fire", 2, "production"), InputError);
  EXPECT_THROW(registry.setAlias("fire", 2, "7up"), InputError);
  EXPECT_THROW(registry.setAlias("fire", 9, "later"), NotFound);

  EXPECT_EQ(registry.resolve("fire@champion").version, 1);
  EXPECT_EQ(registry.resolve("fire@staging").version, 1);
  EXPECT_EQ(registry.resolve("fire@latest").version, 2);
  EXPECT_EQ(registry.resolve("fire@2").version, 2);
  EXPECT_EQ(registry.resolve("models:/fire/Staging").version, 1);
  EXPECT_EQ(registry.resolve("models:/fire/2").version, 2);
  EXPECT_EQ(registry.resolve("models:/fire@challenger").version, 2);
  EXPECT_THROW(registry.resolve("fire@production"), NotFound);  // none yet
  EXPECT_THROW(registry.resolve("fire@nobody"), NotFound);
  EXPECT_THROW(registry.resolve("smoke@1"), NotFound);
  EXPECT_THROW(registry.resolve("fire@5"), NotFound);

  registry.removeAlias("fire", "champion");
  EXPECT_TRUE(registry.version("fire", 1).aliases.empty());
  EXPECT_THROW(registry.removeAlias("fire", "champion"), NotFound);
}

TEST_F(RegistryTest, TwoWritersPromotingLeaveOneProductionVersion) {
  Registry registry(*m_workspace);
  for (double auc : {0.86, 0.87, 0.88, 0.89}) registry.registerVersion("fire", run(auc));
  const fs::path root = m_folder.path();
  std::vector<std::thread> writers;
  for (int writer = 0; writer < 2; ++writer) {
    writers.emplace_back([root, writer] {
      Workspace workspace = Workspace::open(root);
      Registry own(workspace);
      for (int round = 0; round < 5; ++round) own.transition("fire", 1 + writer + 2 * (round % 2), Stage::Production);
    });
  }
  for (std::thread& writer : writers) writer.join();
  int production = 0;
  for (const ModelVersion& version : registry.model("fire").versions) {
    production += version.stage == Stage::Production;
  }
  EXPECT_EQ(production, 1);
  int promotions = 0;
  for (const AuditEntry& entry : registry.audit("fire")) promotions += entry.action == "promote";
  EXPECT_EQ(promotions, 10);
}

TEST_F(RegistryTest, BundleHoldsTheModelItsLineageAndACard) {
  Registry registry(*m_workspace);
  const std::string id = run(0.91);
  m_workspace->logParam(id, "C", "0.5");
  registry.registerVersion("fire", id, "model.json", "first <model>");
  registry.transition("fire", 1, Stage::Production);
  const fs::path folder = m_folder.path() / "bundle";
  const BundleSummary bundle = exportModelBundle(*m_workspace, "fire@production", folder);
  const std::string model = readFile(folder / "model.json");
  EXPECT_EQ(model, "{\"auc\": " + std::to_string(0.91) + "}");
  EXPECT_EQ(bundle.modelSha256, sha256Hex(model));
  const nlohmann::json info = nlohmann::json::parse(readFile(folder / "model_info.json"));
  EXPECT_EQ(info["name"], "fire");
  EXPECT_EQ(info["version"], 1);
  EXPECT_EQ(info["stage"], "Production");
  EXPECT_EQ(info["run_id"], id);
  EXPECT_EQ(info["params"]["C"], "0.5");
  EXPECT_DOUBLE_EQ(info["metrics"]["roc_auc"].get<double>(), 0.91);
  EXPECT_EQ(info["datasets"][0]["role"], "test");
  EXPECT_EQ(info["datasets"][0]["sha256"], m_workspace->datasetById(m_testSet).sha256);
  EXPECT_EQ(info["model_sha256"], sha256Hex(model));
  const std::string card = readFile(folder / "model_card.md");
  EXPECT_NE(card.find("# Model card: fire version 1"), std::string::npos);
  EXPECT_NE(card.find("| C | 0.5 |"), std::string::npos);
  const std::string html = readFile(folder / "model_card.html");
  EXPECT_NE(html.find("<h1>Model card: fire version 1</h1>"), std::string::npos);
  // Only the bundle folder was created: no temporary left behind.
  for (const auto& entry : fs::directory_iterator(m_folder.path())) {
    EXPECT_EQ(entry.path().filename().string().find(".tmp-"), std::string::npos) << entry.path();
  }

  EXPECT_THROW(exportModelBundle(*m_workspace, "fire@production", folder), Conflict);
}

}  // namespace
}  // namespace geih::store
