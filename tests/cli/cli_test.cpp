// End-to-end tests of the geih binary on temporary workspaces: exit codes, JSON output, files.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

#include "tests/cli/cli_runner.h"

namespace {

namespace fs = std::filesystem;
using geih::cli::testing::Result;
using geih::cli::testing::runGeih;
using geih::cli::testing::TempDir;

void writeText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

// A small separable-ish table: label 1 when x1 + noise is large.
std::string smallTrainingCsv() {
  std::string csv = "x1,x2,colour,label\n";
  for (int i = 0; i < 200; ++i) {
    const double x1 = (i % 20) / 2.0;
    const double x2 = (i * 7 % 13) / 3.0;
    const int label = (x1 + ((i * 31) % 5) - 2.0) > 5.0 ? 1 : 0;
    csv += std::to_string(x1) + "," + std::to_string(x2) + "," + (i % 3 ? "red" : "blue") + "," +
           std::to_string(label) + "\n";
  }
  return csv;
}

TEST(CliTest, DemoThenRunsListShowAndDataList) {
  TempDir dir("geih_cli_demo");
  const std::string ws = dir / "ws";
  const Result demo = runGeih({"demo", "--workspace", ws, "--format", "json", "--quiet"});
  ASSERT_EQ(demo.exitCode, 0) << demo.err;
  const auto summary = nlohmann::json::parse(demo.out);
  EXPECT_EQ(summary["runs"].size(), 9u);
  EXPECT_GT(summary["best_roc_auc"].get<double>(), 0.75);
  EXPECT_TRUE(fs::exists(fs::path(ws) / "geih.db"));
  EXPECT_TRUE(fs::is_directory(fs::path(ws) / "artifacts"));
  EXPECT_TRUE(fs::is_directory(fs::path(ws) / "data" / "raw"));
  // The registry, the risk map of the landscape and the drift report of a warmer season.
  EXPECT_EQ(summary["registered_model"], "fire-risk");
  EXPECT_EQ(summary["production_version"], 2);
  for (const char* file : {"maps/fire_risk.tif", "maps/fire_risk_classes.tif", "maps/fire_risk.json",
                           "maps/fire_risk_classes.png", "maps/fire_risk_classes.qml",
                           "reports/drift_current_season.html", "data/external/landscape.tif"}) {
    EXPECT_TRUE(fs::exists(fs::path(ws) / file)) << file;
  }
  // +3 °C shifts temperature (and what follows it) but not the terrain.
  EXPECT_GT(summary["share_drifted"].get<double>(), 0.0);
  EXPECT_LT(summary["share_drifted"].get<double>(), 0.5);
  const Result production = runGeih({"models", "show", "fire-risk@champion", "--workspace", ws,
                                     "--format", "json"});
  ASSERT_EQ(production.exitCode, 0) << production.err;
  EXPECT_EQ(nlohmann::json::parse(production.out)[0]["stage"], "Production");

  const Result list = runGeih({"runs", "list", "--workspace", ws, "--format", "json"});
  ASSERT_EQ(list.exitCode, 0) << list.err;
  const auto runs = nlohmann::json::parse(list.out);
  ASSERT_EQ(runs.size(), 9u);
  std::set<std::string> experiments, models;
  for (const auto& run : runs) {
    EXPECT_EQ(run["status"], "FINISHED");
    models.insert(run["params"]["model"].get<std::string>());
    const double auc = run["metrics"]["roc_auc"].get<double>();
    EXPECT_GT(auc, 0.5);
    EXPECT_LE(auc, 1.0);
    EXPECT_EQ(run["run_id"].get<std::string>().size(), 32u);
    experiments.insert(run["experiment"].get<std::string>());
  }
  EXPECT_EQ(experiments, (std::set<std::string>{"fire-risk-baseline", "fire-risk-tuning",
                                                "fire-risk-model-families"}));
  EXPECT_EQ(models, (std::set<std::string>{"logistic", "gbdt", "forest"}));

  // More of the risk function's inputs give a better ranking: temperature < weather < all.
  double temperatureAuc = 0, weatherAuc = 0, allAuc = 0;
  for (const auto& run : runs) {
    if (run["name"] == "temperature only") temperatureAuc = run["metrics"]["roc_auc"];
    if (run["name"] == "weather only") weatherAuc = run["metrics"]["roc_auc"];
    if (run["name"] == "all features") allAuc = run["metrics"]["roc_auc"];
  }
  EXPECT_GT(weatherAuc, temperatureAuc);
  EXPECT_GT(allAuc, weatherAuc);

  const std::string runId = summary["best_run_id"];
  const Result show =
      runGeih({"runs", "show", runId.substr(0, 8), "--workspace", ws, "--format", "json"});
  ASSERT_EQ(show.exitCode, 0) << show.err;
  const auto detail = nlohmann::json::parse(show.out);
  EXPECT_EQ(detail["run_id"], runId);
  ASSERT_EQ(detail["datasets"].size(), 1u);
  EXPECT_EQ(detail["datasets"][0]["role"], "data");
  EXPECT_EQ(detail["datasets"][0]["name"], "fire_demo");
  EXPECT_EQ(detail["datasets"][0]["rows"], 20000);
  bool hasModel = false;
  for (const auto& artifact : detail["artifacts"]) hasModel |= artifact["path"] == "model.json";
  EXPECT_TRUE(hasModel);

  const Result data = runGeih({"data", "list", "--workspace", ws, "--format", "json"});
  ASSERT_EQ(data.exitCode, 0) << data.err;
  const auto datasets = nlohmann::json::parse(data.out);
  // The training data and the current season the drift check compares against it.
  ASSERT_EQ(datasets.size(), 2u);
  std::set<std::string> names;
  for (const auto& dataset : datasets) {
    names.insert(dataset["name"].get<std::string>());
    EXPECT_EQ(dataset["version"], 1);
  }
  EXPECT_EQ(names, (std::set<std::string>{"fire_demo", "fire_current"}));

  const Result csv = runGeih({"runs", "list", "--workspace", ws, "--format", "csv"});
  ASSERT_EQ(csv.exitCode, 0) << csv.err;
  EXPECT_EQ(std::count(csv.out.begin(), csv.out.end(), '\n'), 10);  // header + 9 runs

  // A second demo into the same workspace is refused and adds nothing.
  const Result again = runGeih({"demo", "--workspace", ws, "--quiet"});
  EXPECT_EQ(again.exitCode, 2);
  EXPECT_NE(again.err.find("already holds the demo"), std::string::npos) << again.err;
  EXPECT_EQ(nlohmann::json::parse(runGeih({"runs", "list", "-w", ws, "-f", "json"}).out).size(), 9u);
}

TEST(CliTest, TrainOnCsvPrintsRunIdAndMetricsAndTracksTheRun) {
  TempDir dir("geih_cli_train");
  const std::string ws = dir / "ws";
  const std::string csv = dir / "small.csv";
  writeText(csv, smallTrainingCsv());
  const Result train = runGeih({"train", "--data", csv, "--target", "label", "--param", "C=2",
                                "--experiment", "smoke", "--workspace", ws, "--format", "json", "-q"});
  ASSERT_EQ(train.exitCode, 0) << train.err;
  const auto result = nlohmann::json::parse(train.out);
  EXPECT_EQ(result["experiment"], "smoke");
  EXPECT_EQ(result["train_rows"].get<int>() + result["test_rows"].get<int>(), 200);
  EXPECT_EQ(result["test_rows"], 40);
  EXPECT_GT(result["metrics"]["roc_auc"].get<double>(), 0.8);

  const auto runs = nlohmann::json::parse(runGeih({"runs", "list", "-w", ws, "-f", "json"}).out);
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0]["run_id"], result["run_id"]);
  EXPECT_EQ(runs[0]["params"]["C"], "2");
}

