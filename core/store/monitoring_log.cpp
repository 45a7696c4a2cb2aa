#include "core/store/monitoring_log.h"

#include <nlohmann/json.hpp>

#include "core/common/error.h"
#include "core/common/time_util.h"
#include "core/store/database.h"
#include "core/store/workspace.h"

namespace geih::store {

MonitoringLog::MonitoringLog(Workspace& workspace) : m_workspace(workspace) {}

std::int64_t MonitoringLog::log(const MonitoringEvent& event) {
  if (event.modelName.empty() || event.kind.empty()) {
    throw InputError("a monitoring event needs a model name and a kind");
  }
  const nlohmann::json summary = nlohmann::json::parse(event.summaryJson, nullptr, false);
  if (!summary.is_object()) throw InputError("a monitoring event's summary must be a JSON object");
  Database& db = *m_workspace.m_db;
  Transaction transaction(db);
  Statement insert = db.prepare(
      "INSERT INTO monitoring_events (model_name, model_version, kind, time_ms, input_sha256, rows, "
      "latency_ms, ok, summary_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  insert.bind(1, event.modelName)
      .bind(2, event.modelVersion)
      .bind(3, event.kind)
      .bind(4, event.timeMs ? event.timeMs : nowMillis())
      .bind(5, event.inputSha256)
      .bind(6, event.rows)
      .bind(7, event.latencyMs)
      .bind(8, event.ok ? 1 : 0)
      .bind(9, summary.dump())
      .run();
  const std::int64_t id = db.lastInsertId();
  transaction.commit();
  return id;
}

std::vector<MonitoringEvent> MonitoringLog::events(const std::string& modelName,
                                                   std::size_t limit) const {
  Database& db = *m_workspace.m_db;
  std::string sql =
      "SELECT id, model_name, model_version, kind, time_ms, input_sha256, rows, latency_ms, ok, "
      "summary_json FROM monitoring_events";
  if (!modelName.empty()) sql += " WHERE model_name = ?";
  sql += " ORDER BY time_ms DESC, id DESC";
  if (limit) sql += " LIMIT " + std::to_string(limit);
  Statement statement = db.prepare(sql);
  if (!modelName.empty()) statement.bind(1, modelName);
  std::vector<MonitoringEvent> out;
  while (statement.step()) {
    MonitoringEvent event;
    event.id = statement.int64(0);
    event.modelName = statement.text(1);
    event.modelVersion = int(statement.int64(2));
    event.kind = statement.text(3);
    event.timeMs = statement.int64(4);
    event.inputSha256 = statement.text(5);
    event.rows = statement.int64(6);
    event.latencyMs = statement.real(7);
    event.ok = statement.int64(8) != 0;
    event.summaryJson = statement.text(9);
    out.push_back(std::move(event));
  }
  return out;
}

}  // namespace geih::store
