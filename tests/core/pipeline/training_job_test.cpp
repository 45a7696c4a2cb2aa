#include "core/pipeline/training_job.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "core/common/error.h"
#include "core/ml/learner_registry.h"
#include "core/ml/logistic_regression.h"
#include "core/pipeline/search_job.h"
#include "core/pipeline/train_config.h"
#include "core/table/csv_reader.h"
#include "core/table/csv_writer.h"
#include "core/table/synthetic_fire.h"

namespace geih::pipeline {
namespace {

namespace fs = std::filesystem;

class TrainingJobTest : public ::testing::Test {
 protected:
  void SetUp() override {
    m_dir = fs::temp_directory_path() /
            ("geih_training_job_" + std::to_string(getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(m_dir);
    fs::create_directories(m_dir);
    table::SyntheticFireOptions options;
    options.rows = 6000;
    options.seed = 5;
    m_csv = m_dir / "fire.csv";
    table::writeCsv(table::makeSyntheticFireTable(options), m_csv);
  }
  void TearDown() override { fs::remove_all(m_dir); }

  TrainRequest request() const {
    TrainRequest r;
    r.experiment = "test";
    r.dataFile = m_csv.string();
    r.target = "fire";
    r.exclude = {"x", "y", "day_of_year"};
    r.gitSearchFrom = m_dir;
    return r;
  }

  fs::path m_dir;
  fs::path m_csv;
};

TEST_F(TrainingJobTest, TracksEverythingAboutTheRun) {
  store::Workspace workspace = store::Workspace::open(m_dir / "ws");
  const TrainResult result = runTraining(workspace, request());
  EXPECT_EQ(result.trainRows + result.testRows, 6000u);
  EXPECT_EQ(result.testRows, 1200u);

  const store::RunDetail detail = workspace.runDetail(result.runId);
  EXPECT_EQ(detail.summary.status, store::RunStatus::Finished);
  EXPECT_EQ(detail.summary.params.at("model"), "logistic");
  EXPECT_EQ(detail.summary.params.at("C"), "1");
  EXPECT_EQ(detail.seed, 42u);
  EXPECT_EQ(detail.configHash.size(), 64u);
  EXPECT_GT(detail.summary.metrics.at("roc_auc"), 0.75);
  ASSERT_EQ(detail.datasets.size(), 1u);
  EXPECT_EQ(detail.datasets[0].role, "data");
  EXPECT_EQ(detail.datasets[0].dataset.rows, 6000);

  // The curves are stored as data and the model artifact reloads to the logged metrics.
  // ROC, PR, the confusion matrix at the threshold and the permutation importance (a linear
  // model has no gain importance).
  const auto curves = workspace.curves(result.runId);
  std::set<std::string> names;
  for (const auto& curve : curves) {
    names.insert(curve.name);
    if (curve.name != "confusion_matrix") continue;
    // The counts agree with the logged test metrics.
    const auto cm = nlohmann::json::parse(curve.json);
    const double tp = cm["tp"], fp = cm["fp"], tn = cm["tn"], fn = cm["fn"];
    EXPECT_DOUBLE_EQ(tp + fp + tn + fn, detail.summary.metrics.at("test_rows"));
    EXPECT_DOUBLE_EQ(tp / (tp + fp), detail.summary.metrics.at("precision"));
    EXPECT_DOUBLE_EQ(tp / (tp + fn), detail.summary.metrics.at("recall"));
  }
  EXPECT_EQ(names, (std::set<std::string>{"roc", "pr", "confusion_matrix", "importance_permutation"}));
  const auto model = ml::loadModelText(workspace.readArtifact(result.runId, "model.json"));
  EXPECT_EQ(model->trainingInfo().runId, result.runId);
  EXPECT_EQ(model->trainingInfo().datasetSha256, detail.datasets[0].dataset.sha256);
  EXPECT_EQ(model->target(), "fire");
}

TEST_F(TrainingJobTest, SameSeedSameModelBytes) {
  store::Workspace workspace = store::Workspace::open(m_dir / "ws");
  const TrainResult first = runTraining(workspace, request());
  const TrainResult second = runTraining(workspace, request());
  EXPECT_NE(first.runId, second.runId);
  const auto strip = [](std::string text) {
    // The model embeds its run id and creation time; everything else must match byte for byte.
    auto json = nlohmann::json::parse(text);
    json.erase("training");
    return json.dump();
  };
  EXPECT_EQ(strip(workspace.readArtifact(first.runId, "model.json")),
            strip(workspace.readArtifact(second.runId, "model.json")));
}

TEST_F(TrainingJobTest, BadInputCreatesNoRun) {
  store::Workspace workspace = store::Workspace::open(m_dir / "ws");
  TrainRequest unknownTarget = request();
  unknownTarget.target = "burned";
  EXPECT_THROW(runTraining(workspace, unknownTarget), Error);

  TrainRequest textTarget = request();
  textTarget.target = "land_cover";
  textTarget.exclude = {};
  try {
    runTraining(workspace, textTarget);
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("land_cover"), std::string::npos);
  }

  TrainRequest nonBinary = request();
  nonBinary.target = "slope_deg";
  EXPECT_THROW(runTraining(workspace, nonBinary), InputError);

  TrainRequest badFeature = request();
  badFeature.features = {"temperature_c", "no_such_column"};
  EXPECT_THROW(runTraining(workspace, badFeature), InputError);

  TrainRequest badParam = request();
  badParam.params = {{"C", "zero"}};
  EXPECT_THROW(runTraining(workspace, badParam), InputError);

  TrainRequest missingFile = request();
  missingFile.dataFile = (m_dir / "absent.csv").string();
  EXPECT_THROW(runTraining(workspace, missingFile), InputError);

  TrainRequest bothForms = request();
  bothForms.trainFile = m_csv.string();
  EXPECT_THROW(runTraining(workspace, bothForms), InputError);

  EXPECT_EQ(workspace.countRuns(), 0u);
}

TEST_F(TrainingJobTest, CancelledTrainingMarksTheRunKilled) {
  store::Workspace workspace = store::Workspace::open(m_dir / "ws");
  // Cancel as soon as training starts: validation and registration have passed by then.
  struct CancelOnTraining : Progress {
    void report(double fraction, std::string_view stage) override {
      Progress::report(fraction, stage);
      if (stage.rfind("training", 0) == 0) cancel();
    }
  } cancelling;
  EXPECT_THROW(runTraining(workspace, request(), cancelling), Cancelled);
  const auto runs = workspace.listRuns();
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].status, store::RunStatus::Killed);
}

TEST_F(TrainingJobTest, SeparateTrainAndTestFilesAreLinkedWithTheirRoles) {
  const table::Table all = table::readCsv(m_csv).table;
  std::vector<std::size_t> first, second;
  for (std::size_t i = 0; i < all.rowCount(); ++i) (i < 4000 ? first : second).push_back(i);
  table::writeCsv(all.selectRows(first), m_dir / "train.csv");
  table::writeCsv(all.selectRows(second), m_dir / "test.csv");
  store::Workspace workspace = store::Workspace::open(m_dir / "ws");
  TrainRequest r = request();
  r.dataFile.clear();
  r.trainFile = (m_dir / "train.csv").string();
  r.testFile = (m_dir / "test.csv").string();
  const TrainResult result = runTraining(workspace, r);
  EXPECT_EQ(result.trainRows, 4000u);
  EXPECT_EQ(result.testRows, 2000u);
  const auto detail = workspace.runDetail(result.runId);
  ASSERT_EQ(detail.datasets.size(), 2u);
  std::set<std::string> roles;
  for (const auto& input : detail.datasets) roles.insert(input.role);
  EXPECT_EQ(roles, (std::set<std::string>{"train", "test"}));
}

}  // namespace
}  // namespace geih::pipeline

