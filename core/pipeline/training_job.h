// One training run end to end, the same for the CLI and the GUI:
// read and validate the data -> register the dataset version(s) -> split (stratified for binary
// targets, random for regression) -> create the run -> cross-validate on the training rows when
// asked -> fit -> evaluate on the test rows -> log params, metrics, curves, importance
// (training_evaluation.h), the model JSON artifact -> finish the run.
//
// Everything the user can get wrong (missing file, malformed CSV, unknown target or feature column,
// non-binary target, invalid parameter) is checked BEFORE the run is created, so bad input leaves no
// trace in the workspace. A failure after that marks the run FAILED (KILLED when cancelled) and
// rethrows.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/common/progress.h"
#include "core/ml/cv_split.h"
#include "core/ml/derived_features.h"
#include "core/ml/params.h"
#include "core/store/workspace.h"
#include "core/table/diagnostic.h"

namespace geih::pipeline {

struct TrainRequest {
  std::string experiment = "default";
  std::string runName;  // default: "<model> <key params>"
  // Either `dataFile` (split here with testFraction, stratified on the target) or
  // `trainFile` + `testFile`. A file may also be given as a registered dataset reference
  // "dataset:NAME[@VERSION]".
  std::string dataFile;
  std::string trainFile;
  std::string testFile;
  std::string target;
  // "auto" (binary when every target value is 0/1, else regression for a numeric target),
  // "binary" or "regression".
  std::string task = "auto";
  std::vector<std::string> features;  // empty = every column but the target and `exclude`
  std::vector<std::string> exclude;
  // Lags, rolling means, seasonality and interactions computed before the split and stored in
  // the model (ml/derived_features.h).
  ml::DerivedFeatures derived;
  std::string model = "logistic";
  ml::ParamMap params;
  double testFraction = 0.2;
  std::uint64_t seed = 42;
  double threshold = 0.5;
  // Cross-validation on the training rows before the final fit (cross_validation.h).
  std::optional<ml::CvSpec> cv;
  int threads = 0;  // 0 = every core
  std::string parentRunId;    // nest the run under this one (a search's trials)
  std::string existingRunId;  // log into this RUNNING run instead of creating one (a search's
                              // parent receives the refit of the best trial)
  std::string datasetName;  // name under which the input file is registered; default: file stem
  std::vector<std::pair<std::string, std::string>> tags;
  std::filesystem::path gitSearchFrom = std::filesystem::current_path();
};

struct TrainResult {
  std::string runId;
  std::string runName;
  std::string experiment;
  std::string task;  // "binary" | "regression"
  std::vector<std::pair<std::string, double>> metrics;
  std::vector<std::pair<std::string, double>> cvMetrics;  // cv_<metric>_mean / _std
  std::string modelSha256;
  std::size_t trainRows = 0;
  std::size_t testRows = 0;
  std::vector<table::Diagnostic> warnings;  // e.g. skipped CSV rows
};

TrainResult runTraining(store::Workspace& workspace, const TrainRequest& request,
                        Progress& progress = Progress::none());

}  // namespace geih::pipeline
