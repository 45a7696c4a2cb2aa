// Runs side by side: one row per param, metric and dataset role that any of the runs has, with
// each run's value, whether the values differ, and for metrics which run is best (higher is
// better except for losses and errors: *loss, *brier, *rmse, *mae, *mape). What `geih runs
// compare` prints and the workbench's Compare tab shows. (lowerIsBetter: registry_gates.h.)
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/store/records.h"

namespace geih::store {

class Workspace;

struct ComparisonRow {
  enum class Kind { Param, Metric, Dataset };
  Kind kind = Kind::Param;
  std::string key;                              // "learning_rate", "roc_auc", "train"
  std::vector<std::optional<std::string>> text;  // per run; empty where the run has none
  std::vector<std::optional<double>> number;     // metrics only
  bool differs = false;
  std::vector<std::size_t> best;                 // metrics: the runs holding the best value
};

struct RunComparison {
  std::vector<RunSummary> runs;
  std::vector<ComparisonRow> rows;  // params (by key), then metrics (by key), then datasets
};

// Runs by id or unique prefix; NotFound / InputError as Workspace::resolveRunId.
RunComparison compareRuns(const Workspace& workspace, const std::vector<std::string>& runIds);

}  // namespace geih::store
