#include "core/store/registry.h"

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <regex>

#include <nlohmann/json.hpp>

#include "core/common/time_util.h"
#include "core/store/database.h"
#include "core/store/registry_gates.h"
#include "core/store/workspace.h"

namespace geih::store {

namespace {

const char* kStageNames[] = {"None", "Staging", "Production", "Archived"};

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return char(std::tolower(c)); });
  return text;
}

void checkModelName(const std::string& name) {
  static const std::regex pattern(R"(^[A-Za-z0-9][A-Za-z0-9_.\-]{0,127}$)");
  if (!std::regex_match(name, pattern)) {
    throw InputError("model name '" + name +
                     "' is not valid: use letters, digits, '_', '-', '.' (at most 128), "
                     "starting with a letter or digit");
  }
}

void checkAlias(const std::string& alias) {
  static const std::regex pattern(R"(^[A-Za-z][A-Za-z0-9_\-]{0,63}$)");
  if (!std::regex_match(alias, pattern)) {
    throw InputError("alias '" + alias +
                     "' is not valid: start with a letter; letters, digits, '_', '-' follow");
  }
  const std::string name = lower(alias);
  for (const char* reserved : {"production", "staging", "none", "archived", "latest"}) {
    if (name == reserved) {
      throw InputError("alias '" + alias + "' is reserved (it names a stage or the latest version)");
    }
  }
}

std::int64_t modelIdOf(Database& db, const std::string& name) {
  Statement statement = db.prepare("SELECT id FROM registered_models WHERE name = ?");
  statement.bind(1, name);
  if (!statement.step()) throw NotFound("registered model '" + name + "' not found");
  return statement.int64(0);
}

ModelVersion readVersion(Database& db, std::int64_t modelId, const std::string& model,
                         int version) {
  Statement statement = db.prepare(
      "SELECT run_id, artifact_path, model_sha256, stage, description, created_ms, updated_ms "
      "FROM model_versions WHERE model_id = ? AND version = ?");
  statement.bind(1, modelId).bind(2, version);
  if (!statement.step()) {
    throw NotFound("model '" + model + "' has no version " + std::to_string(version));
  }
  ModelVersion out;
  out.model = model;
  out.version = version;
  out.runId = statement.text(0);
  out.artifactPath = statement.text(1);
  out.modelSha256 = statement.text(2);
  out.stage = parseStage(statement.text(3));
  out.description = statement.text(4);
  out.createdMs = statement.int64(5);
  out.updatedMs = statement.int64(6);
  Statement aliases = db.prepare(
      "SELECT alias FROM model_aliases WHERE model_id = ? AND version = ? ORDER BY alias");
  aliases.bind(1, modelId).bind(2, version);
  while (aliases.step()) out.aliases.push_back(aliases.text(0));
  return out;
}

std::optional<int> versionInStage(Database& db, std::int64_t modelId, Stage stage) {
  Statement statement = db.prepare(
      "SELECT version FROM model_versions WHERE model_id = ? AND stage = ? "
      "ORDER BY version DESC LIMIT 1");
  statement.bind(1, modelId).bind(2, stageName(stage));
  if (!statement.step()) return std::nullopt;
  return int(statement.int64(0));
}

void setStage(Database& db, std::int64_t modelId, int version, Stage stage, std::int64_t now) {
  Statement statement = db.prepare(
      "UPDATE model_versions SET stage = ?, updated_ms = ? WHERE model_id = ? AND version = ?");
  statement.bind(1, stageName(stage)).bind(2, now).bind(3, modelId).bind(4, version).run();
  Statement touch = db.prepare("UPDATE registered_models SET updated_ms = ? WHERE id = ?");
  touch.bind(1, now).bind(2, modelId).run();
}

struct AuditRow {
  std::optional<int> version;
  std::string action;
  std::string fromStage;
  std::string toStage;
  std::string reason;
  bool forced = false;
  nlohmann::json detail = nlohmann::json::object();
};