namespace geih::pipeline {
namespace {

class TrainingTasksTest : public TrainingJobTest {};

TEST_F(TrainingTasksTest, RegressionRunsLogErrorsCurvesAndImportance) {
  store::Workspace workspace = store::Workspace::open(m_dir / "ws");
  TrainRequest r = request();
  r.target = "temperature_c";
  r.exclude = {"x", "y", "day_of_year", "fire"};
  r.model = "gbdt";
  r.params = {{"n_estimators", "40"}};
  const TrainResult result = runTraining(workspace, r);
  EXPECT_EQ(result.task, "regression");
  std::map<std::string, double> metrics(result.metrics.begin(), result.metrics.end());
  ASSERT_TRUE(metrics.count("r2") && metrics.count("rmse") && metrics.count("mae"));
  EXPECT_GT(metrics["r2"], 0.3);  // temperature follows the day of year and elevation
  EXPECT_LE(metrics["r2"], 1.0);
  const store::RunDetail detail = workspace.runDetail(result.runId);
  EXPECT_EQ(detail.summary.params.at("task"), "regression");
  std::map<std::string, nlohmann::json> curves;
  for (const store::CurveRecord& curve : workspace.curves(result.runId)) {
    curves[curve.name] = nlohmann::json::parse(curve.json);
  }
  ASSERT_TRUE(curves.count("pred_vs_actual") && curves.count("residuals"));
  EXPECT_EQ(curves["pred_vs_actual"]["actual"].size(), result.testRows);  // 1,200 <= 2,000
  const double actual0 = curves["pred_vs_actual"]["actual"][0];
  const double predicted0 = curves["pred_vs_actual"]["predicted"][0];
  EXPECT_DOUBLE_EQ(curves["residuals"]["residual"][0].get<double>(), actual0 - predicted0);
  ASSERT_TRUE(curves.count("importance_gain") && curves.count("importance_permutation"));
  double total = 0;
  for (const auto& value : curves["importance_gain"]["importance"]) total += value.get<double>();
  EXPECT_NEAR(total, 1.0, 1e-9);
  EXPECT_EQ(curves["importance_permutation"]["metric"], "r2");
  EXPECT_EQ(curves["importance_permutation"]["features"].size(),
            curves["importance_permutation"]["std"].size());
}

TEST_F(TrainingTasksTest, CrossValidationLogsEveryFoldAndTheMeanAndStd) {
  store::Workspace workspace = store::Workspace::open(m_dir / "ws");
  TrainRequest r = request();
  ml::CvSpec spec = ml::parseCvSpec("stratified:4");
  r.cv = spec;
  const TrainResult result = runTraining(workspace, r);
  const std::vector<store::MetricPoint> folds = workspace.metricHistory(result.runId, "cv_roc_auc");
  ASSERT_EQ(folds.size(), 4u);
  double mean = 0;
  for (std::size_t f = 0; f < folds.size(); ++f) {
    EXPECT_EQ(folds[f].step, std::int64_t(f));
    mean += folds[f].value / 4;
  }
  std::map<std::string, double> cv(result.cvMetrics.begin(), result.cvMetrics.end());
  EXPECT_NEAR(cv.at("cv_roc_auc_mean"), mean, 1e-12);
  double variance = 0;
  for (const auto& fold : folds) variance += (fold.value - mean) * (fold.value - mean) / 4;
  EXPECT_NEAR(cv.at("cv_roc_auc_std"), std::sqrt(variance), 1e-12);
  EXPECT_EQ(workspace.runDetail(result.runId).summary.params.at("cv"), "stratified:4");
}

TEST_F(TrainingTasksTest, ATaskTheModelCannotDoLeavesNoRun) {
  store::Workspace workspace = store::Workspace::open(m_dir / "ws");
  TrainRequest r = request();
  r.target = "temperature_c";
  try {
    runTraining(workspace, r);
    FAIL() << "logistic accepted a regression target";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("does not do regression"), std::string::npos)
        << error.what();
  }
  r.task = "sideways";
  EXPECT_THROW(runTraining(workspace, r), InputError);
  EXPECT_TRUE(workspace.listRuns({}).empty());
}

}  // namespace
}  // namespace geih::pipeline

