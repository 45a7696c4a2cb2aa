// MLflow file-store (mlruns/) interop, YAML through yaml-cpp.
//
// Import reads experiments (also from .trash), runs with their status, times, user, name, note
// (mlflow.note.content), parent (mlflow.parentRunId), params, full metric histories, tags and
// artifacts, and the registered models with their versions, stages and aliases, all in one
// transaction: a malformed file is an InputError naming it, and nothing is half-imported. It
// tolerates what real stores hold: two-field metric lines (step 0), a missing deleted_time, keys
// with '/' stored as nested folders, unknown YAML fields, run ids already present (skipped, with
// a warning). Run ids are kept.
//
// Export writes a store MLflow 2.x reads: <experiment id>/meta.yaml and <run id>/meta.yaml with
// MLflow's field names and types (ids as strings, times in ms, status as MLflow's integer),
// metrics/<key> of "timestamp value step" lines, params/<key> and tags/<key> without a trailing
// newline, artifacts/ with the run's files, models/<name>/meta.yaml,
// models/<name>/version-N/meta.yaml and models/<name>/aliases/<alias>. The folder is written
// under a temporary name and renamed into place.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "core/common/progress.h"

namespace geih::store {

class Workspace;

struct MlflowTransferSummary {
  std::size_t experiments = 0;
  std::size_t runs = 0;
  std::size_t metricPoints = 0;
  std::size_t params = 0;
  std::size_t tags = 0;
  std::size_t artifacts = 0;
  std::size_t models = 0;
  std::size_t versions = 0;
  std::vector<std::string> warnings;
};

class MlflowFileStore {
 public:
  static MlflowTransferSummary importStore(Workspace& workspace, const std::filesystem::path& mlruns,
                                           Progress& progress = Progress::none());
  static MlflowTransferSummary exportStore(Workspace& workspace, const std::filesystem::path& folder,
                                           Progress& progress = Progress::none());
};

// MLflow's RunStatus numbers: RUNNING 1, SCHEDULED 2, FINISHED 3, FAILED 4, KILLED 5.
int mlflowStatusNumber(const std::string& status);

}  // namespace geih::store
