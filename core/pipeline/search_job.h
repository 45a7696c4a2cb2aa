// Hyper-parameter search: one parent run, each trial a child run, the best trial chosen by a named
// metric and direction, then refitted on all training rows into the parent (which holds the
// model, the test metrics, the best params and the tag geih.best_trial = the trial's run id).
//
// Search file (JSON):
//   {"method": "grid" | "random", "trials": 20, "seed": 7,
//    "metric": "roc_auc", "direction": "maximize" | "minimize",
//    "space": {"C": [0.01, 0.1, 1],                                   a list of values
//              "learning_rate": {"low": 0.01, "high": 0.3, "log": true},   a range (random only)
//              "max_leaves": {"low": 15, "high": 63, "int": true}}}
// grid: every combination of the lists (at most 1,000); random: `trials` draws (lists uniformly,
// ranges uniformly or log-uniformly, integers rounded). Trials are scored by cross-validation on
// the training rows (the request's --cv, else stratified:3 for binary and kfold:3 for regression),
// never on the test rows.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/common/progress.h"
#include "core/ml/params.h"
#include "core/pipeline/training_job.h"

namespace geih::pipeline {

struct SearchSpec {
  std::string method = "random";
  int trials = 20;
  std::uint64_t seed = 42;
  std::string metric = "roc_auc";
  bool maximize = true;
  nlohmann::json space;  // validated
};

// Throws InputError naming the field (unknown param of the model, empty list, low > high, a
// value the param's schema refuses, a range in a grid search).
SearchSpec parseSearchSpec(const nlohmann::json& document, const std::string& model);
SearchSpec readSearchSpec(const std::string& path, const std::string& model);

// The params of every trial, in order.
std::vector<ml::ParamMap> searchTrials(const SearchSpec& spec);

struct SearchResult {
  TrainResult parent;  // the refit of the best trial, logged into the parent run
  std::vector<TrainResult> trials;
  std::size_t best = 0;  // index into trials
  double bestScore = 0;  // cv_<metric>_mean of the best trial
};

SearchResult runSearch(store::Workspace& workspace, const TrainRequest& request,
                       const SearchSpec& spec, Progress& progress = Progress::none());

}  // namespace geih::pipeline
