// Alert rules on a registered model's monitoring log, and the alerts they raise. An open alert
// marks the model version as needing retraining (shown by `geih models` and the registry view)
// until someone clears it; raising and clearing are written to the registry's audit log.
//
// Rules (JSON, {"rules": [...]} or a bare array), each read from the version's monitoring log:
//   {"feature_psi": 0.25, "top_features": 5}  the newest drift check's PSI of any of the model's
//                                              N most important features (permutation importance
//                                              of its run, else gain; every feature when neither)
//                                              is above the value
//   {"auc_drop": 0.05}                         the newest drift check with labels: AUC on the
//                                              reference − AUC now above the value
//   {"max_drift_share": 0.5}                   the newest drift check's share of drifted features
//                                              above the value
//   {"max_error_rate": 0.05, "days": 7}        failed events / events over the last days
//   {"max_latency_p95_ms": 500, "days": 7}     95th percentile of latency over the last days
// A rule without data to read (no drift check yet, no labels) does not fire and says so.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace geih::store {

class Workspace;

struct AlertRule {
  enum class Kind { FeaturePsi, AucDrop, MaxDriftShare, MaxErrorRate, MaxLatencyP95 };
  Kind kind = Kind::FeaturePsi;
  double value = 0;
  int topFeatures = 5;  // FeaturePsi
  int days = 7;         // MaxErrorRate, MaxLatencyP95
  std::string text;     // e.g. "PSI > 0.25 on a top-5 feature"
};

// InputError naming the item (its position and what is wrong) for malformed rules.
std::vector<AlertRule> parseAlertRules(const std::string& json);

struct AlertCheck {
  std::string rule;  // AlertRule::text
  bool fired = false;
  std::optional<double> observed;
  std::string detail;  // what was read, or why the rule could not be checked
};

struct Alert {
  std::int64_t id = 0;
  std::string modelName;
  int modelVersion = 0;
  std::string rule;
  double value = 0;  // what was observed
  std::string message;
  std::int64_t timeMs = 0;
  std::optional<std::int64_t> clearedMs;
};

class MonitoringAlerts {
 public:
  explicit MonitoringAlerts(Workspace& workspace);

  // Validates and stores the rules of a registered model (NotFound / InputError). Audited.
  void setRules(const std::string& model, const std::string& rulesJson);
  std::vector<AlertRule> rules(const std::string& model) const;

  // Evaluates every rule for the version without changing anything.
  std::vector<AlertCheck> evaluate(const std::string& model, int version) const;
  // Evaluates and raises an alert for each fired rule that has no open alert yet (audited as
  // "needs-retraining"). Returns the checks; `raised` gets the number of new alerts.
  std::vector<AlertCheck> check(const std::string& model, int version, int* raised = nullptr);
  // Open alerts (newest first); all models when `model` is empty, all versions when no version.
  std::vector<Alert> openAlerts(const std::string& model = {}, std::optional<int> version = {}) const;
  // Clears the version's open alerts (audited as "alerts-cleared" with the reason); returns how many.
  int clear(const std::string& model, int version, const std::string& reason);

 private:
  Workspace& m_workspace;
};

}  // namespace geih::store
