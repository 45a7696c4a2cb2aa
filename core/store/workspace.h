// A workspace folder (DESIGN.md "Workspace"):
//   geih.db       SQLite, WAL, foreign keys on, schema version in PRAGMA user_version,
//                 forward migrations applied on open
//   artifacts/    content-addressed by SHA-256 (artifacts/ab/abcdef...), written atomically
//   data/{raw,processed,features,external}
//
// Every public method is one transaction: it either happens entirely or not at all, even if the
// process is killed. Two processes may use one workspace at once: writers wait up to
// `busyTimeoutMs` for each other, then fail with Conflict ("workspace is busy").
// A Workspace object is used from one thread at a time; open one per thread.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/store/records.h"

namespace geih::store {

class Database;

enum class OpenMode { CreateIfMissing, MustExist };

// Runs in the trash (runs.deleted_ms set) are left out unless asked for.
enum class RunLifecycle { Active, Deleted, All };

struct RunQuery {
  std::optional<std::int64_t> experimentId;
  RunLifecycle lifecycle = RunLifecycle::Active;
  std::size_t limit = 0;  // 0 = all
  std::size_t offset = 0;
  // The run filter language (core/store/run_filter.h), e.g. "metrics.roc_auc > 0.8"; "" = all.
  std::string filter;
  // "metrics.roc_auc DESC, params.C"; "" = newest first. Ties fall back to newest first.
  std::string orderBy;
};

// One page of a run listing and how many runs match in all.
struct RunPage {
  std::size_t total = 0;
  std::vector<RunSummary> runs;
};

class Workspace {
 public:
  // Newest schema this build knows.
  static int schemaVersion();

  // Opens (and with CreateIfMissing creates) the workspace at `root`, applying pending migrations.
  // Throws NotFound (MustExist and no geih.db), Corrupt (not a SQLite file, or written by a newer
  // version), IoError (folder not writable), Conflict (locked too long).
  static Workspace open(const std::filesystem::path& root, OpenMode mode = OpenMode::CreateIfMissing,
                        int busyTimeoutMs = 5000);
  // For migration tests: creates or upgrades only up to `version`.
  static Workspace openAtVersion(const std::filesystem::path& root, int version);

  Workspace(Workspace&&) noexcept;
  Workspace& operator=(Workspace&&) noexcept;
  ~Workspace();

  const std::filesystem::path& root() const { return m_root; }
  int userVersion() const;

  // ---- experiments
  // Throws Conflict if the name exists; InputError if empty.
  std::int64_t createExperiment(const std::string& name, const std::string& description = {});
  // NotFound unless it exists or `createIfMissing` (which takes the write lock only to create).
  std::int64_t experimentIdByName(const std::string& name, bool createIfMissing);
  // Ordered by name.
  std::vector<Experiment> listExperiments() const;
  Experiment experiment(std::int64_t id) const;  // NotFound

  // ---- runs
  // Returns the new run's id (32 lower-case hex chars). Status RUNNING, start = now.
  // Every method taking a run id throws NotFound("run '<id>' not found") for an unknown one.
  std::string createRun(std::int64_t experimentId, const NewRun& run = {});
  void finishRun(const std::string& runId, RunStatus status);
  // Params are immutable (as in MLflow): the same value again is a no-op, another value throws
  // Conflict. logParams writes all or none.
  void logParam(const std::string& runId, const std::string& key, const std::string& value);
  void logParams(const std::string& runId, const std::map<std::string, std::string>& params);
  // The latest value of a key (what RunSummary::metrics holds) is the one with the highest step,
  // then the newest timestamp. A NaN value throws InputError (omit undefined metrics); ±inf is kept.
  void logMetric(const std::string& runId, const std::string& key, double value,
                 std::int64_t step = 0, std::optional<std::int64_t> timestampMs = {});
  void logMetrics(const std::string& runId, const std::vector<std::pair<std::string, double>>& metrics,
                  std::int64_t step = 0);
  // Many points in one transaction (a training history, an import): each point goes to the
  // history, and the latest value of each key is updated once per call, not once per point.
  // InputError (before anything is written) for an empty key or a NaN value.
  void logMetricPoints(const std::string& runId, const std::vector<MetricPoint>& points);
  void setTag(const std::string& runId, const std::string& key, const std::string& value);
  // ---- run lifecycle (workspace_lifecycle.cpp)
  void renameRun(const std::string& runId, const std::string& name);
  void setRunNote(const std::string& runId, const std::string& note);
  // NotFound when the run has no such tag.
  void removeTag(const std::string& runId, const std::string& key);
  // Moves the run and its descendants to the trash (left out of listRuns); returns their ids.
  // Conflict when the run is in the trash already.
  std::vector<std::string> deleteRun(const std::string& runId);
  // Brings a trashed run and its trashed descendants back; Conflict when it is not in the trash.
  std::vector<std::string> restoreRun(const std::string& runId);
  // Removes a trashed run and its descendants for good, with the artifact files no other run
  // holds. Conflict when the run is not in the trash or a registered model version uses it.
  std::vector<std::string> purgeRun(const std::string& runId);
  void logCurve(const std::string& runId, const std::string& name, const std::string& json);

