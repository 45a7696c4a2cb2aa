// The monitoring log of a workspace: one row per scoring batch, prediction request or drift check
// of a model version, with time, input hash, row count, latency, success and a JSON summary
// (a drift check's summary holds "share_drifted", which the registry's max_drift_share gate reads).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace geih::store {

class Workspace;

struct MonitoringEvent {
  std::int64_t id = 0;
  std::string modelName;
  int modelVersion = 0;
  std::string kind;  // "score" | "predict" | "drift"
  std::int64_t timeMs = 0;  // 0 when logging: now
  std::string inputSha256;
  std::int64_t rows = 0;
  double latencyMs = 0;
  bool ok = true;
  std::string summaryJson = "{}";
};

// Events of one model version on one UTC day: count, rows, failures and latency percentiles.
struct DailyMonitoring {
  std::string modelName;
  int modelVersion = 0;
  std::string day;  // YYYY-MM-DD (UTC)
  std::int64_t events = 0;
  std::int64_t rows = 0;
  std::int64_t failures = 0;
  double errorRate = 0;  // failures / events
  double latencyP50Ms = 0, latencyP95Ms = 0, latencyP99Ms = 0;
};

// The p-th percentile (0..100) of `values` by linear interpolation between closest ranks
// (numpy.percentile's default): index (n − 1) · p / 100. Sorts `values`; NaN when empty.
double percentile(std::vector<double>& values, double p);

class MonitoringLog {
 public:
  explicit MonitoringLog(Workspace& workspace);
  // Returns the new event's id. InputError for an empty model name or kind, or a summary that is
  // not a JSON object.
  std::int64_t log(const MonitoringEvent& event);
  // Newest first; all models when `modelName` is empty.
  std::vector<MonitoringEvent> events(const std::string& modelName = {}, std::size_t limit = 0) const;
  // Per model version and UTC day, newest day first (monitoring_aggregates.cpp). All models when
  // `modelName` is empty; only events at or after `sinceMs` when given.
  std::vector<DailyMonitoring> daily(const std::string& modelName = {}, std::optional<int> version = {},
                                     std::optional<std::int64_t> sinceMs = {}) const;

 private:
  Workspace& m_workspace;
};

}  // namespace geih::store
