#include "core/pipeline/training_evaluation.h"

#include <algorithm>
#include <numeric>

#include <nlohmann/json.hpp>

#include "core/common/rng.h"
#include "core/eval/binary_metrics.h"
#include "core/eval/curves.h"
#include "core/eval/regression_metrics.h"
#include "core/ml/permutation_importance.h"

namespace geih::pipeline {
namespace {

constexpr std::size_t kStoredCurvePoints = 400;
constexpr std::size_t kStoredScatterPoints = 2000;

void logRegressionCurves(store::Workspace& workspace, const std::string& runId,
                         std::span<const double> actual, std::span<const double> predicted,
                         std::uint64_t seed) {
  std::vector<std::size_t> rows(actual.size());
  std::iota(rows.begin(), rows.end(), 0);
  if (rows.size() > kStoredScatterPoints) {
    Rng rng(seed);
    rng.shuffle(rows);
    rows.resize(kStoredScatterPoints);
    std::sort(rows.begin(), rows.end());
  }
  nlohmann::json actualJson = nlohmann::json::array(), predictedJson = nlohmann::json::array(),
                 residualJson = nlohmann::json::array();
  for (const std::size_t row : rows) {
    actualJson.push_back(actual[row]);
    predictedJson.push_back(predicted[row]);
    residualJson.push_back(actual[row] - predicted[row]);
  }
  workspace.logCurve(runId, "pred_vs_actual",
                     nlohmann::json{{"actual", actualJson}, {"predicted", predictedJson}}.dump());
  workspace.logCurve(runId, "residuals",
                     nlohmann::json{{"predicted", predictedJson}, {"residual", residualJson}}.dump());
}

void logImportance(store::Workspace& workspace, const std::string& runId, const ml::Model& model,
                   const table::Table& test, std::span<const double> testLabels,
                   std::uint64_t seed, Progress& progress) {
  const std::vector<double> gain = model.gainImportance();
  if (!gain.empty()) {
    const std::vector<std::string>& names = model.pipeline().outputNames();
    std::vector<std::size_t> order(gain.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return gain[a] > gain[b]; });
    nlohmann::json features = nlohmann::json::array(), values = nlohmann::json::array();
    for (const std::size_t k : order) {
      features.push_back(names[k]);
      values.push_back(gain[k]);
    }
    workspace.logCurve(runId, "importance_gain",
                       nlohmann::json{{"features", features}, {"importance", values}}.dump());
  }
  ml::PermutationOptions options;
  options.seed = seed;
  const std::vector<ml::FeatureImportance> permuted =
      ml::permutationImportance(model, test, testLabels, options, progress);
  nlohmann::json features = nlohmann::json::array(), values = nlohmann::json::array(),
                 spreads = nlohmann::json::array();
  for (const ml::FeatureImportance& item : permuted) {
    features.push_back(item.feature);
    values.push_back(item.mean);
    spreads.push_back(item.std);
  }
  workspace.logCurve(runId, "importance_permutation",
                     nlohmann::json{{"features", features},
                                    {"importance", values},
                                    {"std", spreads},
                                    {"metric", ml::permutationMetric(model.task())}}
                         .dump());
}

}  // namespace

NamedMetrics scoreMetrics(ml::Task task, std::span<const double> labels,
                          std::span<const double> scores, double threshold) {
  if (task == ml::Task::BinaryClassification) {
    return eval::evaluateBinary(labels, scores, threshold).named();
  }
  return eval::evaluateRegression(labels, scores).named();
}

NamedMetrics logEvaluation(store::Workspace& workspace, const std::string& runId,
                           const ml::Model& model, const table::Table& train,
                           std::span<const double> trainLabels, const table::Table& test,
                           std::span<const double> testLabels, double threshold,
                           std::uint64_t seed, Progress& progress) {
  const bool binary = model.task() == ml::Task::BinaryClassification;
  const std::vector<double> testScores = model.predict(test);
  NamedMetrics metrics = scoreMetrics(model.task(), testLabels, testScores, threshold);
  const std::vector<double> trainScores = model.predict(train);
  if (binary) {
    metrics.emplace_back("train_roc_auc", eval::rocAuc(trainLabels, trainScores));
    metrics.emplace_back("train_log_loss", eval::logLoss(trainLabels, trainScores));
  } else {
    metrics.emplace_back("train_rmse", eval::rootMeanSquaredError(trainLabels, trainScores));
    metrics.emplace_back("train_r2", eval::rSquared(trainLabels, trainScores));
  }
  workspace.logMetrics(runId, metrics);
  if (binary) {
    workspace.logCurve(runId, "roc",
                       eval::toJson(eval::downsample(eval::rocCurve(testLabels, testScores),
                                                     kStoredCurvePoints)).dump());
    workspace.logCurve(runId, "pr",
                       eval::toJson(eval::downsample(eval::prCurve(testLabels, testScores),
                                                     kStoredCurvePoints)).dump());
    const eval::ConfusionMatrix cm = eval::confusionMatrix(testLabels, testScores, threshold);
    workspace.logCurve(runId, "confusion_matrix",
                       nlohmann::json{{"threshold", threshold}, {"tp", cm.truePositives}, {"fp", cm.falsePositives},
                                      {"tn", cm.trueNegatives}, {"fn", cm.falseNegatives}}.dump());
  } else {
    logRegressionCurves(workspace, runId, testLabels, testScores, seed);
  }
  progress.report(0.2, "feature importance");
  ProgressSlice importance(progress, 0.2, 1.0);
  logImportance(workspace, runId, model, test, testLabels, seed, importance);
  return metrics;
}

}  // namespace geih::pipeline