TEST(CliTest, RealDataImportProfileAndTrain) {
  // The breast-cancer table (tests/data/README.md): 569 rows, 212 malignant (0), 357 benign (1).
  TempDir dir("geih_cli_real");
  const std::string ws = dir / "ws";
  const std::string csv = std::string(GEIH_TEST_DATA_DIR) + "/breast_cancer.csv";
  const Result import = runGeih({"data", "import", csv, "--name", "breast_cancer", "-w", ws,
                                 "--format", "json", "-q"});
  ASSERT_EQ(import.exitCode, 0) << import.err;
  const auto record = nlohmann::json::parse(import.out);
  EXPECT_EQ(record["rows"], 569);
  EXPECT_EQ(record["version"], 1);
  EXPECT_EQ(record["schema"].size(), 31u);

  const Result show = runGeih({"data", "show", "breast_cancer@1", "-w", ws, "--format", "json"});
  ASSERT_EQ(show.exitCode, 0) << show.err;
  const auto profile = nlohmann::json::parse(show.out)["profile"];
  const auto target = profile.back();
  EXPECT_EQ(target["name"], "target");
  EXPECT_EQ(target["count"], 569);
  EXPECT_NEAR(target["mean"].get<double>(), 357.0 / 569.0, 1e-12);

  const Result train = runGeih({"train", "--data", "dataset:breast_cancer", "--target", "target",
                                "-w", ws, "--format", "json", "-q"});
  ASSERT_EQ(train.exitCode, 0) << train.err;
  const auto result = nlohmann::json::parse(train.out);
  EXPECT_EQ(result["test_rows"], 113);  // stratified: round(0.2 * 212) + round(0.2 * 357) = 42 + 71
  // scikit-learn's LogisticRegression on scaled features reaches ~0.99 test AUC on this table.
  EXPECT_GT(result["metrics"]["roc_auc"].get<double>(), 0.98);
  // Training from the registered dataset did not register it again.
  const auto datasets = nlohmann::json::parse(runGeih({"data", "list", "-w", ws, "-f", "json"}).out);
  EXPECT_EQ(datasets.size(), 1u);
}

