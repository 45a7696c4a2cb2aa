// The monitoring log of a workspace: one row per scoring batch, prediction request or drift check
// of a model version, with time, input hash, row count, latency, success and a JSON summary
// (a drift check's summary holds "share_drifted", which the registry's max_drift_share gate reads).
#pragma once

#include <cstdint>
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

class MonitoringLog {
 public:
  explicit MonitoringLog(Workspace& workspace);
  // Returns the new event's id. InputError for an empty model name or kind, or a summary that is
  // not a JSON object.
  std::int64_t log(const MonitoringEvent& event);
  // Newest first; all models when `modelName` is empty.
  std::vector<MonitoringEvent> events(const std::string& modelName = {}, std::size_t limit = 0) const;

 private:
  Workspace& m_workspace;
};

}  // namespace geih::store
