// The model registry of a workspace: registered models, their versions (each the model artifact of
// a finished run), stages None/Staging/Production/Archived, free aliases, promotion gates, an
// audit log of every change, and rollback.
//
// Invariants (kept by the database as well as by this code, so two writers cannot break them):
// at most one Production version per model; an alias names one version; every change and its
// audit row commit together, or neither does. Promoting to Production archives the previous
// Production version and remembers it, so rollback() can restore it (and, repeated, the one
// before it).
//
// Gates (JSON, per model):
//   {"rules": [
//     "metrics.roc_auc >= 0.85",                              a threshold on the version's run
//     {"metric": "f1", "op": ">", "value": 0.5},               the same as an object
//     {"not_worse_than_production": "roc_auc", "tolerance": 0.0},
//     {"max_drift_share": 0.3}                                 share of drifted features
//   ]}
// Lower is better for loss-like metrics (log_loss, brier, rmse, mae, mape). A refused promotion
// throws GateRefused listing every failed rule and leaves only an audit row behind.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/common/error.h"

namespace geih::store {

class Workspace;

enum class Stage { None, Staging, Production, Archived };

// "None", "Staging", "Production", "Archived".
std::string stageName(Stage stage);
// Case-insensitive; throws InputError listing the four.
Stage parseStage(const std::string& text);

struct ModelVersion {
  std::string model;
  int version = 0;
  std::string runId;
  std::string artifactPath;  // inside the run, e.g. "model.json"
  std::string modelSha256;
  Stage stage = Stage::None;
  std::vector<std::string> aliases;
  std::string description;
  std::int64_t createdMs = 0;
  std::int64_t updatedMs = 0;
};

struct RegisteredModel {
  std::string name;
  std::string description;
  std::string gatesJson;  // {"rules": [...]}
  std::int64_t createdMs = 0;
  std::int64_t updatedMs = 0;
  std::vector<ModelVersion> versions;  // newest first
};

struct GateResult {
  std::string rule;    // as written, e.g. "metrics.roc_auc >= 0.85"
  bool passed = false;
  std::string detail;  // the values compared, or why the rule could not be checked
};

struct PromotionResult {
  ModelVersion version;                // after the change
  std::optional<int> archivedVersion;  // the Production version it replaced
  std::vector<GateResult> gates;
  bool forced = false;
};

struct AuditEntry {
  std::int64_t id = 0;
  std::string model;
  std::optional<int> version;
  std::string action;  // register, promote, promote-refused, replaced, transition, rollback,
                       // alias, unalias, gates
  std::string fromStage;
  std::string toStage;
  std::string user;
  std::string reason;
  bool forced = false;
  std::string detailJson;  // gate results and the previous Production version, as JSON
  std::int64_t timeMs = 0;
};

// A promotion that failed its gates; what() lists the failed rules.
class GateRefused : public Error {
 public:
  GateRefused(const std::string& message, std::vector<GateResult> gates)
      : Error(message), m_gates(std::move(gates)) {}
  const std::vector<GateResult>& gates() const { return m_gates; }

 private:
  std::vector<GateResult> m_gates;
};

class Registry {
 public:
  explicit Registry(Workspace& workspace);

  // A new version (max + 1) of `model` (created when new) from a FINISHED run's artifact.
  // NotFound for an unknown run or artifact; InputError for an unfinished run or a bad name.
  ModelVersion registerVersion(const std::string& model, const std::string& runId,
                               const std::string& artifactPath = "model.json",
                               const std::string& description = {});

  std::vector<RegisteredModel> listModels() const;
  RegisteredModel model(const std::string& name) const;                // NotFound
  ModelVersion version(const std::string& name, int version) const;     // NotFound

  // "NAME@production", "NAME@staging", "NAME@latest", "NAME@<alias>", "NAME@3", "NAME" (its
  // Production version), and MLflow's "models:/NAME/Production", "models:/NAME/3",
  // "models:/NAME@alias". NotFound names what is missing.
  ModelVersion resolve(const std::string& reference) const;

  // Validates and stores the gate rules (InputError naming the bad rule). Audited.
  void setGates(const std::string& name, const std::string& gatesJson);
  // Every rule evaluated for `version`, without changing anything.
  std::vector<GateResult> evaluateGates(const std::string& name, int version) const;

  // Moves `version` to `stage`. To Production: gates first (GateRefused unless `force`, which
  // needs a reason), then the previous Production version is archived in the same transaction.
  PromotionResult transition(const std::string& name, int version, Stage stage,
                             const std::string& reason = {}, bool force = false);
  // Restores the Production version that the current one replaced; the current one is archived.
  // Conflict when there is nothing to roll back to.
  PromotionResult rollback(const std::string& name, const std::string& reason = {});

  // Points `alias` at `version` (moving it from another version). InputError for reserved or
  // malformed names.
  void setAlias(const std::string& name, int version, const std::string& alias);
  void removeAlias(const std::string& name, const std::string& alias);

  // Newest first; all models when `name` is empty.
  std::vector<AuditEntry> audit(const std::string& name = {}, std::size_t limit = 0) const;

  // Who the audit log names: $GEIH_USER, else the OS user.
  static std::string currentUser();

  // Appends an audit entry for a change made elsewhere (monitoring alerts); `detailJson` an object.
  // NotFound for an unknown model.
  void recordAudit(const std::string& name, std::optional<int> version, const std::string& action,
                   const std::string& reason, const std::string& detailJson);

 private:
  Workspace& m_workspace;
};

}  // namespace geih::store