TEST(CliTest, BadInputExitsTwoNamingWhatAndLeavesNoRun) {
  TempDir dir("geih_cli_bad");
  const std::string ws = dir / "ws";
  const std::string csv = dir / "small.csv";
  writeText(csv, smallTrainingCsv());

  const Result unknownTarget =
      runGeih({"train", "--data", csv, "--target", "nope", "--workspace", ws, "-q"});
  EXPECT_EQ(unknownTarget.exitCode, 2);
  EXPECT_NE(unknownTarget.err.find("nope"), std::string::npos) << unknownTarget.err;

  const Result textTarget =
      runGeih({"train", "--data", csv, "--target", "colour", "--workspace", ws, "-q"});
  EXPECT_EQ(textTarget.exitCode, 2);
  EXPECT_NE(textTarget.err.find("colour"), std::string::npos) << textTarget.err;

  const Result badParam =
      runGeih({"train", "--data", csv, "--target", "label", "--param", "C=-1", "-w", ws, "-q"});
  EXPECT_EQ(badParam.exitCode, 2);
  EXPECT_NE(badParam.err.find("C"), std::string::npos) << badParam.err;

  const std::string broken = dir / "broken.csv";
  writeText(broken, "a,b,label\n1,2,0\n3,\"4,1\n");
  const Result malformed =
      runGeih({"train", "--data", broken, "--target", "label", "--workspace", ws, "-q"});
  EXPECT_EQ(malformed.exitCode, 2);
  EXPECT_NE(malformed.err.find("broken.csv"), std::string::npos) << malformed.err;
  EXPECT_NE(malformed.err.find(":3"), std::string::npos) << malformed.err;  // the line

  const Result missingFile =
      runGeih({"train", "--data", dir / "absent.csv", "--target", "label", "-w", ws, "-q"});
  EXPECT_EQ(missingFile.exitCode, 2);
  EXPECT_NE(missingFile.err.find("absent.csv"), std::string::npos) << missingFile.err;

  const Result badFormat = runGeih({"runs", "list", "-w", ws, "--format", "xml"});
  EXPECT_EQ(badFormat.exitCode, 2);

  // None of the failures created a run.
  const Result runs = runGeih({"runs", "list", "-w", ws, "-f", "json"});
  ASSERT_EQ(runs.exitCode, 0) << runs.err;
  EXPECT_EQ(nlohmann::json::parse(runs.out).size(), 0u);

  const Result unknownRun = runGeih({"runs", "show", "ffffffffffff", "-w", ws});
  EXPECT_EQ(unknownRun.exitCode, 2);
  EXPECT_NE(unknownRun.err.find("ffffffffffff"), std::string::npos) << unknownRun.err;
}

TEST(CliTest, ReadCommandsDoNotCreateAMissingWorkspace) {
  TempDir dir("geih_cli_missing");
  const std::string ws = dir / "typo";
  const Result list = runGeih({"runs", "list", "--workspace", ws});
  EXPECT_EQ(list.exitCode, 2);
  EXPECT_NE(list.err.find("typo"), std::string::npos) << list.err;
  EXPECT_FALSE(fs::exists(ws));
}

