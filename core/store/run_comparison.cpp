#include "core/store/run_comparison.h"

#include <set>

#include "core/store/registry_gates.h"
#include "core/store/workspace.h"

namespace geih::store {

RunComparison compareRuns(const Workspace& workspace, const std::vector<std::string>& runIds) {
  RunComparison out;
  std::vector<RunDetail> details;
  std::set<std::string> paramKeys;
  std::set<std::string> metricKeys;
  for (const std::string& id : runIds) {
    details.push_back(workspace.runDetail(workspace.resolveRunId(id)));
    out.runs.push_back(details.back().summary);
    for (const auto& [key, value] : details.back().summary.params) paramKeys.insert(key);
    for (const auto& [key, value] : details.back().summary.metrics) metricKeys.insert(key);
  }
  const auto finish = [](ComparisonRow& row) {
    std::set<std::string> values;
    for (const auto& text : row.text) values.insert(text ? *text : std::string("\x01missing"));
    row.differs = values.size() > 1;
  };
  for (const std::string& key : paramKeys) {
    ComparisonRow row{ComparisonRow::Kind::Param, key, {}, {}, false, {}};
    for (const RunDetail& detail : details) {
      const auto it = detail.summary.params.find(key);
      row.text.push_back(it == detail.summary.params.end() ? std::nullopt : std::optional(it->second));
    }
    finish(row);
    out.rows.push_back(std::move(row));
  }
  for (const std::string& key : metricKeys) {
    ComparisonRow row{ComparisonRow::Kind::Metric, key, {}, {}, false, {}};
    std::optional<double> best;
    for (const RunDetail& detail : details) {
      const auto it = detail.summary.metrics.find(key);
      if (it == detail.summary.metrics.end()) {
        row.text.push_back(std::nullopt);
        row.number.push_back(std::nullopt);
        continue;
      }
      row.number.push_back(it->second);
      row.text.push_back(std::to_string(it->second));
      if (!best || (lowerIsBetter(key) ? it->second < *best : it->second > *best)) best = it->second;
    }
    finish(row);
    if (row.differs) {
      for (std::size_t r = 0; r < row.number.size(); ++r) {
        if (row.number[r] && *row.number[r] == *best) row.best.push_back(r);
      }
    }
    out.rows.push_back(std::move(row));
  }
  for (const std::string role : {"train", "test", "data"}) {
    ComparisonRow row{ComparisonRow::Kind::Dataset, role, {}, {}, false, {}};
    bool any = false;
    for (const RunDetail& detail : details) {
      std::optional<std::string> identity;
      for (const RunDataset& input : detail.datasets) {
        if (input.role == role) identity = input.dataset.name + "@" + std::to_string(input.dataset.version) + " " + input.dataset.sha256;
      }
      any = any || identity.has_value();
      row.text.push_back(identity);
    }
    if (!any) continue;
    finish(row);
    out.rows.push_back(std::move(row));
  }
  return out;
}

}  // namespace geih::store
