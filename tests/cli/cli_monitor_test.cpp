// geih monitor on the demo workspace: its scoring and drift events aggregate per day; alert
// rules fire on the demo's warmer season (temperature drifted), mark the Production version as
// needing retraining in `geih models`, are not raised twice, and are cleared with a reason;
// batches served elsewhere are logged; bad rules and unknown models exit 2.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/cli/cli_runner.h"

namespace geih::cli::testing {
namespace {

TEST(CliMonitorTest, StatsRulesCheckAlertsClear) {
  TempDir dir("geih_cli_monitor");
  const std::string ws = dir / "ws";
  ASSERT_EQ(runGeih({"demo", "--workspace", ws, "--rows", "3000", "--quiet"}).exitCode, 0);

  Result r = runGeih({"monitor", "log", "--model", "fire-risk", "--rows", "50", "--latency-ms", "12", "-w", ws, "-q"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  r = runGeih({"monitor", "log", "--model", "fire-risk", "--rows", "50", "--latency-ms", "40", "--failed", "-w", ws, "-q"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  r = runGeih({"monitor", "stats", "--model", "fire-risk", "-w", ws, "--format", "json"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const auto stats = nlohmann::json::parse(r.out);
  ASSERT_EQ(stats.size(), 1u);  // one version, one day
  EXPECT_EQ(stats[0]["version"], 2);
  EXPECT_EQ(stats[0]["events"], 4);  // the demo's risk map and drift check, and the two above
  EXPECT_EQ(stats[0]["failures"], 1);
  EXPECT_DOUBLE_EQ(stats[0]["error_rate"].get<double>(), 0.25);

  r = runGeih({"monitor", "rules", "fire-risk", "--set",
               R"([{"feature_psi": 0.1, "top_features": 5}, {"max_drift_share": 0.9}, {"max_error_rate": 0.5}])",
               "-w", ws, "--format", "json"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["rules"].size(), 3u);

  r = runGeih({"monitor", "check", "fire-risk", "-w", ws, "--format", "json"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const auto check = nlohmann::json::parse(r.out);
  EXPECT_EQ(check["version"], 2);
  EXPECT_TRUE(check["checks"][0]["fired"]) << check.dump(2);  // +3 °C moves temperature's PSI far past 0.1
  EXPECT_FALSE(check["checks"][1]["fired"]);
  EXPECT_FALSE(check["checks"][2]["fired"]);
  EXPECT_EQ(check["raised"], 1);
  EXPECT_TRUE(check["needs_retraining"]);
  r = runGeih({"monitor", "check", "fire-risk", "-w", ws, "--format", "json"});
  EXPECT_EQ(nlohmann::json::parse(r.out)["raised"], 0);

  r = runGeih({"models", "show", "fire-risk", "-w", ws, "--format", "json"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  for (const auto& version : nlohmann::json::parse(r.out)) {
    EXPECT_EQ(version["open_alerts"], version["version"] == 2 ? 1 : 0) << version.dump();
  }
  r = runGeih({"models", "list", "-w", ws});
  EXPECT_NE(r.out.find("needs retraining"), std::string::npos) << r.out;
  r = runGeih({"monitor", "alerts", "-w", ws, "--format", "json"});
  EXPECT_EQ(nlohmann::json::parse(r.out).size(), 1u);

  r = runGeih({"monitor", "clear", "fire-risk", "2", "--reason", "retrained on this season", "-w", ws});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  r = runGeih({"monitor", "alerts", "-w", ws, "--format", "json"});
  EXPECT_TRUE(nlohmann::json::parse(r.out).empty());
  r = runGeih({"models", "audit", "fire-risk", "-w", ws, "--format", "json"});
  EXPECT_NE(r.out.find("alerts-cleared"), std::string::npos);
  EXPECT_NE(r.out.find("needs-retraining"), std::string::npos);
}

TEST(CliMonitorTest, BadInputExitsTwo) {
  TempDir dir("geih_cli_monitor_bad");
  const std::string ws = dir / "ws";
  ASSERT_EQ(runGeih({"demo", "--workspace", ws, "--rows", "2000", "--quiet"}).exitCode, 0);
  Result r = runGeih({"monitor", "rules", "fire-risk", "--set", R"([{"psi_max": 1}])", "-w", ws});
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_NE(r.err.find("alert rule 1"), std::string::npos) << r.err;
  r = runGeih({"monitor", "check", "no-such-model", "-w", ws});
  EXPECT_EQ(r.exitCode, 2);
  r = runGeih({"monitor", "log", "--model", "fire-risk", "--version", "9", "--latency-ms", "3", "-w", ws});
  EXPECT_EQ(r.exitCode, 2);
  r = runGeih({"monitor", "log", "--model", "fire-risk", "--latency-ms", "3", "--summary", "[1]", "-w", ws});
  EXPECT_EQ(r.exitCode, 2);
}

}  // namespace
}  // namespace geih::cli::testing
