#include "core/store/registry_gates.h"

#include <cmath>
#include <regex>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/common/error.h"

namespace geih::store {

namespace {

std::string formatValue(double value) {
  std::ostringstream out;
  out.precision(6);
  out << value;
  return out.str();
}

bool compare(double left, const std::string& op, double right) {
  if (op == ">=") return left >= right;
  if (op == ">") return left > right;
  if (op == "<=") return left <= right;
  if (op == "<") return left < right;
  if (op == "=" || op == "==") return left == right;
  return left != right;  // "!="
}

bool validOperator(const std::string& op) {
  return op == ">=" || op == ">" || op == "<=" || op == "<" || op == "=" || op == "==" ||
         op == "!=";
}

GateRule thresholdFromText(const std::string& text, const std::string& where) {
  static const std::regex pattern(
      R"(^\s*metrics\.([A-Za-z0-9_.\-]+)\s*(>=|<=|==|!=|>|<|=)\s*([-+]?[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?)\s*$)");
  std::smatch match;
  if (!std::regex_match(text, match, pattern)) {
    throw InputError(where + ": '" + text +
                     "' is not a rule; write e.g. \"metrics.roc_auc >= 0.85\"");
  }
  GateRule rule;
  rule.kind = GateRule::Kind::Threshold;
  rule.text = text;
  rule.metric = match[1];
  rule.op = match[2];
  rule.value = std::stod(match[3]);
  return rule;
}

}  // namespace

bool lowerIsBetter(const std::string& metric) {
  // By the ending, so train_log_loss and cv_rmse_mean count too.
  std::string key = metric;
  if (key.size() > 5 && key.compare(key.size() - 5, 5, "_mean") == 0) key.resize(key.size() - 5);
  for (const std::string suffix : {"loss", "brier", "rmse", "mae", "mape", "mse"}) {
    if (key.size() >= suffix.size() && key.compare(key.size() - suffix.size(), suffix.size(), suffix) == 0) {
      return true;
    }
  }
  return false;
}

std::vector<GateRule> parseGateRules(const std::string& gatesJson) {
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(gatesJson);
  } catch (const nlohmann::json::exception& error) {
    throw InputError(std::string("gates JSON: ") + error.what());
  }
  const nlohmann::json* rules = &document;
  if (document.is_object()) {
    if (!document.contains("rules")) throw InputError("gates JSON: expected a \"rules\" list");
    rules = &document["rules"];
  }
  if (!rules->is_array()) throw InputError("gates JSON: \"rules\" must be a list");
  std::vector<GateRule> out;
  for (std::size_t i = 0; i < rules->size(); ++i) {
    const nlohmann::json& item = (*rules)[i];
    const std::string where = "gates JSON: rule " + std::to_string(i + 1);
    if (item.is_string()) {
      out.push_back(thresholdFromText(item.get<std::string>(), where));
      continue;
    }
    if (!item.is_object()) throw InputError(where + ": expected a string or an object");
    GateRule rule;
    if (item.contains("metric")) {
      if (!item["metric"].is_string() || !item.contains("op") || !item["op"].is_string() ||
          !item.contains("value") || !item["value"].is_number()) {
        throw InputError(where + ": a threshold needs \"metric\" (string), \"op\" and \"value\" "
                                 "(number)");
      }
      rule.kind = GateRule::Kind::Threshold;
      rule.metric = item["metric"].get<std::string>();
      rule.op = item["op"].get<std::string>();
      rule.value = item["value"].get<double>();
      if (!validOperator(rule.op)) {
        throw InputError(where + ": unknown operator '" + rule.op + "' (use >= > <= < = !=)");
      }
      rule.text = "metrics." + rule.metric + " " + rule.op + " " + formatValue(rule.value);
    } else if (item.contains("not_worse_than_production")) {
      if (!item["not_worse_than_production"].is_string()) {
        throw InputError(where + ": \"not_worse_than_production\" names a metric");
      }
      rule.kind = GateRule::Kind::NotWorseThanProduction;
      rule.metric = item["not_worse_than_production"].get<std::string>();
      rule.tolerance = item.value("tolerance", 0.0);
      if (rule.tolerance < 0) throw InputError(where + ": \"tolerance\" must be >= 0");
      rule.text = "metrics." + rule.metric + " not worse than Production" +
                  (rule.tolerance > 0 ? " (tolerance " + formatValue(rule.tolerance) + ")" : "");
    } else if (item.contains("max_drift_share")) {
      if (!item["max_drift_share"].is_number()) {
        throw InputError(where + ": \"max_drift_share\" must be a number in [0, 1]");
      }
      rule.kind = GateRule::Kind::MaxDriftShare;
      rule.value = item["max_drift_share"].get<double>();
      if (rule.value < 0 || rule.value > 1) {
        throw InputError(where + ": \"max_drift_share\" must be in [0, 1]");
      }
      rule.text = "drift share <= " + formatValue(rule.value);
    } else {
      throw InputError(where + ": unknown rule (expected \"metric\", "
                               "\"not_worse_than_production\" or \"max_drift_share\")");
    }
    out.push_back(std::move(rule));
  }
  return out;
}

