#include "core/store/monitoring_alerts.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/common/error.h"
#include "core/common/time_util.h"
#include "core/store/database.h"
#include "core/store/monitoring_log.h"
#include "core/store/registry.h"
#include "core/store/workspace.h"

namespace geih::store {

namespace {

std::string number(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

double positiveNumber(const nlohmann::json& item, const char* key, const std::string& where) {
  if (!item.at(key).is_number() || !(item.at(key).get<double>() >= 0)) {
    throw InputError(where + ": \"" + key + "\" must be a number >= 0");
  }
  return item.at(key).get<double>();
}

int positiveInt(const nlohmann::json& item, const char* key, int fallback, const std::string& where) {
  if (!item.contains(key)) return fallback;
  if (!item.at(key).is_number_integer() || item.at(key).get<int>() < 1) {
    throw InputError(where + ": \"" + key + "\" must be an integer >= 1");
  }
  return item.at(key).get<int>();
}

// The newest drift check of the version, if any.
std::optional<nlohmann::json> newestDriftSummary(const std::vector<MonitoringEvent>& events, int version) {
  for (const MonitoringEvent& event : events) {  // newest first
    if (event.kind == "drift" && event.modelVersion == version) {
      return nlohmann::json::parse(event.summaryJson, nullptr, false);
    }
  }
  return std::nullopt;
}

// The run's features by importance, largest first (permutation, else gain); empty when unknown.
std::vector<std::string> featuresByImportance(const Workspace& workspace, const std::string& runId) {
  std::vector<CurveRecord> curves = workspace.curves(runId);
  for (const char* name : {"importance_permutation", "importance_gain"}) {
    for (const CurveRecord& curve : curves) {
      if (curve.name != name) continue;
      const nlohmann::json json = nlohmann::json::parse(curve.json, nullptr, false);
      if (!json.contains("features") || !json.contains("importance")) continue;
      std::vector<std::pair<double, std::string>> ranked;
      for (std::size_t i = 0; i < json["features"].size() && i < json["importance"].size(); ++i) {
        ranked.emplace_back(json["importance"][i].get<double>(), json["features"][i].get<std::string>());
      }
      std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
      std::vector<std::string> out;
      for (const auto& [value, feature] : ranked) out.push_back(feature);
      return out;
    }
  }
  return {};
}

}  // namespace

std::vector<AlertRule> parseAlertRules(const std::string& text) {
  const nlohmann::json parsed = nlohmann::json::parse(text, nullptr, false);
  if (parsed.is_discarded()) throw InputError("alert rules are not valid JSON");
  const nlohmann::json items = parsed.is_object() && parsed.contains("rules") ? parsed["rules"] : parsed;
  if (!items.is_array()) throw InputError("alert rules must be a JSON array or {\"rules\": [...]}");
  std::vector<AlertRule> rules;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const nlohmann::json& item = items[i];
    const std::string where = "alert rule " + std::to_string(i + 1);
    if (!item.is_object()) throw InputError(where + " must be a JSON object");
    AlertRule rule;
    if (item.contains("feature_psi")) {
      rule.kind = AlertRule::Kind::FeaturePsi;
      rule.value = positiveNumber(item, "feature_psi", where);
      rule.topFeatures = positiveInt(item, "top_features", 5, where);
      rule.text = "PSI > " + number(rule.value) + " on a top-" + std::to_string(rule.topFeatures) + " feature";
    } else if (item.contains("auc_drop")) {
      rule.kind = AlertRule::Kind::AucDrop;
      rule.value = positiveNumber(item, "auc_drop", where);
      rule.text = "ROC AUC drop > " + number(rule.value);
    } else if (item.contains("max_drift_share")) {
      rule.kind = AlertRule::Kind::MaxDriftShare;
      rule.value = positiveNumber(item, "max_drift_share", where);
      rule.text = "drift share > " + number(rule.value);
    } else if (item.contains("max_error_rate")) {
      rule.kind = AlertRule::Kind::MaxErrorRate;
      rule.value = positiveNumber(item, "max_error_rate", where);
      rule.days = positiveInt(item, "days", 7, where);
      rule.text = "error rate > " + number(rule.value) + " over " + std::to_string(rule.days) + " days";
    } else if (item.contains("max_latency_p95_ms")) {
      rule.kind = AlertRule::Kind::MaxLatencyP95;
      rule.value = positiveNumber(item, "max_latency_p95_ms", where);
      rule.days = positiveInt(item, "days", 7, where);
      rule.text = "latency p95 > " + number(rule.value) + " ms over " + std::to_string(rule.days) + " days";
    } else {
      throw InputError(where + ": unknown rule " + item.dump() +
                       " (expected feature_psi, auc_drop, max_drift_share, max_error_rate or max_latency_p95_ms)");
    }
    rules.push_back(std::move(rule));
  }
  return rules;
}

MonitoringAlerts::MonitoringAlerts(Workspace& workspace) : m_workspace(workspace) {}

void MonitoringAlerts::setRules(const std::string& model, const std::string& rulesJson) {
  const std::vector<AlertRule> parsed = parseAlertRules(rulesJson);
  Registry registry(m_workspace);
  registry.model(model);  // NotFound for an unknown model
  nlohmann::json items = nlohmann::json::parse(rulesJson);
  if (items.is_object()) items = items["rules"];
  Database& db = *m_workspace.m_db;
  Statement update = db.prepare("UPDATE registered_models SET alert_rules_json = ?, updated_ms = ? WHERE name = ?");
  update.bind(1, nlohmann::json{{"rules", items}}.dump()).bind(2, nowMillis()).bind(3, model).run();
  nlohmann::json texts = nlohmann::json::array();
  for (const AlertRule& rule : parsed) texts.push_back(rule.text);
  registry.recordAudit(model, std::nullopt, "alert-rules", "", nlohmann::json{{"rules", texts}}.dump());
}

std::vector<AlertRule> MonitoringAlerts::rules(const std::string& model) const {
  Database& db = *m_workspace.m_db;
  Statement select = db.prepare("SELECT alert_rules_json FROM registered_models WHERE name = ?");
  select.bind(1, model);
  if (!select.step()) throw NotFound("registered model '" + model + "'");
  return parseAlertRules(select.text(0));
}

std::vector<AlertCheck> MonitoringAlerts::evaluate(const std::string& model, int version) const {
  const ModelVersion modelVersion = Registry(m_workspace).version(model, version);  // NotFound
  const std::vector<AlertRule> all = rules(model);
  const std::vector<MonitoringEvent> events = MonitoringLog(m_workspace).events(model);
  const std::optional<nlohmann::json> drift = newestDriftSummary(events, version);
  std::vector<AlertCheck> checks;
  for (const AlertRule& rule : all) {
    AlertCheck check;
    check.rule = rule.text;
    switch (rule.kind) {
      case AlertRule::Kind::FeaturePsi: {
        if (!drift || !drift->contains("feature_psi") || (*drift)["feature_psi"].empty()) {
          check.detail = "no drift check with feature PSI for this version yet";
          break;
        }
        const nlohmann::json& psi = (*drift)["feature_psi"];
        std::vector<std::string> top = featuresByImportance(m_workspace, modelVersion.runId);
        std::vector<std::string> watched;
        for (const std::string& feature : top) {
          if (psi.contains(feature)) watched.push_back(feature);
          if (int(watched.size()) == rule.topFeatures) break;
        }
        if (watched.empty()) {
          for (const auto& [feature, value] : psi.items()) watched.push_back(feature);
        }
        std::string worst;
        double worstValue = -1;
        for (const std::string& feature : watched) {
          const double value = psi[feature].get<double>();
          if (value > worstValue) {
            worstValue = value;
            worst = feature;
          }
        }
        check.observed = worstValue;
        check.fired = worstValue > rule.value;
        check.detail = "highest PSI among " + std::to_string(watched.size()) + " watched features: " + worst +
                       " " + number(worstValue);
        break;
      }
      case AlertRule::Kind::AucDrop: {
        if (!drift || !drift->contains("performance")) {
          check.detail = "no drift check with labels for this version yet";
          break;
        }
        const double before = (*drift)["performance"]["reference"].get<double>();
        const double now = (*drift)["performance"]["current"].get<double>();
        check.observed = before - now;
        check.fired = before - now > rule.value;
        check.detail = "ROC AUC " + number(before) + " on the reference, " + number(now) + " now";
        break;
      }
      case AlertRule::Kind::MaxDriftShare: {
        if (!drift || !drift->contains("share_drifted")) {
          check.detail = "no drift check for this version yet";
          break;
        }
        check.observed = (*drift)["share_drifted"].get<double>();
        check.fired = *check.observed > rule.value;
        check.detail = "share of drifted features " + number(*check.observed);
        break;
      }
      case AlertRule::Kind::MaxErrorRate:
      case AlertRule::Kind::MaxLatencyP95: {
        const std::int64_t since = nowMillis() - std::int64_t(rule.days) * 86'400'000;
        std::int64_t count = 0;
        std::int64_t failures = 0;
        std::vector<double> latencies;
        for (const MonitoringEvent& event : events) {
          if (event.modelVersion != version || event.timeMs < since) continue;
          ++count;
          failures += !event.ok;
          latencies.push_back(event.latencyMs);
        }
        if (count == 0) {
          check.detail = "no events in the last " + std::to_string(rule.days) + " days";
          break;
        }
        if (rule.kind == AlertRule::Kind::MaxErrorRate) {
          check.observed = double(failures) / double(count);
          check.detail = std::to_string(failures) + " of " + std::to_string(count) + " events failed";
        } else {
          check.observed = percentile(latencies, 95);
          check.detail = "p95 of " + std::to_string(count) + " events: " + number(*check.observed) + " ms";
        }
        check.fired = *check.observed > rule.value;
        break;
      }
    }
    checks.push_back(std::move(check));
  }
  return checks;
}

std::vector<AlertCheck> MonitoringAlerts::check(const std::string& model, int version, int* raised) {
  std::vector<AlertCheck> checks = evaluate(model, version);
  const std::vector<Alert> open = openAlerts(model, version);
  int added = 0;
  Registry registry(m_workspace);
  Database& db = *m_workspace.m_db;
  for (const AlertCheck& check : checks) {
    if (!check.fired) continue;
    const bool alreadyOpen =
        std::any_of(open.begin(), open.end(), [&](const Alert& alert) { return alert.rule == check.rule; });
    if (alreadyOpen) continue;
    {
      Transaction transaction(db);
      Statement insert = db.prepare(
          "INSERT INTO monitoring_alerts (model_name, model_version, rule, value, message, time_ms) "
          "VALUES (?, ?, ?, ?, ?, ?)");
      insert.bind(1, model).bind(2, version).bind(3, check.rule).bind(4, check.observed.value_or(0.0))
          .bind(5, check.detail).bind(6, nowMillis()).run();
      transaction.commit();
    }
    registry.recordAudit(model, version, "needs-retraining", check.rule,
                         nlohmann::json{{"rule", check.rule}, {"detail", check.detail}}.dump());
    ++added;
  }
  if (raised) *raised = added;
  return checks;
}

std::vector<Alert> MonitoringAlerts::openAlerts(const std::string& model, std::optional<int> version) const {
  Database& db = *m_workspace.m_db;
  std::string sql =
      "SELECT id, model_name, model_version, rule, value, message, time_ms FROM monitoring_alerts "
      "WHERE cleared_ms IS NULL";
  if (!model.empty()) sql += " AND model_name = :name";
  if (version) sql += " AND model_version = :version";
  sql += " ORDER BY time_ms DESC, id DESC";
  Statement select = db.prepare(sql);
  if (!model.empty()) select.bind(":name", model);
  if (version) select.bind(":version", *version);
  std::vector<Alert> out;
  while (select.step()) {
    Alert alert;
    alert.id = select.int64(0);
    alert.modelName = select.text(1);
    alert.modelVersion = int(select.int64(2));
    alert.rule = select.text(3);
    alert.value = select.real(4);
    alert.message = select.text(5);
    alert.timeMs = select.int64(6);
    out.push_back(std::move(alert));
  }
  return out;
}

int MonitoringAlerts::clear(const std::string& model, int version, const std::string& reason) {
  Registry registry(m_workspace);
  registry.version(model, version);  // NotFound
  Database& db = *m_workspace.m_db;
  int cleared = 0;
  {
    Transaction transaction(db);
    Statement update = db.prepare(
        "UPDATE monitoring_alerts SET cleared_ms = ? WHERE model_name = ? AND model_version = ? AND cleared_ms IS NULL");
    update.bind(1, nowMillis()).bind(2, model).bind(3, version).run();
    cleared = db.changes();
    transaction.commit();
  }
  if (cleared) {
    registry.recordAudit(model, version, "alerts-cleared", reason, nlohmann::json{{"alerts", cleared}}.dump());
  }
  return cleared;
}

}  // namespace geih::store