void writeAudit(Database& db, std::int64_t modelId, const AuditRow& row, std::int64_t now) {
  Statement statement = db.prepare(
      "INSERT INTO registry_audit (model_id, version, action, from_stage, to_stage, user, reason, "
      "forced, gates_json, time_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  statement.bind(1, modelId)
      .bind(2, row.version ? std::optional<std::int64_t>(*row.version) : std::nullopt)
      .bind(3, row.action)
      .bind(4, row.fromStage)
      .bind(5, row.toStage)
      .bind(6, Registry::currentUser())
      .bind(7, row.reason)
      .bind(8, row.forced ? 1 : 0)
      .bind(9, row.detail.dump())
      .bind(10, now)
      .run();
}

nlohmann::json gatesJson(const std::vector<GateResult>& gates) {
  nlohmann::json out = nlohmann::json::array();
  for (const GateResult& gate : gates) {
    out.push_back({{"rule", gate.rule}, {"passed", gate.passed}, {"detail", gate.detail}});
  }
  return out;
}

// The Production version that `version`'s latest arrival in Production replaced, if any.
std::optional<int> replacedBy(Database& db, std::int64_t modelId, int version) {
  Statement statement = db.prepare(
      "SELECT gates_json FROM registry_audit WHERE model_id = ? AND version = ? AND "
      "to_stage = 'Production' AND action IN ('promote', 'rollback') ORDER BY id DESC LIMIT 1");
  statement.bind(1, modelId).bind(2, version);
  if (!statement.step()) return std::nullopt;
  const nlohmann::json detail = nlohmann::json::parse(statement.text(0), nullptr, false);
  if (detail.is_object() && detail.contains("previous_production") &&
      detail["previous_production"].is_number_integer()) {
    return detail["previous_production"].get<int>();
  }
  return std::nullopt;
}

// What a run was tested on: its test dataset's hash, or, for a run that split one dataset itself,
// that dataset's hash with the split (seed and test fraction), which fixes the same test rows.
std::string testIdentity(const RunDetail& detail) {
  for (const RunDataset& use : detail.datasets) {
    if (use.role == "test") return use.dataset.sha256;
  }
  for (const RunDataset& use : detail.datasets) {
    if (use.role != "data") continue;
    const auto& params = detail.summary.params;
    const auto seed = params.find("seed");
    const auto fraction = params.find("test_fraction");
    if (seed == params.end() || fraction == params.end()) return {};
    return use.dataset.sha256 + " split seed=" + seed->second +
           " test_fraction=" + fraction->second;
  }
  return {};
}

}  // namespace

std::string stageName(Stage stage) { return kStageNames[int(stage)]; }

Stage parseStage(const std::string& text) {
  const std::string name = lower(text);
  for (int i = 0; i < 4; ++i) {
    if (name == lower(kStageNames[i])) return Stage(i);
  }
  throw InputError("unknown stage '" + text + "' (use none, staging, production or archived)");
}

Registry::Registry(Workspace& workspace) : m_workspace(workspace) {}

std::string Registry::currentUser() {
  if (const char* user = std::getenv("GEIH_USER"); user && *user) return user;
  if (const passwd* entry = getpwuid(getuid()); entry && entry->pw_name) return entry->pw_name;
  if (const char* user = std::getenv("USER"); user && *user) return user;
  return "unknown";
}

