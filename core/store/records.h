// Plain value structs for what the store holds. The UI's models wrap vectors of these.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace geih::store {

enum class RunStatus { Running, Finished, Failed, Killed };

// "RUNNING" | "FINISHED" | "FAILED" | "KILLED" (MLflow's names)
const char* runStatusName(RunStatus status);
// Throws InputError on an unknown name.
RunStatus runStatusFromName(const std::string& name);

struct Experiment {
  std::int64_t id = 0;
  std::string name;
  std::string description;
  std::int64_t createdMs = 0;
  std::size_t runCount = 0;
};

struct MetricPoint {
  std::string key;
  double value = 0;
  std::int64_t step = 0;
  std::int64_t timestampMs = 0;
};

struct ArtifactRecord {
  std::string path;       // logical name inside the run, e.g. "model.json", "curves/roc.json"
  std::string sha256;     // content address in artifacts/
  std::int64_t size = 0;  // bytes
  std::string mediaType;  // e.g. "application/json"
};

struct DatasetRecord {
  std::int64_t id = 0;
  std::string name;      // logical name, e.g. "fire_train"
  int version = 0;       // 1, 2, ... per name; a new hash under an existing name is a new version
  std::string sha256;    // of the file's bytes
  std::string sourcePath;  // where it was imported from
  std::string storedPath;  // relative to the workspace root, e.g. data/raw/<sha>.csv
  std::string schemaJson;  // [{"name","type"}...]
  std::string profileJson; // column profiles
  std::int64_t rows = 0;
  std::int64_t createdMs = 0;
  std::vector<std::int64_t> parentIds;
};

struct RunDataset {
  DatasetRecord dataset;
  std::string role;  // "train" | "test" | "data" | ...
};

struct CurveRecord {
  std::string name;  // "roc" | "pr" | ...
  std::string json;  // eval::Curve as JSON
};

// One row of the runs table: everything shown without a per-run query.
struct RunSummary {
  std::string id;  // 32 hex chars
  std::int64_t experimentId = 0;
  std::string name;
  RunStatus status = RunStatus::Running;
  std::int64_t startMs = 0;
  std::optional<std::int64_t> endMs;
  std::map<std::string, std::string> params;
  std::map<std::string, double> metrics;  // latest value per key (highest step, then newest)
  std::map<std::string, std::string> tags;
  std::string note;                      // free text (MLflow's mlflow.note.content)
  std::optional<std::int64_t> deletedMs;  // set while the run is in the trash
  std::string parentRunId;               // a CV or search parent; empty for a top-level run
};

struct RunDetail {
  RunSummary summary;
  std::optional<std::uint64_t> seed;
  std::string gitCommit;
  std::string parentRunId;
  std::string configHash;
  std::vector<ArtifactRecord> artifacts;
  std::vector<RunDataset> datasets;
  std::vector<std::string> metricKeys;  // keys with a history
};

struct NewRun {
  std::string name;
  std::optional<std::uint64_t> seed;
  std::string gitCommit;
  std::string parentRunId;
  std::string configHash;
};

}  // namespace geih::store
