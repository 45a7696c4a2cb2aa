// Internal to core/store: the promotion gate rules of a registered model, parsed from JSON and
// evaluated against a candidate version (see registry.h for the rule language).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/store/registry.h"

namespace geih::store {

struct GateRule {
  enum class Kind { Threshold, NotWorseThanProduction, MaxDriftShare };
  Kind kind = Kind::Threshold;
  std::string text;    // the rule as shown to the user
  std::string metric;  // Threshold, NotWorseThanProduction
  std::string op;      // Threshold: >= > <= < = !=
  double value = 0;    // Threshold: the bound; MaxDriftShare: the largest share allowed
  double tolerance = 0;  // NotWorseThanProduction
};

// Throws InputError naming the rule (by position and text) that is malformed.
std::vector<GateRule> parseGateRules(const std::string& gatesJson);

// What the rules are checked against.
struct GateContext {
  std::map<std::string, double> candidateMetrics;
  // What each run was tested on (a test dataset hash, or a dataset hash with its split); empty
  // when unknown. Runs are comparable only when these are equal.
  std::string candidateTestSha256;
  std::optional<int> productionVersion;
  std::map<std::string, double> productionMetrics;
  std::string productionTestSha256;
  std::optional<double> driftShare;  // the newest drift check of the model, if any
};

// True for losses and errors (a key ending in loss, brier, rmse, mae, mape or mse, before an
// optional "_mean"): the metrics where a lower value is better.
bool lowerIsBetter(const std::string& metric);
std::vector<GateResult> evaluateGateRules(const std::vector<GateRule>& rules,
                                          const GateContext& context);

}  // namespace geih::store