namespace geih::pipeline {
namespace {

class SearchAndConfigTest : public TrainingJobTest {};

TEST_F(SearchAndConfigTest, GridSearchNestsTrialsAndRefitsTheBestIntoTheParent) {
  store::Workspace workspace = store::Workspace::open(m_dir / "ws");
  const SearchSpec spec = parseSearchSpec(
      nlohmann::json::parse(R"({"method": "grid", "metric": "roc_auc", "direction": "maximize",
                                "space": {"C": [0.0001, 1.0]}})"),
      "logistic");
  EXPECT_EQ(searchTrials(spec).size(), 2u);
  const SearchResult result = runSearch(workspace, request(), spec);
  ASSERT_EQ(result.trials.size(), 2u);
  // The best trial has the highest cross-validated AUC of the two.
  double best = -1;
  std::size_t bestIndex = 0;
  for (std::size_t t = 0; t < 2; ++t) {
    for (const auto& [key, value] : result.trials[t].cvMetrics) {
      if (key == "cv_roc_auc_mean" && value > best) {
        best = value;
        bestIndex = t;
      }
    }
  }
  EXPECT_EQ(result.best, bestIndex);
  EXPECT_EQ(result.bestScore, best);
  const store::RunDetail parent = workspace.runDetail(result.parent.runId);
  EXPECT_EQ(parent.summary.status, store::RunStatus::Finished);
  EXPECT_EQ(parent.summary.tags.at("geih.best_trial"), result.trials[bestIndex].runId);
  EXPECT_EQ(parent.summary.params.at("C"),
            workspace.runDetail(result.trials[bestIndex].runId).summary.params.at("C"));
  EXPECT_EQ(parent.summary.metrics.at("best_cv_roc_auc"), best);
  EXPECT_FALSE(workspace.readArtifact(result.parent.runId, "model.json").empty());
  for (const TrainResult& trial : result.trials) {
    EXPECT_EQ(workspace.runDetail(trial.runId).summary.parentRunId, result.parent.runId);
  }
}

TEST_F(SearchAndConfigTest, RandomSearchDrawsWithinTheSpaceAndBadSpacesAreNamed) {
  const SearchSpec spec = parseSearchSpec(
      nlohmann::json::parse(R"({"method": "random", "trials": 50, "seed": 1,
         "space": {"learning_rate": {"low": 0.01, "high": 0.3, "log": true},
                   "max_leaves": {"low": 4, "high": 8, "int": true},
                   "subsample": [0.5, 1]}})"),
      "gbdt");
  const auto trials = searchTrials(spec);
  ASSERT_EQ(trials.size(), 50u);
  for (const auto& trial : trials) {
    const double rate = std::stod(trial.at("learning_rate"));
    EXPECT_GE(rate, 0.01);
    EXPECT_LE(rate, 0.3);
    const int leaves = std::stoi(trial.at("max_leaves"));
    EXPECT_GE(leaves, 4);
    EXPECT_LE(leaves, 8);
    EXPECT_TRUE(trial.at("subsample") == "0.5" || trial.at("subsample") == "1");
  }
  EXPECT_EQ(searchTrials(spec), trials);  // seeded
  auto refused = [](const char* text, const char* model, const char* needle) {
    try {
      parseSearchSpec(nlohmann::json::parse(text), model);
      ADD_FAILURE() << "accepted " << text;
    } catch (const InputError& error) {
      EXPECT_NE(std::string(error.what()).find(needle), std::string::npos) << error.what();
    }
  };
  refused(R"({"space": {"gamma": [1]}})", "gbdt", "space.gamma: not a parameter of gbdt");
  refused(R"({"space": {"C": []}})", "logistic", "space.C: the list is empty");
  refused(R"({"space": {"C": {"low": 2, "high": 1}}})", "logistic", "low > high");
  refused(R"({"space": {"C": [-1]}})", "logistic", "space.C: C: must be > 0");
  refused(R"({"method": "grid", "space": {"C": {"low": 1, "high": 2}}})", "logistic",
          "a grid search needs a list");
}