TEST(CliTest, EvalPredictionsMatchesHandComputedMetrics) {
  TempDir dir("geih_cli_eval");
  const std::string csv = dir / "predictions.csv";
  // Positives score 0.35 and 0.8, negatives 0.1 and 0.4: 3 of 4 pairs ordered -> AUC 0.75.
  writeText(csv, "label,score\n0,0.1\n0,0.4\n1,0.35\n1,0.8\n");
  const Result result = runGeih({"eval", "--predictions", csv, "--label", "label", "--score",
                                 "score", "--format", "json"});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  const auto metrics = nlohmann::json::parse(result.out);
  EXPECT_DOUBLE_EQ(metrics["roc_auc"].get<double>(), 0.75);
  // Threshold 0.5: predicted positive only 0.8 -> TP 1, FP 0, TN 2, FN 1.
  EXPECT_DOUBLE_EQ(metrics["accuracy"].get<double>(), 0.75);
  EXPECT_DOUBLE_EQ(metrics["precision"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(metrics["recall"].get<double>(), 0.5);
  // AP: ranks 0.8(P) 0.4(N) 0.35(P) 0.1(N): 0.5*1 + 0.5*(2/3).
  EXPECT_NEAR(metrics["average_precision"].get<double>(), 0.5 + 0.5 * 2.0 / 3.0, 1e-12);
  EXPECT_EQ(metrics["confusion_matrix"]["fn"], 1);

  writeText(csv, "label,score\n0,0.1\n2,0.4\n");
  const Result bad = runGeih({"eval", "--predictions", csv, "--label", "label", "--score", "score"});
  EXPECT_EQ(bad.exitCode, 2);
  EXPECT_NE(bad.err.find(":3"), std::string::npos) << bad.err;  // file:line of the bad label
}

}  // namespace

TEST(CliTest, TrainRegressionWithCrossValidationSearchAndConfig) {
  TempDir dir("geih_cli_train_more");
  const std::string ws = dir / "ws";
  ASSERT_EQ(runGeih({"demo", "--workspace", ws, "--quiet"}).exitCode, 0);
  const std::string data = (fs::path(ws) / "data" / "external" / "fire_demo.csv").string();

  const Result regression =
      runGeih({"train", "-w", ws, "--data", data, "--target", "temperature_c", "--model", "gbdt",
               "--exclude", "fire", "--cv", "kfold:3", "--param", "n_estimators=30", "-f", "json",
               "--quiet"});
  ASSERT_EQ(regression.exitCode, 0) << regression.err;
  const auto run = nlohmann::json::parse(regression.out);
  EXPECT_EQ(run["task"], "regression");
  EXPECT_GT(run["metrics"]["r2"].get<double>(), 0.3);
  EXPECT_TRUE(run["cv_metrics"].contains("cv_rmse_mean"));

  // Logistic cannot fit a continuous target: exit 2, and the message says what to do.
  const Result wrong = runGeih({"train", "-w", ws, "--data", data, "--target", "temperature_c"});
  EXPECT_EQ(wrong.exitCode, 2);
  EXPECT_NE(wrong.err.find("does not do regression"), std::string::npos) << wrong.err;
  EXPECT_EQ(runGeih({"train", "-w", ws, "--data", data, "--target", "fire", "--cv", "folds:3"})
                .exitCode,
            2);

  const fs::path search = fs::path(ws) / "search.json";
  std::ofstream(search) << R"({"method": "grid", "space": {"max_depth": [2, 6]}})";
  const Result searched = runGeih({"train", "-w", ws, "--data", data, "--target", "fire",
                                   "--model", "tree", "--search", search.string(), "-f", "json",
                                   "--quiet"});
  ASSERT_EQ(searched.exitCode, 0) << searched.err;
  EXPECT_EQ(nlohmann::json::parse(searched.out).size(), 3u);  // the parent and two trials

  const fs::path config = fs::path(ws) / "config.json";
  std::ofstream(config) << R"({"experiment": "families", "target": "fire", "data": ")" << data
                        << R"(", "models": [{"model": "logistic"}, {"model": "forest",
                             "params": {"n_estimators": 10}}]})";
  const Result configured =
      runGeih({"train", "-w", ws, "--config", config.string(), "-f", "json", "--quiet"});
  ASSERT_EQ(configured.exitCode, 0) << configured.err;
  EXPECT_EQ(nlohmann::json::parse(configured.out).size(), 2u);
}
