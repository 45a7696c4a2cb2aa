// MlflowFileStore::importStore: an MLflow file store (mlruns/) into the workspace.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "core/common/atomic_file.h"
#include "core/common/error.h"
#include "core/common/sha256.h"
#include "core/common/time_util.h"
#include "core/store/database.h"
#include "core/store/mlflow_file_store.h"
#include "core/store/registry.h"
#include "core/store/workspace.h"

namespace geih::store {

namespace {

namespace fs = std::filesystem;

YAML::Node loadYaml(const fs::path& file) {
  try {
    return YAML::LoadFile(file.string());
  } catch (const YAML::Exception& error) {
    throw InputError(file.string() + ": not valid YAML (" + error.what() + ")");
  }
}

template <typename T>
T field(const YAML::Node& node, const char* key, const T& fallback, const fs::path& file) {
  const YAML::Node value = node[key];
  if (!value || value.IsNull()) return fallback;
  try {
    return value.as<T>();
  } catch (const YAML::Exception&) {
    throw InputError(file.string() + ": field '" + key + "' has an unexpected value");
  }
}

// Files below `folder`, keyed by their path relative to it with '/' separators (MLflow stores a
// key "a/b" as the file b in the folder a).
std::map<std::string, fs::path> filesBelow(const fs::path& folder) {
  std::map<std::string, fs::path> out;
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) return out;
  for (const auto& entry : fs::recursive_directory_iterator(folder)) {
    if (entry.is_regular_file()) out[fs::relative(entry.path(), folder).generic_string()] = entry.path();
  }
  return out;
}

std::string textOf(const fs::path& file) {
  std::string text = readFile(file);
  if (!text.empty() && text.back() == '\n') text.pop_back();  // tolerate a trailing newline
  return text;
}

std::string statusName(const YAML::Node& node, const fs::path& file) {
  const YAML::Node status = node["status"];
  if (!status || status.IsNull()) return "FINISHED";
  const std::string text = status.as<std::string>();
  static const char* kNames[] = {"", "RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"};
  if (text.size() == 1 && text[0] >= '1' && text[0] <= '5') {
    const std::string name = kNames[text[0] - '0'];
    return name == "SCHEDULED" ? "RUNNING" : name;
  }
  for (const char* name : {"RUNNING", "FINISHED", "FAILED", "KILLED"}) {
    if (text == name) return text;
  }
  if (text == "SCHEDULED") return "RUNNING";
  throw InputError(file.string() + ": unknown run status '" + text + "'");
}

struct MetricPointRow {
  std::int64_t timestamp;
  double value;
  std::int64_t step;
};

std::vector<MetricPointRow> readMetricFile(const fs::path& file) {
  std::ifstream in(file);
  std::vector<MetricPointRow> points;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    std::istringstream parts(line);
    std::string ts, value, step;
    parts >> ts >> value >> step;
    try {
      MetricPointRow point{std::stoll(ts), std::stod(value), step.empty() ? 0 : std::stoll(step)};
      points.push_back(point);
    } catch (const std::exception&) {
      throw InputError(file.string() + ":" + std::to_string(number) +
                       ": expected 'timestamp value [step]', found '" + line + "'");
    }
  }
  return points;
}

}  // namespace

