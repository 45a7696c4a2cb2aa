// How a fitted model is scored and what of it a run keeps: test metrics (binary: accuracy ...
// average precision; regression: mae, rmse, r2, mape), train metrics, curves and importance.
//
// Curves logged (workspace.logCurve, JSON):
//   binary      "roc", "pr" (eval::toJson of the downsampled curves)
//   regression  "pred_vs_actual" {"actual": [...], "predicted": [...]} and
//               "residuals" {"predicted": [...], "residual": [...]} on at most 2,000 test rows
//               (a seeded sample)
//   every model "importance_permutation" {"features": [...], "importance": [...], "std": [...],
//               "metric": "roc_auc"|"r2"}, largest first
//   trees       "importance_gain" {"features": [...output names...], "importance": [...]},
//               largest first, summing to 1
#pragma once

#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/common/progress.h"
#include "core/ml/model.h"
#include "core/store/workspace.h"

namespace geih::pipeline {

using NamedMetrics = std::vector<std::pair<std::string, double>>;

// Test metrics of `scores` against `labels` for the task.
NamedMetrics scoreMetrics(ml::Task task, std::span<const double> labels,
                          std::span<const double> scores, double threshold);

// Scores the model on test and train rows, logs metrics, curves and importance to the run and
// returns the metrics logged (test metrics first, then train_*).
NamedMetrics logEvaluation(store::Workspace& workspace, const std::string& runId,
                           const ml::Model& model, const table::Table& train,
                           std::span<const double> trainLabels, const table::Table& test,
                           std::span<const double> testLabels, double threshold,
                           std::uint64_t seed, Progress& progress);

}  // namespace geih::pipeline
