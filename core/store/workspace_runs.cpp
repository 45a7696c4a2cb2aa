// Workspace: runs and what is logged to them (params, metrics, tags, curves) and run listings.
#include <random>
#include <unordered_map>

#include "core/common/error.h"
#include "core/common/time_util.h"
#include "core/store/database.h"
#include "core/store/workspace.h"
#include "core/store/workspace_internal.h"

namespace geih::store {
namespace {

std::string newRunId() {
  static constexpr char kHex[] = "0123456789abcdef";
  std::random_device device;
  std::string id;
  for (int i = 0; i < 8; ++i) {
    std::uint32_t word = device();
    for (int k = 0; k < 4; ++k) {
      id.push_back(kHex[word & 15]);
      word >>= 4;
    }
  }
  return id;
}

void insertMetric(Database& db, const std::string& runId, const std::string& key, double value,
                  std::int64_t step, std::int64_t timestamp) {
  db.prepare("INSERT INTO metrics (run_id, key, value, step, timestamp_ms) VALUES (?, ?, ?, ?, ?)")
      .bind(1, runId).bind(2, key).bind(3, value).bind(4, step).bind(5, timestamp)
      .run();
  db.prepare(
        "INSERT INTO latest_metrics (run_id, key, value, step, timestamp_ms) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value, step = excluded.step, "
        "timestamp_ms = excluded.timestamp_ms "
        "WHERE excluded.step > latest_metrics.step OR (excluded.step = latest_metrics.step AND "
        "excluded.timestamp_ms >= latest_metrics.timestamp_ms)")
      .bind(1, runId).bind(2, key).bind(3, value).bind(4, step).bind(5, timestamp)
      .run();
}

void insertParam(Database& db, const std::string& runId, const std::string& key,
                 const std::string& value) {
  Statement existing = db.prepare("SELECT value FROM params WHERE run_id = ? AND key = ?");
  existing.bind(1, runId).bind(2, key);
  if (existing.step()) {
    if (existing.text(0) == value) return;
    throw Conflict("param '" + key + "' of run '" + runId + "' is already '" + existing.text(0) +
                   "'; params cannot change (log a metric or tag instead)");
  }
  db.prepare("INSERT INTO params (run_id, key, value) VALUES (?, ?, ?)")
      .bind(1, runId).bind(2, key).bind(3, value)
      .run();
}

RunSummary summaryFrom(Statement& row) {
  RunSummary run;
  run.id = row.text(0);
  run.experimentId = row.int64(1);
  run.name = row.text(2);
  run.status = runStatusFromName(row.text(3));
  run.startMs = row.int64(4);
  if (!row.isNull(5)) run.endMs = row.int64(5);
  return run;
}

constexpr const char* kRunColumns = "id, experiment_id, name, status, start_ms, end_ms";

// Fills params, latest metrics and tags of `runs` (whose ids are selected by `pageSql` with
// `bindPage`) with one query per table.
template <typename BindPage>
void fillRunValues(Database& db, std::vector<RunSummary>& runs, const std::string& pageSql,
                   BindPage bindPage) {
  std::unordered_map<std::string, RunSummary*> byId;
  for (RunSummary& run : runs) byId[run.id] = &run;
  auto each = [&](const std::string& table, auto store) {
    Statement statement = db.prepare("SELECT run_id, key, value FROM " + table +
                                     " WHERE run_id IN (" + pageSql + ")");
    bindPage(statement);
    while (statement.step()) {
      auto it = byId.find(statement.text(0));
      if (it != byId.end()) store(*it->second, statement);
    }
  };
  each("params", [](RunSummary& run, Statement& s) { run.params[s.text(1)] = s.text(2); });
  each("latest_metrics", [](RunSummary& run, Statement& s) { run.metrics[s.text(1)] = s.real(2); });
  each("tags", [](RunSummary& run, Statement& s) { run.tags[s.text(1)] = s.text(2); });
}

}  // namespace

std::string Workspace::createRun(std::int64_t experimentId, const NewRun& run) {
  Transaction transaction(*m_db);
  Statement experiment = m_db->prepare("SELECT 1 FROM experiments WHERE id = ?");
  experiment.bind(1, experimentId);
  if (!experiment.step()) throw NotFound("experiment " + std::to_string(experimentId) + " not found");
  if (!run.parentRunId.empty()) requireRun(*m_db, run.parentRunId);
  const std::string id = newRunId();
  Statement insert = m_db->prepare(
      "INSERT INTO runs (id, experiment_id, name, status, start_ms, seed, git_commit, "
      "parent_run_id, config_hash) VALUES (?, ?, ?, 'RUNNING', ?, ?, ?, ?, ?)");
  insert.bind(1, id).bind(2, experimentId).bind(3, run.name).bind(4, nowMillis());
  if (run.seed) {
    insert.bind(5, std::int64_t(*run.seed));  // stored as the same 64 bits
  } else {
    insert.bindNull(5);
  }
  insert.bind(6, run.gitCommit).bind(7, run.parentRunId).bind(8, run.configHash).run();
  transaction.commit();
  return id;
}

void Workspace::finishRun(const std::string& runId, RunStatus status) {
  Transaction transaction(*m_db);
  requireRun(*m_db, runId);
  m_db->prepare("UPDATE runs SET status = ?, end_ms = ? WHERE id = ?")
      .bind(1, runStatusName(status)).bind(2, nowMillis()).bind(3, runId)
      .run();
  transaction.commit();
}

void Workspace::logParam(const std::string& runId, const std::string& key, const std::string& value) {
  logParams(runId, {{key, value}});
}

void Workspace::logParams(const std::string& runId, const std::map<std::string, std::string>& params) {
  Transaction transaction(*m_db);
  requireRun(*m_db, runId);
  for (const auto& [key, value] : params) {
    if (key.empty()) throw InputError("a param needs a key");
    insertParam(*m_db, runId, key, value);
  }
  transaction.commit();
}

void Workspace::logMetric(const std::string& runId, const std::string& key, double value,
                          std::int64_t step, std::optional<std::int64_t> timestampMs) {
  if (key.empty()) throw InputError("a metric needs a key");
  Transaction transaction(*m_db);
  requireRun(*m_db, runId);
  insertMetric(*m_db, runId, key, value, step, timestampMs.value_or(nowMillis()));
  transaction.commit();
}

void Workspace::logMetrics(const std::string& runId,
                           const std::vector<std::pair<std::string, double>>& metrics,
                           std::int64_t step) {
  Transaction transaction(*m_db);
  requireRun(*m_db, runId);
  const std::int64_t now = nowMillis();
  for (const auto& [key, value] : metrics) {
    if (key.empty()) throw InputError("a metric needs a key");
    insertMetric(*m_db, runId, key, value, step, now);
  }
  transaction.commit();
}

void Workspace::setTag(const std::string& runId, const std::string& key, const std::string& value) {
  if (key.empty()) throw InputError("a tag needs a key");
  Transaction transaction(*m_db);
  requireRun(*m_db, runId);
  m_db->prepare("INSERT INTO tags (run_id, key, value) VALUES (?, ?, ?) "
                "ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value")
      .bind(1, runId).bind(2, key).bind(3, value)
      .run();
  transaction.commit();
}

void Workspace::logCurve(const std::string& runId, const std::string& name, const std::string& json) {
  if (name.empty()) throw InputError("a curve needs a name");
  Transaction transaction(*m_db);
  requireRun(*m_db, runId);
  m_db->prepare("INSERT INTO curves (run_id, name, json) VALUES (?, ?, ?) "
                "ON CONFLICT (run_id, name) DO UPDATE SET json = excluded.json")
      .bind(1, runId).bind(2, name).bind(3, json)
      .run();
  transaction.commit();
}

std::string Workspace::resolveRunId(const std::string& idOrPrefix) const {
  if (idOrPrefix.size() < 6) {
    throw InputError("run id '" + idOrPrefix + "' is too short; give at least 6 characters");
  }
  Statement statement = m_db->prepare("SELECT id FROM runs WHERE substr(id, 1, ?) = ? LIMIT 6");
  statement.bind(1, std::int64_t(idOrPrefix.size())).bind(2, idOrPrefix);
  std::vector<std::string> matches;
  while (statement.step()) matches.push_back(statement.text(0));
  if (matches.empty()) throw NotFound("run '" + idOrPrefix + "' not found");
  if (matches.size() > 1) {
    std::string list;
    for (const auto& id : matches) list += (list.empty() ? "" : ", ") + id;
    throw InputError("run id prefix '" + idOrPrefix + "' is ambiguous: " + list);
  }
  return matches.front();
}

RunSummary Workspace::runSummary(const std::string& runId) const {
  Statement statement =
      m_db->prepare(std::string("SELECT ") + kRunColumns + " FROM runs WHERE id = ?");
  statement.bind(1, runId);
  if (!statement.step()) throw NotFound("run '" + runId + "' not found");
  std::vector<RunSummary> runs = {summaryFrom(statement)};
  fillRunValues(*m_db, runs, "?", [&](Statement& s) { s.bind(1, runId); });
  return runs.front();
}

RunDetail Workspace::runDetail(const std::string& runId) const {
  RunDetail detail;
  detail.summary = runSummary(runId);
  Statement run = m_db->prepare(
      "SELECT seed, git_commit, parent_run_id, config_hash FROM runs WHERE id = ?");
  run.bind(1, runId);
  run.step();
  if (!run.isNull(0)) detail.seed = std::uint64_t(run.int64(0));
  detail.gitCommit = run.text(1);
  detail.parentRunId = run.text(2);
  detail.configHash = run.text(3);

  Statement artifacts = m_db->prepare(
      "SELECT path, sha256, size, media_type FROM artifacts WHERE run_id = ? ORDER BY path");
  artifacts.bind(1, runId);
  while (artifacts.step()) {
    detail.artifacts.push_back(
        {artifacts.text(0), artifacts.text(1), artifacts.int64(2), artifacts.text(3)});
  }
  Statement datasets = m_db->prepare(
      "SELECT dataset_id, role FROM run_datasets WHERE run_id = ? ORDER BY role, dataset_id");
  datasets.bind(1, runId);
  std::vector<std::pair<std::int64_t, std::string>> links;
  while (datasets.step()) links.emplace_back(datasets.int64(0), datasets.text(1));
  for (const auto& [id, role] : links) detail.datasets.push_back({datasetById(id), role});

  Statement keys = m_db->prepare("SELECT DISTINCT key FROM metrics WHERE run_id = ? ORDER BY key");
  keys.bind(1, runId);
  while (keys.step()) detail.metricKeys.push_back(keys.text(0));
  return detail;
}

std::vector<RunSummary> Workspace::listRuns(const RunQuery& query) const {
  std::string page = "SELECT id FROM runs";
  if (query.experimentId) page += " WHERE experiment_id = ?";
  page += " ORDER BY start_ms DESC, id LIMIT ? OFFSET ?";
  auto bindPage = [&](Statement& statement) {
    int index = 1;
    if (query.experimentId) statement.bind(index++, *query.experimentId);
    statement.bind(index++, query.limit ? std::int64_t(query.limit) : std::int64_t(-1));
    statement.bind(index, std::int64_t(query.offset));
  };
  Statement statement = m_db->prepare(std::string("SELECT ") + kRunColumns +
                                      " FROM runs WHERE id IN (" + page +
                                      ") ORDER BY start_ms DESC, id");
  bindPage(statement);
  std::vector<RunSummary> runs;
  while (statement.step()) runs.push_back(summaryFrom(statement));
  fillRunValues(*m_db, runs, page, bindPage);
  return runs;
}

std::size_t Workspace::countRuns(std::optional<std::int64_t> experimentId) const {
  Statement statement = m_db->prepare(experimentId
                                          ? "SELECT COUNT(*) FROM runs WHERE experiment_id = ?"
                                          : "SELECT COUNT(*) FROM runs");
  if (experimentId) statement.bind(1, *experimentId);
  statement.step();
  return std::size_t(statement.int64(0));
}

std::vector<MetricPoint> Workspace::metricHistory(const std::string& runId,
                                                  const std::string& key) const {
  requireRun(*m_db, runId);
  Statement statement = m_db->prepare(
      "SELECT key, value, step, timestamp_ms FROM metrics WHERE run_id = ? AND key = ? "
      "ORDER BY step, timestamp_ms, rowid");
  statement.bind(1, runId).bind(2, key);
  std::vector<MetricPoint> points;
  while (statement.step()) {
    points.push_back({statement.text(0), statement.real(1), statement.int64(2), statement.int64(3)});
  }
  return points;
}

std::vector<CurveRecord> Workspace::curves(const std::string& runId) const {
  requireRun(*m_db, runId);
  Statement statement = m_db->prepare("SELECT name, json FROM curves WHERE run_id = ? ORDER BY name");
  statement.bind(1, runId);
  std::vector<CurveRecord> out;
  while (statement.step()) out.push_back({statement.text(0), statement.text(1)});
  return out;
}

}  // namespace geih::store