  // Throws NotFound naming the id. Accepts a unique prefix of at least 6 characters (any case);
  // InputError for a shorter text or an ambiguous prefix (the message lists the matches).
  std::string resolveRunId(const std::string& idOrPrefix) const;
  RunSummary runSummary(const std::string& runId) const;
  RunDetail runDetail(const std::string& runId) const;
  // Newest first unless `query.orderBy` says otherwise. Throws InputError on a bad filter/order.
  std::vector<RunSummary> listRuns(const RunQuery& query = {}) const;
  std::size_t countRuns(std::optional<std::int64_t> experimentId = {}) const;
  // Changes whenever another connection (another process, or another Workspace object) commits
  // to this workspace (SQLite's PRAGMA data_version): a cheap "did anything change?" poll.
  std::int64_t dataVersion() const;
  // Runs matching the experiment and filter of `query` (limit and offset ignored).
  std::size_t countRuns(const RunQuery& query) const;
  // countRuns and listRuns of `query` at once, evaluating its filter once (what a runs view asks).
  RunPage findRuns(const RunQuery& query) const;
  std::vector<MetricPoint> metricHistory(const std::string& runId, const std::string& key) const;
  std::vector<CurveRecord> curves(const std::string& runId) const;

  // ---- artifacts
  // Stores `bytes` under its SHA-256 (once; identical content is shared) and records it for the run.
  ArtifactRecord logArtifact(const std::string& runId, const std::string& path, std::string_view bytes,
                             const std::string& mediaType = "application/octet-stream");
  // Reads the artifact of a run by logical path. Throws NotFound, or Corrupt if the bytes on disk no
  // longer match the hash.
  std::string readArtifact(const std::string& runId, const std::string& path) const;
  // artifacts/<first two hex>/<sha256>. InputError unless `sha256` is 64 lower-case hex chars.
  std::filesystem::path artifactFile(const std::string& sha256) const;

  // ---- datasets
  // Copies `file` into data/raw (content-addressed), registers it under `name` (a new version if
  // the hash differs from every earlier version of that name; the existing record if identical).
  // InputError for a missing file or a name with '@' or ':'; NotFound for an unknown parent id.
  DatasetRecord registerDataset(const std::string& name, const std::filesystem::path& file,
                                const std::string& schemaJson, const std::string& profileJson,
                                std::int64_t rows, const std::vector<std::int64_t>& parentIds = {});
  // Newest first.
  std::vector<DatasetRecord> listDatasets() const;
  // "name" (latest version) or "name@3" or "name:3"; also a dataset id ("12") or a SHA-256 prefix
  // of 6+ hex characters. Throws NotFound, or InputError for a bad version or ambiguous prefix.
  DatasetRecord dataset(const std::string& reference) const;
  DatasetRecord datasetById(std::int64_t id) const;
  void linkDataset(const std::string& runId, std::int64_t datasetId, const std::string& role);

 private:
  // The registry and the monitoring log keep their tables in the same database and transactions.
  friend class Registry;
  friend class MonitoringLog;
  friend class MonitoringAlerts;
  friend class MlflowFileStore;
  friend class FileHashCache;
  Workspace(std::filesystem::path root, std::unique_ptr<Database> db);

  std::filesystem::path m_root;
  std::unique_ptr<Database> m_db;
};

// The workspace folder to use when none is given: $GEIH_WORKSPACE, else ./geih-workspace.
std::filesystem::path defaultWorkspacePath();

}  // namespace geih::store
