// Monitoring aggregates and alert rules on a real workspace. Percentiles are numpy.percentile's
// default (linear): for latencies 10, 20, 30, 40, 100 ms, p50 = 30, p95 = 40 + 0.8·60 = 88,
// p99 = 40 + 0.96·60 = 97.6.
#include <gtest/gtest.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "core/common/error.h"
#include "core/common/time_util.h"
#include "core/store/monitoring_alerts.h"
#include "core/store/monitoring_log.h"
#include "core/store/registry.h"
#include "core/store/workspace.h"
#include "tests/core/store/store_test_util.h"

namespace geih::store {
namespace {

using testing::TempFolder;

TEST(Percentile, LinearBetweenClosestRanks) {
  std::vector<double> values = {100, 10, 40, 20, 30};
  EXPECT_DOUBLE_EQ(percentile(values, 50), 30.0);
  EXPECT_DOUBLE_EQ(percentile(values, 95), 88.0);
  EXPECT_DOUBLE_EQ(percentile(values, 99), 97.6);
  EXPECT_DOUBLE_EQ(percentile(values, 0), 10.0);
  EXPECT_DOUBLE_EQ(percentile(values, 100), 100.0);
  std::vector<double> one = {7};
  EXPECT_DOUBLE_EQ(percentile(one, 95), 7.0);
  std::vector<double> none;
  EXPECT_TRUE(std::isnan(percentile(none, 50)));
}

class MonitoringAlertsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    m_workspace = std::make_unique<Workspace>(Workspace::open(m_folder.path()));
    const std::int64_t experiment = m_workspace->createExperiment("fire");
    const std::string run = m_workspace->createRun(experiment, NewRun{"gbdt", {}, {}, {}, {}});
    m_workspace->logArtifact(run, "model.json", "{}", "application/json");
    // The model's importance: humidity, temperature, wind, ndvi, slope, elevation (largest first).
    m_workspace->logCurve(run, "importance_permutation",
                          R"({"features": ["ndvi", "temperature", "humidity", "wind", "slope", "elevation"],
                              "importance": [0.03, 0.2, 0.3, 0.1, 0.02, 0.01]})");
    m_workspace->finishRun(run, RunStatus::Finished);
    Registry(*m_workspace).registerVersion("fire-risk", run);
  }

  void event(const std::string& kind, std::int64_t timeMs, double latency, bool ok,
             const nlohmann::json& summary = nlohmann::json::object(), int version = 1) {
    MonitoringEvent e;
    e.modelName = "fire-risk";
    e.modelVersion = version;
    e.kind = kind;
    e.timeMs = timeMs;
    e.rows = 100;
    e.latencyMs = latency;
    e.ok = ok;
    e.summaryJson = summary.dump();
    MonitoringLog(*m_workspace).log(e);
  }

  TempFolder m_folder;
  std::unique_ptr<Workspace> m_workspace;
};

TEST_F(MonitoringAlertsTest, DailyAggregatesPerVersionAndDay) {
  const std::int64_t day1 = 1'700'000'000'000;  // 2023-11-14 22:13 UTC
  const std::int64_t day2 = day1 + 86'400'000;
  for (double latency : {10.0, 20.0, 30.0, 40.0}) event("score", day1, latency, true);
  event("score", day1 + 1000, 100, false);
  event("predict", day2, 5, true);
  event("predict", day2, 7, true, nlohmann::json::object(), 2);
  const auto days = MonitoringLog(*m_workspace).daily("fire-risk");
  ASSERT_EQ(days.size(), 3u);
  EXPECT_EQ(days[0].day, "2023-11-15");
  EXPECT_EQ(days[0].modelVersion, 2);
  EXPECT_EQ(days[2].day, "2023-11-14");
  EXPECT_EQ(days[2].events, 5);
  EXPECT_EQ(days[2].rows, 500);
  EXPECT_EQ(days[2].failures, 1);
  EXPECT_DOUBLE_EQ(days[2].errorRate, 0.2);
  EXPECT_DOUBLE_EQ(days[2].latencyP50Ms, 30.0);
  EXPECT_DOUBLE_EQ(days[2].latencyP95Ms, 88.0);
  EXPECT_DOUBLE_EQ(days[2].latencyP99Ms, 97.6);
  EXPECT_EQ(MonitoringLog(*m_workspace).daily("fire-risk", 1).size(), 2u);
  EXPECT_EQ(MonitoringLog(*m_workspace).daily("fire-risk", 1, day2).size(), 1u);
}