TEST_F(SearchAndConfigTest, AConfigTrainsEveryModelOnTheSameData) {
  store::Workspace workspace = store::Workspace::open(m_dir / "ws");
  const nlohmann::json config = {
      {"experiment", "families"},
      {"cv", "stratified:3"},
      {"models", {{{"model", "logistic"}, {"name", "baseline"}, {"params", {{"C", 1}}}},
                  {{"model", "gbdt"}, {"params", {{"n_estimators", 20}}}}}}};
  const auto entries = parseTrainConfig(config, request());
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].request.runName, "baseline");
  EXPECT_EQ(entries[0].request.params.at("C"), "1");
  EXPECT_EQ(entries[1].request.model, "gbdt");
  EXPECT_EQ(entries[1].request.experiment, "families");
  ASSERT_TRUE(entries[1].request.cv.has_value());
  EXPECT_EQ(entries[1].request.cv->folds, 3);
  for (const auto& entry : entries) EXPECT_FALSE(runTraining(workspace, entry.request).runId.empty());
  EXPECT_EQ(workspace.listRuns({}).size(), 2u);
  EXPECT_THROW(parseTrainConfig({{"models", {{{"model", "svm"}}}}}, request()), InputError);
  EXPECT_THROW(parseTrainConfig({{"models", nlohmann::json::array()}}, request()), InputError);
}

}  // namespace
}  // namespace geih::pipeline
