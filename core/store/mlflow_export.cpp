// MlflowFileStore::exportStore: the workspace as an MLflow 2.x file store.
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <random>

#include "core/common/atomic_file.h"
#include "core/common/error.h"
#include "core/store/database.h"
#include "core/store/mlflow_file_store.h"
#include "core/store/workspace.h"

namespace geih::store {

namespace {

namespace fs = std::filesystem;

void writeText(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream out(file, std::ios::binary);
  out << text;
  if (!out) throw IoError("cannot write '" + file.string() + "'");
}

void writeYaml(const fs::path& file, YAML::Emitter& emitter) {
  if (!emitter.good()) throw IoError("YAML for '" + file.string() + "': " + emitter.GetLastError());
  writeText(file, std::string(emitter.c_str()) + "\n");
}

std::string fileUri(const fs::path& path) { return "file://" + fs::absolute(path).generic_string(); }

}  // namespace

int mlflowStatusNumber(const std::string& status) {
  if (status == "RUNNING") return 1;
  if (status == "SCHEDULED") return 2;
  if (status == "FINISHED") return 3;
  if (status == "FAILED") return 4;
  if (status == "KILLED") return 5;
  throw InputError("unknown run status '" + status + "'");
}

MlflowTransferSummary MlflowFileStore::exportStore(Workspace& workspace, const fs::path& folder,
                                                   Progress& progress) {
  std::error_code ec;
  if (fs::exists(folder, ec) && !(fs::is_directory(folder, ec) && fs::is_empty(folder, ec))) {
    throw Conflict("'" + folder.string() + "' exists and is not an empty folder");
  }
  const fs::path parent = folder.parent_path().empty() ? fs::path(".") : folder.parent_path();
  fs::create_directories(parent, ec);
  std::random_device random;
  const fs::path staging = parent / (".tmp-" + std::to_string(random()) + "-" + folder.filename().string());
  const fs::path final = fs::absolute(folder);
  MlflowTransferSummary summary;
  Database& db = *workspace.m_db;
  try {
    ReadTransaction snapshot(db);
    Statement experiments = db.prepare("SELECT id, name, created_ms FROM experiments ORDER BY id");
    Statement runs = db.prepare(
        "SELECT id, name, status, start_ms, end_ms, note, deleted_ms, parent_run_id FROM runs "
        "WHERE experiment_id = ? ORDER BY start_ms, rowid");
    Statement params = db.prepare("SELECT key, value FROM params WHERE run_id = ?");
    Statement tags = db.prepare("SELECT key, value FROM tags WHERE run_id = ?");
    Statement metrics = db.prepare(
        "SELECT key, value, step, timestamp_ms FROM metrics WHERE run_id = ? ORDER BY key, rowid");
    Statement artifacts = db.prepare("SELECT path, sha256 FROM artifacts WHERE run_id = ?");
    std::vector<std::tuple<std::int64_t, std::string, std::int64_t>> list;
    while (experiments.step()) list.emplace_back(experiments.int64(0), experiments.text(1), experiments.int64(2));
    for (std::size_t e = 0; e < list.size(); ++e) {
      progress.checkCancelled();
      progress.report(double(e) / double(list.size() + 1), "exporting runs");
      const auto& [id, name, created] = list[e];
      const std::string experimentId = std::to_string(id);
      const fs::path experimentFolder = staging / experimentId;
      YAML::Emitter meta;
      meta << YAML::BeginMap << YAML::Key << "artifact_location" << YAML::Value
           << fileUri(final / experimentId) << YAML::Key << "creation_time" << YAML::Value << created
           << YAML::Key << "experiment_id" << YAML::Value << YAML::DoubleQuoted << experimentId
           << YAML::Key << "last_update_time" << YAML::Value << created << YAML::Key
           << "lifecycle_stage" << YAML::Value << "active" << YAML::Key << "name" << YAML::Value
           << name << YAML::EndMap;
      writeYaml(experimentFolder / "meta.yaml", meta);
      ++summary.experiments;

      runs.reset();
      runs.bind(1, id);
      while (runs.step()) {
        const std::string runId = runs.text(0);
        const fs::path runFolder = experimentFolder / runId;
        const bool deleted = !runs.isNull(6);
        YAML::Emitter run;
        run << YAML::BeginMap << YAML::Key << "artifact_uri" << YAML::Value
            << fileUri(final / experimentId / runId / "artifacts");
        if (deleted) run << YAML::Key << "deleted_time" << YAML::Value << runs.int64(6);
        run << YAML::Key << "end_time" << YAML::Value;
        if (runs.isNull(4)) {
          run << YAML::Null;
        } else {
          run << runs.int64(4);
        }
        run << YAML::Key << "entry_point_name" << YAML::Value << YAML::SingleQuoted << ""
            << YAML::Key << "experiment_id" << YAML::Value << YAML::DoubleQuoted << experimentId
            << YAML::Key << "lifecycle_stage" << YAML::Value << (deleted ? "deleted" : "active")
            << YAML::Key << "run_id" << YAML::Value << runId << YAML::Key << "run_name"
            << YAML::Value << runs.text(1) << YAML::Key << "run_uuid" << YAML::Value << runId
            << YAML::Key << "source_name" << YAML::Value << YAML::SingleQuoted << "" << YAML::Key
            << "source_type" << YAML::Value << 4 << YAML::Key << "source_version" << YAML::Value
            << YAML::SingleQuoted << "" << YAML::Key << "start_time" << YAML::Value
            << runs.int64(3) << YAML::Key << "status" << YAML::Value
            << mlflowStatusNumber(runs.text(2)) << YAML::Key << "tags" << YAML::Value
            << YAML::Flow << YAML::BeginSeq << YAML::EndSeq << YAML::Key << "user_id"
            << YAML::Value << "geih" << YAML::EndMap;
        writeYaml(runFolder / "meta.yaml", run);
        fs::create_directories(runFolder / "metrics");
        fs::create_directories(runFolder / "params");
        fs::create_directories(runFolder / "tags");
        fs::create_directories(runFolder / "artifacts");
        ++summary.runs;

        params.reset();
        params.bind(1, runId);
        while (params.step()) {
          writeText(runFolder / "params" / params.text(0), params.text(1));
          ++summary.params;
        }
        std::map<std::string, std::string> runTags;
        tags.reset();
        tags.bind(1, runId);
        while (tags.step()) runTags[tags.text(0)] = tags.text(1);
        runTags["mlflow.runName"] = runs.text(1);
        if (!runs.text(5).empty()) runTags["mlflow.note.content"] = runs.text(5);
        if (!runs.text(7).empty()) runTags["mlflow.parentRunId"] = runs.text(7);
        for (const auto& [key, value] : runTags) {
          writeText(runFolder / "tags" / key, value);
          ++summary.tags;
        }
        metrics.reset();
        metrics.bind(1, runId);
        std::map<std::string, std::string> lines;
        while (metrics.step()) {
          char value[64];
          std::snprintf(value, sizeof value, "%.17g", metrics.real(1));
          lines[metrics.text(0)] += std::to_string(metrics.int64(3)) + " " + value + " " +
                                    std::to_string(metrics.int64(2)) + "\n";
          ++summary.metricPoints;
        }
        for (const auto& [key, text] : lines) writeText(runFolder / "metrics" / key, text);
        artifacts.reset();
        artifacts.bind(1, runId);
        while (artifacts.step()) {
          const fs::path target = runFolder / "artifacts" / artifacts.text(0);
          fs::create_directories(target.parent_path());
          fs::copy_file(workspace.artifactFile(artifacts.text(1)), target,
                        fs::copy_options::overwrite_existing);
          ++summary.artifacts;
        }
      }
    }

    // The registry.
    Statement models = db.prepare(
        "SELECT id, name, description, created_ms, updated_ms FROM registered_models ORDER BY name");
    Statement versions = db.prepare(
        "SELECT v.version, v.run_id, v.artifact_path, v.stage, v.description, v.created_ms, "
        "v.updated_ms, r.experiment_id FROM model_versions v JOIN runs r ON r.id = v.run_id "
        "WHERE v.model_id = ? ORDER BY v.version");
    Statement aliases = db.prepare("SELECT alias, version FROM model_aliases WHERE model_id = ?");
    while (models.step()) {
      const std::string name = models.text(1);
      const fs::path modelFolder = staging / "models" / name;
      YAML::Emitter meta;
      meta << YAML::BeginMap << YAML::Key << "creation_timestamp" << YAML::Value << models.int64(3)
           << YAML::Key << "description" << YAML::Value << YAML::SingleQuoted << models.text(2)
           << YAML::Key << "last_updated_timestamp" << YAML::Value << models.int64(4) << YAML::Key
           << "name" << YAML::Value << name << YAML::EndMap;
      writeYaml(modelFolder / "meta.yaml", meta);
      ++summary.models;
      versions.reset();
      versions.bind(1, models.int64(0));
      while (versions.step()) {
        const std::string number = std::to_string(versions.int64(0));
        const std::string runId = versions.text(1);
        YAML::Emitter version;
        version << YAML::BeginMap << YAML::Key << "creation_timestamp" << YAML::Value
                << versions.int64(5) << YAML::Key << "current_stage" << YAML::Value
                << versions.text(3) << YAML::Key << "description" << YAML::Value
                << YAML::SingleQuoted << versions.text(4) << YAML::Key << "last_updated_timestamp"
                << YAML::Value << versions.int64(6) << YAML::Key << "name" << YAML::Value << name
                << YAML::Key << "run_id" << YAML::Value << runId << YAML::Key << "run_link"
                << YAML::Value << YAML::SingleQuoted << "" << YAML::Key << "source" << YAML::Value
                << fileUri(final / std::to_string(versions.int64(7)) / runId / "artifacts" /
                           versions.text(2))
                << YAML::Key << "status" << YAML::Value << "READY" << YAML::Key << "status_message"
                << YAML::Value << YAML::SingleQuoted << "" << YAML::Key << "user_id" << YAML::Value
                << YAML::SingleQuoted << "" << YAML::Key << "version" << YAML::Value
                << versions.int64(0) << YAML::EndMap;
        writeYaml(modelFolder / ("version-" + number) / "meta.yaml", version);
        ++summary.versions;
      }
      aliases.reset();
      aliases.bind(1, models.int64(0));
      while (aliases.step()) {
        writeText(modelFolder / "aliases" / aliases.text(0), std::to_string(aliases.int64(1)));
      }
    }
  } catch (const fs::filesystem_error& error) {
    fs::remove_all(staging, ec);
    throw IoError(std::string("cannot write the MLflow store: ") + error.what());
  } catch (...) {
    fs::remove_all(staging, ec);
    throw;
  }
  if (fs::exists(folder, ec)) fs::remove(folder, ec);  // empty, checked above
  fs::rename(staging, folder);
  progress.report(1.0, "exported");
  return summary;
}

}  // namespace geih::store