TEST_F(MonitoringAlertsTest, RulesFireOnTheNewestDriftCheckAndMarkTheVersion) {
  MonitoringAlerts alerts(*m_workspace);
  alerts.setRules("fire-risk", R"({"rules": [{"feature_psi": 0.25, "top_features": 2},
                                             {"auc_drop": 0.05}, {"max_drift_share": 0.5},
                                             {"max_error_rate": 0.1, "days": 7},
                                             {"max_latency_p95_ms": 500}]})");
  // No data yet: nothing fires, each says why.
  auto checks = alerts.evaluate("fire-risk", 1);
  ASSERT_EQ(checks.size(), 5u);
  for (const AlertCheck& c : checks) {
    EXPECT_FALSE(c.fired) << c.rule;
    EXPECT_FALSE(c.detail.empty());
  }
  const std::int64_t now = nowMillis();
  // An old drift check that would fire, then a newer one: only the newest counts. ndvi drifted
  // strongly but is not among the two most important features (humidity, temperature).
  event("drift", now - 5000, 10, true, {{"share_drifted", 0.9}, {"feature_psi", {{"humidity", 0.9}}}});
  event("drift", now - 1000, 10, true,
        {{"share_drifted", 0.25},
         {"feature_psi", {{"ndvi", 0.8}, {"temperature", 0.31}, {"humidity", 0.05}}},
         {"performance", {{"metric", "roc_auc"}, {"reference", 0.86}, {"current", 0.80}}}});
  event("score", now - 500, 900, false);
  event("score", now - 400, 100, true);
  checks = alerts.evaluate("fire-risk", 1);
  EXPECT_TRUE(checks[0].fired);
  EXPECT_DOUBLE_EQ(*checks[0].observed, 0.31);
  EXPECT_NE(checks[0].detail.find("temperature"), std::string::npos) << checks[0].detail;
  EXPECT_TRUE(checks[1].fired);
  EXPECT_NEAR(*checks[1].observed, 0.06, 1e-12);
  EXPECT_FALSE(checks[2].fired);
  EXPECT_DOUBLE_EQ(*checks[2].observed, 0.25);
  EXPECT_TRUE(checks[3].fired);  // 1 failure in 4 events
  EXPECT_DOUBLE_EQ(*checks[3].observed, 0.25);
  // Latencies 10, 10, 900, 100: p95 = 100 + 0.85·800 = 780.
  EXPECT_TRUE(checks[4].fired);
  EXPECT_DOUBLE_EQ(*checks[4].observed, 780.0);

  int raised = 0;
  alerts.check("fire-risk", 1, &raised);
  EXPECT_EQ(raised, 4);
  alerts.check("fire-risk", 1, &raised);
  EXPECT_EQ(raised, 0) << "an open alert is not raised twice";
  EXPECT_EQ(alerts.openAlerts("fire-risk", 1).size(), 4u);
  EXPECT_EQ(alerts.openAlerts().size(), 4u);
  const auto audit = Registry(*m_workspace).audit("fire-risk");
  EXPECT_EQ(std::count_if(audit.begin(), audit.end(), [](const AuditEntry& e) { return e.action == "needs-retraining"; }), 4);

  EXPECT_EQ(alerts.clear("fire-risk", 1, "retrained on 2026 data"), 4);
  EXPECT_TRUE(alerts.openAlerts("fire-risk").empty());
  EXPECT_EQ(Registry(*m_workspace).audit("fire-risk").front().action, "alerts-cleared");
  EXPECT_EQ(Registry(*m_workspace).audit("fire-risk").front().reason, "retrained on 2026 data");
}

TEST_F(MonitoringAlertsTest, BadRulesAndUnknownModelsAreNamed) {
  MonitoringAlerts alerts(*m_workspace);
  EXPECT_THROW(alerts.setRules("nope", "[]"), NotFound);
  try {
    alerts.setRules("fire-risk", R"([{"auc_drop": 0.05}, {"psi": 0.2}])");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("alert rule 2"), std::string::npos) << e.what();
  }
  EXPECT_THROW(alerts.setRules("fire-risk", R"([{"max_error_rate": -1}])"), InputError);
  EXPECT_THROW(alerts.setRules("fire-risk", R"([{"feature_psi": 0.2, "top_features": 0}])"), InputError);
  EXPECT_THROW(alerts.setRules("fire-risk", "{not json"), InputError);
  EXPECT_TRUE(alerts.rules("fire-risk").empty()) << "nothing stored by a refused call";
  EXPECT_THROW(alerts.evaluate("fire-risk", 9), NotFound);
}

}  // namespace
}  // namespace geih::store
