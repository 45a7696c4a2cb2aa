// `geih models ...` end to end on a demo workspace: register, gates, a refused promotion (exit 3),
// a forced one, promotion archiving the previous version, rollback, aliases, audit and export.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/cli/cli_runner.h"

namespace {

namespace fs = std::filesystem;
using geih::cli::testing::Result;
using geih::cli::testing::runGeih;
using geih::cli::testing::TempDir;

TEST(CliModelsTest, RegistryLifecycleFromTheCommandLine) {
  TempDir dir("geih_cli_models");
  const std::string ws = dir / "ws";
  ASSERT_EQ(runGeih({"demo", "--workspace", ws, "--quiet"}).exitCode, 0);

  // The baseline experiment's runs, worst first by ROC AUC (temperature only: 0.807).
  const Result list = runGeih({"runs", "list", "--workspace", ws, "--format", "json",
                               "--experiment", "fire-risk-baseline", "--order-by", "metrics.roc_auc"});
  ASSERT_EQ(list.exitCode, 0) << list.err;
  const auto runs = nlohmann::json::parse(list.out);
  ASSERT_EQ(runs.size(), 4u);
  std::vector<std::string> ids;
  for (const auto& run : runs) ids.push_back(run["run_id"]);
  EXPECT_LT(runs[0]["metrics"]["roc_auc"].get<double>(), 0.85);
  EXPECT_GT(runs[1]["metrics"]["roc_auc"].get<double>(), 0.85);

  for (const std::string& id : ids) {
    const Result reg = runGeih({"models", "register", id, "--name", "fire", "--workspace", ws,
                                "--format", "json"});
    ASSERT_EQ(reg.exitCode, 0) << reg.err;
  }
  {
    std::ofstream(dir / "gates.json")
        << R"({"rules": ["metrics.roc_auc >= 0.85", {"not_worse_than_production": "roc_auc"}]})";
  }
  ASSERT_EQ(runGeih({"models", "gates", "fire", "--set", dir / "gates.json", "--workspace", ws})
                .exitCode,
            0);

  // Version 1 (AUC 0.807) fails the threshold: exit 3, the failed rule named, nothing promoted.
  const Result refused = runGeih({"models", "promote", "fire", "1", "--workspace", ws});
  EXPECT_EQ(refused.exitCode, 3);
  EXPECT_NE(refused.err.find("metrics.roc_auc >= 0.85"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("--force"), std::string::npos) << refused.err;
  const Result forcedNoReason =
      runGeih({"models", "promote", "fire", "1", "--force", "--workspace", ws});
  EXPECT_EQ(forcedNoReason.exitCode, 2);
  EXPECT_NE(forcedNoReason.err.find("reason"), std::string::npos);

  const Result second = runGeih({"models", "promote", "fire", "2", "--workspace", ws, "--format", "json"});
  ASSERT_EQ(second.exitCode, 0) << second.err;
  EXPECT_EQ(nlohmann::json::parse(second.out)["stage"], "Production");
  const Result fourth = runGeih({"models", "promote", "fire", "4", "--workspace", ws, "--format", "json"});
  ASSERT_EQ(fourth.exitCode, 0) << fourth.err;
  EXPECT_EQ(nlohmann::json::parse(fourth.out)["archived_version"], 2);
  // Version 3 is worse than Production (version 4) on the same split: refused.
  EXPECT_EQ(runGeih({"models", "promote", "fire", "3", "--workspace", ws}).exitCode, 3);

  const Result rollback = runGeih({"models", "rollback", "fire", "--reason", "field check",
                                   "--workspace", ws, "--format", "json"});
  ASSERT_EQ(rollback.exitCode, 0) << rollback.err;
  EXPECT_EQ(nlohmann::json::parse(rollback.out)["version"], 2);
  const Result production =
      runGeih({"models", "show", "fire@production", "--workspace", ws, "--format", "json"});
  ASSERT_EQ(production.exitCode, 0) << production.err;
  EXPECT_EQ(nlohmann::json::parse(production.out)[0]["version"], 2);

  ASSERT_EQ(runGeih({"models", "alias", "fire", "4", "champion", "--workspace", ws}).exitCode, 0);
  EXPECT_EQ(runGeih({"models", "alias", "fire", "4", "latest", "--workspace", ws}).exitCode, 2);

  const Result audit = runGeih({"models", "audit", "fire", "--workspace", ws, "--format", "json"});
  ASSERT_EQ(audit.exitCode, 0) << audit.err;
  const auto entries = nlohmann::json::parse(audit.out);
  EXPECT_EQ(entries[0]["action"], "alias");
  EXPECT_EQ(entries[1]["action"], "rollback");
  EXPECT_EQ(entries[1]["reason"], "field check");
  int refusals = 0;
  for (const auto& entry : entries) refusals += entry["action"] == "promote-refused";
  EXPECT_EQ(refusals, 2);

  const std::string bundle = dir / "bundle";
  const Result exported =
      runGeih({"models", "export", "fire@champion", "--output", bundle, "--workspace", ws});
  ASSERT_EQ(exported.exitCode, 0) << exported.err;
  for (const char* file : {"model.json", "model_info.json", "model_card.md", "model_card.html"}) {
    EXPECT_TRUE(fs::exists(fs::path(bundle) / file)) << file;
  }
  std::ifstream infoFile(fs::path(bundle) / "model_info.json");
  const auto info = nlohmann::json::parse(infoFile);
  EXPECT_EQ(info["version"], 4);
  EXPECT_EQ(info["run_id"], ids[3]);
  EXPECT_EQ(runGeih({"models", "export", "fire@champion", "--output", bundle, "--workspace", ws})
                .exitCode,
            2);  // the folder exists

  EXPECT_EQ(runGeih({"models", "show", "smoke", "--workspace", ws}).exitCode, 2);
  EXPECT_EQ(runGeih({"models", "promote", "fire", "x", "--workspace", ws}).exitCode, 2);
}

}  // namespace
