// MonitoringLog::daily: the monitoring log summed per model version and UTC day.
#include <algorithm>
#include <cmath>
#include <ctime>
#include <limits>
#include <map>
#include <tuple>

#include "core/store/database.h"
#include "core/store/monitoring_log.h"
#include "core/store/workspace.h"

namespace geih::store {

namespace {
std::string utcDay(std::int64_t ms) {
  const std::time_t seconds = std::time_t(ms / 1000);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char text[16];
  std::strftime(text, sizeof text, "%Y-%m-%d", &parts);
  return text;
}
}  // namespace

double percentile(std::vector<double>& values, double p) {
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(values.begin(), values.end());
  const double index = (double(values.size()) - 1.0) * p / 100.0;
  const auto below = std::size_t(std::floor(index));
  const std::size_t above = std::min(values.size() - 1, below + 1);
  const double fraction = index - double(below);
  return values[below] + (values[above] - values[below]) * fraction;
}

std::vector<DailyMonitoring> MonitoringLog::daily(const std::string& modelName, std::optional<int> version,
                                                  std::optional<std::int64_t> sinceMs) const {
  Database& db = *m_workspace.m_db;
  std::string sql = "SELECT model_name, model_version, time_ms, rows, latency_ms, ok FROM monitoring_events WHERE 1";
  if (!modelName.empty()) sql += " AND model_name = :name";
  if (version) sql += " AND model_version = :version";
  if (sinceMs) sql += " AND time_ms >= :since";
  Statement statement = db.prepare(sql);
  if (!modelName.empty()) statement.bind(":name", modelName);
  if (version) statement.bind(":version", *version);
  if (sinceMs) statement.bind(":since", *sinceMs);

  using Key = std::tuple<std::string, int, std::string>;  // model, version, day
  std::map<Key, DailyMonitoring> groups;
  std::map<Key, std::vector<double>> latencies;
  while (statement.step()) {
    const Key key{statement.text(0), int(statement.int64(1)), utcDay(statement.int64(2))};
    DailyMonitoring& group = groups[key];
    group.events += 1;
    group.rows += statement.int64(3);
    group.failures += statement.int64(5) == 0;
    latencies[key].push_back(statement.real(4));
  }
  std::vector<DailyMonitoring> out;
  for (auto& [key, group] : groups) {
    std::tie(group.modelName, group.modelVersion, group.day) = key;
    group.errorRate = double(group.failures) / double(group.events);
    std::vector<double>& values = latencies[key];
    group.latencyP50Ms = percentile(values, 50);
    group.latencyP95Ms = percentile(values, 95);
    group.latencyP99Ms = percentile(values, 99);
    out.push_back(std::move(group));
  }
  std::stable_sort(out.begin(), out.end(), [](const DailyMonitoring& a, const DailyMonitoring& b) {
    if (a.day != b.day) return a.day > b.day;
    if (a.modelName != b.modelName) return a.modelName < b.modelName;
    return a.modelVersion > b.modelVersion;
  });
  return out;
}

}  // namespace geih::store