ModelVersion Registry::registerVersion(const std::string& model, const std::string& runId,
                                       const std::string& artifactPath,
                                       const std::string& description) {
  checkModelName(model);
  Database& db = *m_workspace.m_db;
  Transaction transaction(db);
  const std::string id = m_workspace.resolveRunId(runId);
  const RunSummary run = m_workspace.runSummary(id);
  if (run.status != RunStatus::Finished) {
    throw InputError("run '" + id + "' is not FINISHED; only finished runs can be registered");
  }
  Statement artifact = db.prepare("SELECT sha256 FROM artifacts WHERE run_id = ? AND path = ?");
  artifact.bind(1, id).bind(2, artifactPath);
  if (!artifact.step()) throw NotFound("run '" + id + "' has no artifact '" + artifactPath + "'");
  const std::string sha = artifact.text(0);

  const std::int64_t now = nowMillis();
  Statement create = db.prepare(
      "INSERT INTO registered_models (name, created_ms, updated_ms) VALUES (?, ?, ?) "
      "ON CONFLICT (name) DO NOTHING");
  create.bind(1, model).bind(2, now).bind(3, now).run();
  const std::int64_t modelId = modelIdOf(db, model);
  Statement next = db.prepare("SELECT COALESCE(MAX(version), 0) + 1 FROM model_versions WHERE model_id = ?");
  next.bind(1, modelId);
  next.step();
  const int version = int(next.int64(0));
  Statement insert = db.prepare(
      "INSERT INTO model_versions (model_id, version, run_id, artifact_path, model_sha256, "
      "description, created_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  insert.bind(1, modelId).bind(2, version).bind(3, id).bind(4, artifactPath).bind(5, sha)
      .bind(6, description).bind(7, now).bind(8, now).run();
  Statement touch = db.prepare("UPDATE registered_models SET updated_ms = ? WHERE id = ?");
  touch.bind(1, now).bind(2, modelId).run();
  writeAudit(db, modelId,
             {version, "register", "", "None", description, false,
              {{"run_id", id}, {"model_sha256", sha}}},
             now);
  transaction.commit();
  return readVersion(db, modelId, model, version);
}

std::vector<RegisteredModel> Registry::listModels() const {
  Database& db = *m_workspace.m_db;
  ReadTransaction snapshot(db);
  std::vector<std::string> names;
  Statement statement = db.prepare("SELECT name FROM registered_models ORDER BY name");
  while (statement.step()) names.push_back(statement.text(0));
  std::vector<RegisteredModel> out;
  for (const std::string& name : names) out.push_back(model(name));
  return out;
}

RegisteredModel Registry::model(const std::string& name) const {
  Database& db = *m_workspace.m_db;
  ReadTransaction snapshot(db);
  Statement statement = db.prepare(
      "SELECT id, description, gates_json, created_ms, updated_ms FROM registered_models "
      "WHERE name = ?");
  statement.bind(1, name);
  if (!statement.step()) throw NotFound("registered model '" + name + "' not found");
  RegisteredModel out;
  const std::int64_t modelId = statement.int64(0);
  out.name = name;
  out.description = statement.text(1);
  out.gatesJson = statement.text(2);
  out.createdMs = statement.int64(3);
  out.updatedMs = statement.int64(4);
  Statement versions = db.prepare(
      "SELECT version FROM model_versions WHERE model_id = ? ORDER BY version DESC");
  versions.bind(1, modelId);
  std::vector<int> numbers;
  while (versions.step()) numbers.push_back(int(versions.int64(0)));
  for (int number : numbers) out.versions.push_back(readVersion(db, modelId, name, number));
  return out;
}

ModelVersion Registry::version(const std::string& name, int version) const {
  Database& db = *m_workspace.m_db;
  ReadTransaction snapshot(db);
  return readVersion(db, modelIdOf(db, name), name, version);
}

ModelVersion Registry::resolve(const std::string& reference) const {
  std::string name = reference;
  std::string selector;
  static const std::regex mlflowStage(R"(^models:/([^/@]+)/([^/@]+)$)");
  static const std::regex mlflowAlias(R"(^models:/([^/@]+)@([^/@]+)$)");
  std::smatch match;
  if (std::regex_match(reference, match, mlflowStage) ||
      std::regex_match(reference, match, mlflowAlias)) {
    name = match[1];
    selector = match[2];
  } else if (const auto at = reference.rfind('@'); at != std::string::npos) {
    name = reference.substr(0, at);
    selector = reference.substr(at + 1);
  }
  if (name.empty()) throw InputError("model reference '" + reference + "' names no model");
  if (selector.empty()) selector = "production";

  Database& db = *m_workspace.m_db;
  ReadTransaction snapshot(db);
  const std::int64_t modelId = modelIdOf(db, name);
  const std::string key = lower(selector);
  if (std::all_of(selector.begin(), selector.end(), [](unsigned char c) { return std::isdigit(c); })) {
    return readVersion(db, modelId, name, std::stoi(selector));
  }
  if (key == "latest") {
    Statement latest = db.prepare("SELECT MAX(version) FROM model_versions WHERE model_id = ?");
    latest.bind(1, modelId);
    latest.step();
    if (latest.isNull(0)) throw NotFound("model '" + name + "' has no versions");
    return readVersion(db, modelId, name, int(latest.int64(0)));
  }
  for (Stage stage : {Stage::Production, Stage::Staging, Stage::None, Stage::Archived}) {
    if (key == lower(stageName(stage))) {
      const std::optional<int> version = versionInStage(db, modelId, stage);
      if (!version) {
        throw NotFound("model '" + name + "' has no version in " + stageName(stage));
      }
      return readVersion(db, modelId, name, *version);
    }
  }
  Statement alias = db.prepare("SELECT version FROM model_aliases WHERE model_id = ? AND alias = ?");
  alias.bind(1, modelId).bind(2, selector);
  if (!alias.step()) {
    throw NotFound("model '" + name + "' has no alias '" + selector +
                   "' (a reference is NAME@production, NAME@staging, NAME@latest, NAME@<alias> "
                   "or NAME@<version>)");
  }
  return readVersion(db, modelId, name, int(alias.int64(0)));
}

void Registry::recordAudit(const std::string& name, std::optional<int> version, const std::string& action,
                           const std::string& reason, const std::string& detailJson) {
  Database& db = *m_workspace.m_db;
  Transaction transaction(db);
  const std::int64_t modelId = modelIdOf(db, name);
  writeAudit(db, modelId, {version, action, "", "", reason, false, nlohmann::json::parse(detailJson)}, nowMillis());
  transaction.commit();
}

void Registry::setGates(const std::string& name, const std::string& gatesJsonText) {
  const std::vector<GateRule> rules = parseGateRules(gatesJsonText);  // InputError when malformed
  const nlohmann::json parsed = nlohmann::json::parse(gatesJsonText);
  const nlohmann::json stored = {{"rules", parsed.is_object() ? parsed.at("rules") : parsed}};
  Database& db = *m_workspace.m_db;
  Transaction transaction(db);
  const std::int64_t modelId = modelIdOf(db, name);
  const std::int64_t now = nowMillis();
  Statement update =
      db.prepare("UPDATE registered_models SET gates_json = ?, updated_ms = ? WHERE id = ?");
  update.bind(1, stored.dump()).bind(2, now).bind(3, modelId).run();
  nlohmann::json texts = nlohmann::json::array();
  for (const GateRule& rule : rules) texts.push_back(rule.text);
  writeAudit(db, modelId, {std::nullopt, "gates", "", "", "", false, {{"rules", texts}}}, now);
  transaction.commit();
}

std::vector<GateResult> Registry::evaluateGates(const std::string& name, int version) const {
  Database& db = *m_workspace.m_db;
  ReadTransaction snapshot(db);
  const RegisteredModel registered = model(name);
  const ModelVersion candidate = readVersion(db, modelIdOf(db, name), name, version);
  GateContext context;
  const RunDetail candidateRun = m_workspace.runDetail(candidate.runId);
  context.candidateMetrics = candidateRun.summary.metrics;
  context.candidateTestSha256 = testIdentity(candidateRun);
  if (const auto production = versionInStage(db, modelIdOf(db, name), Stage::Production);
      production && *production != version) {
    const ModelVersion current = readVersion(db, modelIdOf(db, name), name, *production);
    const RunDetail currentRun = m_workspace.runDetail(current.runId);
    context.productionVersion = *production;
    context.productionMetrics = currentRun.summary.metrics;
    context.productionTestSha256 = testIdentity(currentRun);
  }
  Statement drift = db.prepare(
      "SELECT summary_json FROM monitoring_events WHERE model_name = ? AND kind = 'drift' "
      "ORDER BY time_ms DESC, id DESC LIMIT 1");
  drift.bind(1, name);
  if (drift.step()) {
    const nlohmann::json summary = nlohmann::json::parse(drift.text(0), nullptr, false);
    if (summary.is_object() && summary.contains("share_drifted") &&
        summary["share_drifted"].is_number()) {
      context.driftShare = summary["share_drifted"].get<double>();
    }
  }
  return evaluateGateRules(parseGateRules(registered.gatesJson), context);
}

PromotionResult Registry::transition(const std::string& name, int version, Stage stage,
                                     const std::string& reason, bool force) {
  if (force && reason.empty()) {
    throw InputError("a forced promotion needs a reason (--reason \"...\"); it goes to the audit log");
  }
  Database& db = *m_workspace.m_db;
  PromotionResult result;
  std::optional<GateRefused> refusal;
  {
    Transaction transaction(db);
    const std::int64_t modelId = modelIdOf(db, name);
    const ModelVersion before = readVersion(db, modelId, name, version);
    if (before.stage == stage) {
      throw InputError("version " + std::to_string(version) + " of '" + name + "' is already in " +
                       stageName(stage));
    }
    const std::int64_t now = nowMillis();
    if (stage != Stage::Production) {
      setStage(db, modelId, version, stage, now);
      writeAudit(db, modelId,
                 {version, "transition", stageName(before.stage), stageName(stage), reason, false},
                 now);
    } else {
      result.gates = evaluateGates(name, version);
      std::vector<std::string> failed;
      for (const GateResult& gate : result.gates) {
        if (!gate.passed) failed.push_back(gate.rule + " (" + gate.detail + ")");
      }
      const std::optional<int> previous = versionInStage(db, modelId, Stage::Production);
      nlohmann::json detail = {{"gates", gatesJson(result.gates)}};
      if (!failed.empty() && !force) {
        writeAudit(db, modelId,
                   {version, "promote-refused", stageName(before.stage), "Production", reason,
                    false, detail},
                   now);
        std::string message = "promotion of '" + name + "' version " + std::to_string(version) +
                              " to Production refused; failed gates:";
        for (const std::string& rule : failed) message += "\n  - " + rule;
        message += "\n(use --force with --reason to override; it is audited)";
        refusal.emplace(message, result.gates);
      } else {
        if (previous) {
          setStage(db, modelId, *previous, Stage::Archived, now);
          writeAudit(db, modelId,
                     {*previous, "replaced", "Production", "Archived",
                      "replaced by version " + std::to_string(version), false},
                     now);
          detail["previous_production"] = *previous;
          result.archivedVersion = previous;
        }
        setStage(db, modelId, version, Stage::Production, now);
        result.forced = !failed.empty();
        writeAudit(db, modelId,
                   {version, "promote", stageName(before.stage), "Production", reason,
                    result.forced, detail},
                   now);
      }
    }
    transaction.commit();
    result.version = readVersion(db, modelId, name, version);
  }
  if (refusal) throw *refusal;
  return result;
}

PromotionResult Registry::rollback(const std::string& name, const std::string& reason) {
  Database& db = *m_workspace.m_db;
  Transaction transaction(db);
  const std::int64_t modelId = modelIdOf(db, name);
  const std::optional<int> current = versionInStage(db, modelId, Stage::Production);
  if (!current) throw Conflict("model '" + name + "' has no Production version to roll back");
  const std::optional<int> previous = replacedBy(db, modelId, *current);
  if (!previous) {
    throw Conflict("model '" + name + "' version " + std::to_string(*current) +
                   " replaced no earlier Production version; nothing to roll back to");
  }
  const ModelVersion target = readVersion(db, modelId, name, *previous);
  const std::int64_t now = nowMillis();
  setStage(db, modelId, *current, Stage::Archived, now);
  writeAudit(db, modelId,
             {*current, "replaced", "Production", "Archived",
              "rolled back to version " + std::to_string(*previous), false},
             now);
  setStage(db, modelId, *previous, Stage::Production, now);
  // The restored version's own predecessor, so a second rollback goes one further back.
  nlohmann::json detail = {{"rolled_back_from", *current}};
  if (const auto before = replacedBy(db, modelId, *previous)) detail["previous_production"] = *before;
  writeAudit(db, modelId,
             {*previous, "rollback", stageName(target.stage), "Production", reason, false, detail},
             now);
  transaction.commit();
  PromotionResult result;
  result.version = readVersion(db, modelId, name, *previous);
  result.archivedVersion = current;
  return result;
}

void Registry::setAlias(const std::string& name, int version, const std::string& alias) {
  checkAlias(alias);
  Database& db = *m_workspace.m_db;
  Transaction transaction(db);
  const std::int64_t modelId = modelIdOf(db, name);
  readVersion(db, modelId, name, version);  // NotFound for an unknown version
  Statement old = db.prepare("SELECT version FROM model_aliases WHERE model_id = ? AND alias = ?");
  old.bind(1, modelId).bind(2, alias);
  std::optional<int> from;
  if (old.step()) from = int(old.int64(0));
  if (from == version) return;  // already there; nothing to audit
  Statement upsert = db.prepare(
      "INSERT INTO model_aliases (model_id, alias, version) VALUES (?, ?, ?) "
      "ON CONFLICT (model_id, alias) DO UPDATE SET version = excluded.version");
  upsert.bind(1, modelId).bind(2, alias).bind(3, version).run();
  const std::int64_t now = nowMillis();
  nlohmann::json detail = {{"alias", alias}};
  if (from) detail["moved_from_version"] = *from;
  writeAudit(db, modelId, {version, "alias", "", "", "", false, detail}, now);
  transaction.commit();
}

void Registry::removeAlias(const std::string& name, const std::string& alias) {
  Database& db = *m_workspace.m_db;
  Transaction transaction(db);
  const std::int64_t modelId = modelIdOf(db, name);
  Statement old = db.prepare("SELECT version FROM model_aliases WHERE model_id = ? AND alias = ?");
  old.bind(1, modelId).bind(2, alias);
  if (!old.step()) throw NotFound("model '" + name + "' has no alias '" + alias + "'");
  const int version = int(old.int64(0));
  Statement remove = db.prepare("DELETE FROM model_aliases WHERE model_id = ? AND alias = ?");
  remove.bind(1, modelId).bind(2, alias).run();
  writeAudit(db, modelId, {version, "unalias", "", "", "", false, {{"alias", alias}}}, nowMillis());
  transaction.commit();
}

std::vector<AuditEntry> Registry::audit(const std::string& name, std::size_t limit) const {
  Database& db = *m_workspace.m_db;
  ReadTransaction snapshot(db);
  std::string sql =
      "SELECT a.id, m.name, a.version, a.action, a.from_stage, a.to_stage, a.user, a.reason, "
      "a.forced, a.gates_json, a.time_ms FROM registry_audit a "
      "JOIN registered_models m ON m.id = a.model_id";
  if (!name.empty()) sql += " WHERE m.name = ?";
  sql += " ORDER BY a.id DESC";
  if (limit > 0) sql += " LIMIT " + std::to_string(limit);
  if (!name.empty()) modelIdOf(db, name);  // NotFound for an unknown model
  Statement statement = db.prepare(sql);
  if (!name.empty()) statement.bind(1, name);
  std::vector<AuditEntry> out;
  while (statement.step()) {
    AuditEntry entry;
    entry.id = statement.int64(0);
    entry.model = statement.text(1);
    if (!statement.isNull(2)) entry.version = int(statement.int64(2));
    entry.action = statement.text(3);
    entry.fromStage = statement.text(4);
    entry.toStage = statement.text(5);
    entry.user = statement.text(6);
    entry.reason = statement.text(7);
    entry.forced = statement.int64(8) != 0;
    entry.detailJson = statement.text(9);
    entry.timeMs = statement.int64(10);
    out.push_back(std::move(entry));
  }
  return out;
}

}  // namespace geih::store