MlflowTransferSummary MlflowFileStore::importStore(Workspace& workspace, const fs::path& mlruns,
                                                   Progress& progress) {
  std::error_code ec;
  if (!fs::is_directory(mlruns, ec)) throw InputError("'" + mlruns.string() + "' is not a folder");
  MlflowTransferSummary summary;
  Database& db = *workspace.m_db;

  // Experiment folders: numbered folders with a meta.yaml, also inside .trash.
  std::vector<std::pair<fs::path, bool>> experiments;  // folder, deleted
  for (const auto& entry : fs::directory_iterator(mlruns)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_directory() || name == "models") continue;
    if (name == ".trash") {
      for (const auto& trashed : fs::directory_iterator(entry.path())) {
        if (fs::exists(trashed.path() / "meta.yaml")) experiments.emplace_back(trashed.path(), true);
      }
    } else if (fs::exists(entry.path() / "meta.yaml")) {
      experiments.emplace_back(entry.path(), false);
    }
  }
  std::sort(experiments.begin(), experiments.end());
  if (experiments.empty() && !fs::is_directory(mlruns / "models")) {
    throw InputError("'" + mlruns.string() + "' holds no MLflow experiment (no <id>/meta.yaml)");
  }

  Transaction transaction(db);
  Statement insertExperiment = db.prepare(
      "INSERT INTO experiments (name, description, created_ms) VALUES (?, '', ?) "
      "ON CONFLICT (name) DO NOTHING");
  Statement experimentId = db.prepare("SELECT id FROM experiments WHERE name = ?");
  Statement runExists = db.prepare("SELECT 1 FROM runs WHERE id = ?");
  Statement insertRun = db.prepare(
      "INSERT INTO runs (id, experiment_id, name, status, start_ms, end_ms, note, deleted_ms, "
      "parent_run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  Statement insertParam = db.prepare("INSERT INTO params (run_id, key, value) VALUES (?, ?, ?)");
  Statement insertTag = db.prepare(
      "INSERT INTO tags (run_id, key, value) VALUES (?, ?, ?) "
      "ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value");
  Statement insertMetric = db.prepare(
      "INSERT INTO metrics (run_id, key, value, step, timestamp_ms) VALUES (?, ?, ?, ?, ?)");
  Statement insertLatest = db.prepare(
      "INSERT INTO latest_metrics (run_id, key, value, step, timestamp_ms) VALUES (?, ?, ?, ?, ?)");
  Statement insertArtifact = db.prepare(
      "INSERT INTO artifacts (run_id, path, sha256, size, media_type) VALUES (?, ?, ?, ?, "
      "'application/octet-stream')");

  for (std::size_t e = 0; e < experiments.size(); ++e) {
    progress.checkCancelled();
    progress.report(double(e) / double(experiments.size() + 1), "importing runs");
    const auto& [folder, experimentDeleted] = experiments[e];
    const fs::path metaFile = folder / "meta.yaml";
    const YAML::Node meta = loadYaml(metaFile);
    const std::string name = field<std::string>(meta, "name", folder.filename().string(), metaFile);
    insertExperiment.reset();
    insertExperiment.bind(1, name).bind(2, field<std::int64_t>(meta, "creation_time", nowMillis(), metaFile)).run();
    experimentId.reset();
    experimentId.bind(1, name);
    experimentId.step();
    const std::int64_t experiment = experimentId.int64(0);
    ++summary.experiments;

    for (const auto& entry : fs::directory_iterator(folder)) {
      const fs::path runMetaFile = entry.path() / "meta.yaml";
      if (!entry.is_directory() || !fs::exists(runMetaFile)) continue;
      const YAML::Node run = loadYaml(runMetaFile);
      const std::string id = field<std::string>(
          run, "run_id", field<std::string>(run, "run_uuid", entry.path().filename().string(), runMetaFile),
          runMetaFile);
      runExists.reset();
      runExists.bind(1, id);
      if (runExists.step()) {
        summary.warnings.push_back("run " + id + " is in the workspace already; skipped");
        continue;
      }
      std::map<std::string, std::string> tags;
      for (const auto& [key, file] : filesBelow(entry.path() / "tags")) tags[key] = textOf(file);
      const std::int64_t start = field<std::int64_t>(run, "start_time", 0, runMetaFile);
      const YAML::Node endNode = run["end_time"];
      const bool hasEnd = endNode && !endNode.IsNull();
      const std::int64_t endMs = hasEnd ? field<std::int64_t>(run, "end_time", 0, runMetaFile) : 0;
      const bool deleted =
          experimentDeleted || field<std::string>(run, "lifecycle_stage", "active", runMetaFile) == "deleted";
      const std::int64_t deletedMs =
          deleted ? field<std::int64_t>(run, "deleted_time", hasEnd ? endMs : start, runMetaFile) : 0;
      std::string runName = field<std::string>(run, "run_name", "", runMetaFile);
      if (runName.empty() && tags.count("mlflow.runName")) runName = tags["mlflow.runName"];
      insertRun.reset();
      insertRun.bind(1, id)
          .bind(2, experiment)
          .bind(3, runName)
          .bind(4, statusName(run, runMetaFile))
          .bind(5, start)
          .bind(7, tags.count("mlflow.note.content") ? tags["mlflow.note.content"] : std::string())
          .bind(9, tags.count("mlflow.parentRunId") ? tags["mlflow.parentRunId"] : std::string());
      if (hasEnd) {
        insertRun.bind(6, endMs);
      } else {
        insertRun.bindNull(6);
      }
      if (deleted) {
        insertRun.bind(8, deletedMs);
      } else {
        insertRun.bindNull(8);
      }
      insertRun.run();
      ++summary.runs;

      for (const auto& [key, file] : filesBelow(entry.path() / "params")) {
        insertParam.reset();
        insertParam.bind(1, id).bind(2, key).bind(3, textOf(file)).run();
        ++summary.params;
      }
      for (const auto& [key, value] : tags) {
        insertTag.reset();
        insertTag.bind(1, id).bind(2, key).bind(3, value).run();
        ++summary.tags;
      }
      for (const auto& [key, file] : filesBelow(entry.path() / "metrics")) {
        const std::vector<MetricPointRow> points = readMetricFile(file);
        if (points.empty()) continue;
        const MetricPointRow* latest = &points.front();
        for (const MetricPointRow& point : points) {
          insertMetric.reset();
          insertMetric.bind(1, id).bind(2, key).bind(3, point.value).bind(4, point.step).bind(5, point.timestamp).run();
          // The latest value as the workspace defines it: highest step, then newest, then last.
          if (point.step > latest->step ||
              (point.step == latest->step && point.timestamp >= latest->timestamp)) {
            latest = &point;
          }
          ++summary.metricPoints;
        }
        insertLatest.reset();
        insertLatest.bind(1, id).bind(2, key).bind(3, latest->value).bind(4, latest->step).bind(5, latest->timestamp).run();
      }
      for (const auto& [path, file] : filesBelow(entry.path() / "artifacts")) {
        const std::string bytes = readFile(file);
        const std::string sha = sha256Hex(bytes);
        const fs::path stored = workspace.artifactFile(sha);
        if (!fs::exists(stored, ec)) writeFileAtomic(stored, bytes);
        insertArtifact.reset();
        insertArtifact.bind(1, id).bind(2, path).bind(3, sha).bind(4, std::int64_t(bytes.size())).run();
        ++summary.artifacts;
      }
    }
  }

  // Registered models, their versions, stages and aliases.
  const fs::path models = mlruns / "models";
  if (fs::is_directory(models, ec)) {
    Statement insertModel = db.prepare(
        "INSERT INTO registered_models (name, description, created_ms, updated_ms) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (name) DO NOTHING");
    Statement modelId = db.prepare("SELECT id FROM registered_models WHERE name = ?");
    Statement insertVersion = db.prepare(
        "INSERT INTO model_versions (model_id, version, run_id, artifact_path, model_sha256, stage, "
        "description, created_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    Statement artifactOf = db.prepare(
        "SELECT path, sha256 FROM artifacts WHERE run_id = ? AND (path = ? OR path LIKE ? || '/%') "
        "ORDER BY (path = ?) DESC, (path LIKE '%/MLmodel') DESC, path LIMIT 1");
    Statement versionExists =
        db.prepare("SELECT 1 FROM model_versions WHERE model_id = ? AND version = ?");
    Statement hasProduction = db.prepare(
        "SELECT 1 FROM model_versions WHERE model_id = ? AND stage = 'Production'");
    Statement insertAlias = db.prepare(
        "INSERT INTO model_aliases (model_id, alias, version) VALUES (?, ?, ?) "
        "ON CONFLICT (model_id, alias) DO UPDATE SET version = excluded.version");
    Statement audit = db.prepare(
        "INSERT INTO registry_audit (model_id, version, action, to_stage, user, reason, time_ms) "
        "VALUES (?, ?, 'import', ?, ?, ?, ?)");
    for (const auto& entry : fs::directory_iterator(models)) {
      const fs::path metaFile = entry.path() / "meta.yaml";
      if (!entry.is_directory() || !fs::exists(metaFile)) continue;
      const YAML::Node meta = loadYaml(metaFile);
      const std::string name = field<std::string>(meta, "name", entry.path().filename().string(), metaFile);
      const std::int64_t created = field<std::int64_t>(meta, "creation_timestamp", nowMillis(), metaFile);
      insertModel.reset();
      insertModel.bind(1, name).bind(2, field<std::string>(meta, "description", "", metaFile))
          .bind(3, created).bind(4, field<std::int64_t>(meta, "last_updated_timestamp", created, metaFile)).run();
      modelId.reset();
      modelId.bind(1, name);
      modelId.step();
      const std::int64_t model = modelId.int64(0);
      ++summary.models;
      std::vector<fs::path> versionFolders;
      for (const auto& version : fs::directory_iterator(entry.path())) {
        if (version.is_directory() && version.path().filename().string().rfind("version-", 0) == 0) {
          versionFolders.push_back(version.path());
        }
      }
      std::sort(versionFolders.begin(), versionFolders.end());
      for (const fs::path& versionFolder : versionFolders) {
        const fs::path versionMeta = versionFolder / "meta.yaml";
        if (!fs::exists(versionMeta)) continue;
        const YAML::Node version = loadYaml(versionMeta);
        const int number = field<int>(version, "version", 0, versionMeta);
        const std::string runId = field<std::string>(version, "run_id", "", versionMeta);
        runExists.reset();
        runExists.bind(1, runId);
        if (number <= 0 || !runExists.step()) {
          summary.warnings.push_back(versionMeta.string() + ": run '" + runId +
                                     "' is not in the store; version skipped");
          continue;
        }
        versionExists.reset();
        versionExists.bind(1, model).bind(2, number);
        if (versionExists.step()) {
          summary.warnings.push_back(name + " version " + std::to_string(number) +
                                     " is registered already; skipped");
          continue;
        }
        // The artifact the version points at: ".../artifacts/<path>" or "runs:/<id>/<path>".
        const std::string source = field<std::string>(version, "source", "", versionMeta);
        std::string path;
        if (const auto at = source.find("/artifacts/"); at != std::string::npos) {
          path = source.substr(at + 11);
        } else if (source.rfind("runs:/", 0) == 0) {
          const auto slash = source.find('/', 6);
          path = slash == std::string::npos ? "" : source.substr(slash + 1);
        }
        std::string artifactPath = path;
        std::string sha;
        artifactOf.reset();
        artifactOf.bind(1, runId).bind(2, path).bind(3, path).bind(4, path);
        if (artifactOf.step()) {
          artifactPath = artifactOf.text(0);
          sha = artifactOf.text(1);
        }
        std::string stage = field<std::string>(version, "current_stage", "None", versionMeta);
        try {
          stage = stageName(parseStage(stage));
        } catch (const InputError&) {
          throw InputError(versionMeta.string() + ": unknown stage '" + stage + "'");
        }
        hasProduction.reset();
        hasProduction.bind(1, model);
        if (stage == "Production" && hasProduction.step()) {
          summary.warnings.push_back(name + " version " + std::to_string(number) +
                                     " was a second Production version; imported as Archived");
          stage = "Archived";
        }
        const std::int64_t versionCreated = field<std::int64_t>(version, "creation_timestamp", created, versionMeta);
        insertVersion.reset();
        insertVersion.bind(1, model).bind(2, number).bind(3, runId).bind(4, artifactPath).bind(5, sha)
            .bind(6, stage).bind(7, field<std::string>(version, "description", "", versionMeta))
            .bind(8, versionCreated)
            .bind(9, field<std::int64_t>(version, "last_updated_timestamp", versionCreated, versionMeta))
            .run();
        audit.reset();
        audit.bind(1, model).bind(2, number).bind(3, stage).bind(4, Registry::currentUser())
            .bind(5, "imported from " + mlruns.string()).bind(6, nowMillis()).run();
        ++summary.versions;
      }
      for (const auto& [alias, file] : filesBelow(entry.path() / "aliases")) {
        try {
          insertAlias.reset();
          insertAlias.bind(1, model).bind(2, alias).bind(3, std::stoi(textOf(file))).run();
        } catch (const Conflict&) {
          summary.warnings.push_back(name + "@" + alias + " points at a version not imported");
        } catch (const std::invalid_argument&) {
          throw InputError(file.string() + ": an alias file holds a version number");
        }
      }
      if (const YAML::Node aliases = meta["aliases"]; aliases && aliases.IsSequence()) {
        for (const YAML::Node& item : aliases) {
          insertAlias.reset();
          insertAlias.bind(1, model).bind(2, item["alias"].as<std::string>())
              .bind(3, item["version"].as<int>()).run();
        }
      }
    }
  }
  transaction.commit();
  progress.report(1.0, "imported");
  return summary;
}

}  // namespace geih::store