std::vector<GateResult> evaluateGateRules(const std::vector<GateRule>& rules,
                                          const GateContext& context) {
  std::vector<GateResult> results;
  for (const GateRule& rule : rules) {
    GateResult result;
    result.rule = rule.text;
    switch (rule.kind) {
      case GateRule::Kind::Threshold: {
        auto it = context.candidateMetrics.find(rule.metric);
        if (it == context.candidateMetrics.end()) {
          result.detail = "the run has no metric '" + rule.metric + "'";
        } else {
          result.passed = compare(it->second, rule.op, rule.value);
          result.detail = rule.metric + " = " + formatValue(it->second);
        }
        break;
      }
      case GateRule::Kind::NotWorseThanProduction: {
        if (!context.productionVersion) {
          result.passed = true;
          result.detail = "no Production version yet";
          break;
        }
        const std::string production = "Production (version " +
                                       std::to_string(*context.productionVersion) + ")";
        auto candidate = context.candidateMetrics.find(rule.metric);
        auto current = context.productionMetrics.find(rule.metric);
        if (candidate == context.candidateMetrics.end() ||
            current == context.productionMetrics.end()) {
          result.detail = "'" + rule.metric + "' is missing from " +
                          (candidate == context.candidateMetrics.end() ? "the candidate"
                                                                       : production);
          break;
        }
        if (context.candidateTestSha256.empty() || context.productionTestSha256.empty()) {
          result.detail = "not comparable: " +
                          std::string(context.candidateTestSha256.empty() ? "the candidate"
                                                                          : production) +
                          " records no test dataset";
          break;
        }
        if (context.candidateTestSha256 != context.productionTestSha256) {
          result.detail = "not comparable: the candidate and " + production +
                          " were tested on different data (" +
                          context.candidateTestSha256.substr(0, 12) + "... vs " +
                          context.productionTestSha256.substr(0, 12) + "...)";
          break;
        }
        const double diff = candidate->second - current->second;
        result.passed = lowerIsBetter(rule.metric) ? diff <= rule.tolerance
                                                   : diff >= -rule.tolerance;
        result.detail = formatValue(candidate->second) + " vs " + formatValue(current->second) +
                        " in " + production;
        break;
      }
      case GateRule::Kind::MaxDriftShare:
        if (!context.driftShare) {
          result.passed = true;
          result.detail = "no drift report yet";
        } else {
          result.passed = *context.driftShare <= rule.value;
          result.detail = "drift share = " + formatValue(*context.driftShare);
        }
        break;
    }
    results.push_back(std::move(result));
  }
  return results;
}

}  // namespace geih::store
