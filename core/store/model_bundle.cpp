#include "core/store/model_bundle.h"

#include <random>
#include <sstream>

#include "core/common/atomic_file.h"
#include "core/common/error.h"
#include "core/common/sha256.h"
#include "core/common/time_util.h"
#include "core/store/registry.h"
#include "core/store/workspace.h"

namespace geih::store {

namespace {

namespace fs = std::filesystem;

std::string escapeHtml(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string number(double value) {
  std::ostringstream out;
  out.precision(6);
  out << value;
  return out.str();
}

nlohmann::json infoOf(Workspace& workspace, Registry& registry, const ModelVersion& version,
                      const std::string& modelSha) {
  const RunDetail run = workspace.runDetail(version.runId);
  const RegisteredModel model = registry.model(version.model);
  nlohmann::json datasets = nlohmann::json::array();
  for (const RunDataset& use : run.datasets) {
    datasets.push_back({{"role", use.role},
                        {"name", use.dataset.name},
                        {"version", use.dataset.version},
                        {"sha256", use.dataset.sha256},
                        {"rows", use.dataset.rows}});
  }
  nlohmann::json gates = nlohmann::json::array();
  for (const GateResult& gate : registry.evaluateGates(version.model, version.version)) {
    gates.push_back({{"rule", gate.rule}, {"passed", gate.passed}, {"detail", gate.detail}});
  }
  nlohmann::json metrics = nlohmann::json::object();
  for (const auto& [key, value] : run.summary.metrics) metrics[key] = value;
  return {{"name", version.model},
          {"version", version.version},
          {"stage", stageName(version.stage)},
          {"aliases", version.aliases},
          {"description", version.description},
          {"run_id", version.runId},
          {"run_name", run.summary.name},
          {"experiment_id", run.summary.experimentId},
          {"git_commit", run.gitCommit},
          {"seed", run.seed ? nlohmann::json(*run.seed) : nlohmann::json()},
          {"params", run.summary.params},
          {"metrics", metrics},
          {"datasets", datasets},
          {"gates", gates},
          {"model_file", "model.json"},
          {"model_sha256", modelSha},
          {"registered_at", isoUtc(version.createdMs)},
          {"exported_at", isoUtc(nowMillis())},
          {"exported_by", Registry::currentUser()}};
}

std::string markdownCard(const nlohmann::json& info) {
  std::ostringstream out;
  out << "# Model card: " << info["name"].get<std::string>() << " version " << info["version"]
      << "\n\n";
  out << "- Stage: " << info["stage"].get<std::string>() << "\n";
  if (!info["aliases"].empty()) {
    out << "- Aliases:";
    for (const auto& alias : info["aliases"]) out << " " << alias.get<std::string>();
    out << "\n";
  }
  out << "- Run: `" << info["run_id"].get<std::string>() << "` (" << info["run_name"].get<std::string>()
      << ")\n";
  out << "- Model file: model.json, SHA-256 `" << info["model_sha256"].get<std::string>() << "`\n";
  out << "- Registered: " << info["registered_at"].get<std::string>()
      << "; exported: " << info["exported_at"].get<std::string>() << " by "
      << info["exported_by"].get<std::string>() << "\n\n";
  out << "## Data lineage\n\n| role | dataset | version | rows | SHA-256 |\n|---|---|---:|---:|---|\n";
  for (const auto& d : info["datasets"]) {
    out << "| " << d["role"].get<std::string>() << " | " << d["name"].get<std::string>() << " | "
        << d["version"] << " | " << d["rows"] << " | `" << d["sha256"].get<std::string>() << "` |\n";
  }
  out << "\n## Parameters\n\n| name | value |\n|---|---|\n";
  for (const auto& [key, value] : info["params"].items()) {
    out << "| " << key << " | " << value.get<std::string>() << " |\n";
  }
  out << "\n## Metrics (test set)\n\n| metric | value |\n|---|---:|\n";
  for (const auto& [key, value] : info["metrics"].items()) {
    out << "| " << key << " | " << number(value.get<double>()) << " |\n";
  }
  out << "\n## Promotion gates\n\n";
  if (info["gates"].empty()) out << "No gates are set for this model.\n";
  for (const auto& gate : info["gates"]) {
    out << "- " << (gate["passed"].get<bool>() ? "PASS" : "FAIL") << " "
        << gate["rule"].get<std::string>() << " (" << gate["detail"].get<std::string>() << ")\n";
  }
  return out.str();
}

std::string htmlCard(const nlohmann::json& info) {
  std::ostringstream out;
  const std::string title =
      "Model card: " + info["name"].get<std::string>() + " version " + info["version"].dump();
  out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
      << escapeHtml(title)
      << "</title><style>body{font-family:sans-serif;max-width:60em;margin:2em auto;color:#222}"
         "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .6em;"
         "text-align:left}.pass{color:#1b7f3b}.fail{color:#c62828}code{font-size:.9em}"
         "</style></head><body>\n";
  out << "<h1>" << escapeHtml(title) << "</h1>\n<p>Stage <b>"
      << escapeHtml(info["stage"].get<std::string>()) << "</b>. Run <code>"
      << escapeHtml(info["run_id"].get<std::string>()) << "</code> ("
      << escapeHtml(info["run_name"].get<std::string>()) << "). model.json SHA-256 <code>"
      << escapeHtml(info["model_sha256"].get<std::string>()) << "</code>.</p>\n";
  out << "<h2>Data lineage</h2>\n<table><tr><th>role</th><th>dataset</th><th>version</th>"
         "<th>rows</th><th>SHA-256</th></tr>\n";
  for (const auto& d : info["datasets"]) {
    out << "<tr><td>" << escapeHtml(d["role"].get<std::string>()) << "</td><td>"
        << escapeHtml(d["name"].get<std::string>()) << "</td><td>" << d["version"] << "</td><td>"
        << d["rows"] << "</td><td><code>" << escapeHtml(d["sha256"].get<std::string>())
        << "</code></td></tr>\n";
  }
  out << "</table>\n<h2>Parameters</h2>\n<table>\n";
  for (const auto& [key, value] : info["params"].items()) {
    out << "<tr><td>" << escapeHtml(key) << "</td><td>" << escapeHtml(value.get<std::string>())
        << "</td></tr>\n";
  }
  out << "</table>\n<h2>Metrics (test set)</h2>\n<table>\n";
  for (const auto& [key, value] : info["metrics"].items()) {
    out << "<tr><td>" << escapeHtml(key) << "</td><td>" << number(value.get<double>())
        << "</td></tr>\n";
  }
  out << "</table>\n<h2>Promotion gates</h2>\n<ul>\n";
  if (info["gates"].empty()) out << "<li>No gates are set for this model.</li>\n";
  for (const auto& gate : info["gates"]) {
    const bool passed = gate["passed"].get<bool>();
    out << "<li class=\"" << (passed ? "pass" : "fail") << "\">" << (passed ? "PASS" : "FAIL")
        << " " << escapeHtml(gate["rule"].get<std::string>()) << " ("
        << escapeHtml(gate["detail"].get<std::string>()) << ")</li>\n";
  }
  out << "</ul>\n</body></html>\n";
  return out.str();
}

}  // namespace

BundleSummary exportModelBundle(Workspace& workspace, const std::string& reference,
                                const fs::path& folder) {
  Registry registry(workspace);
  const ModelVersion version = registry.resolve(reference);
  std::error_code ec;
  if (fs::exists(folder, ec) && !(fs::is_directory(folder, ec) && fs::is_empty(folder, ec))) {
    throw Conflict("'" + folder.string() + "' already exists and is not an empty folder; "
                   "choose another --output");
  }
  const std::string modelBytes = workspace.readArtifact(version.runId, version.artifactPath);
  const std::string sha = sha256Hex(modelBytes);
  if (sha != version.modelSha256) {
    throw Corrupt("the model artifact of '" + version.model + "' version " +
                  std::to_string(version.version) + " does not match its registered SHA-256");
  }
  const nlohmann::json info = infoOf(workspace, registry, version, sha);

  const fs::path parent = folder.parent_path().empty() ? fs::path(".") : folder.parent_path();
  fs::create_directories(parent, ec);
  std::random_device random;
  const fs::path staging =
      parent / (folder.filename().string() + ".tmp-" + std::to_string(random()));
  try {
    fs::create_directories(staging);
    writeFileAtomic(staging / "model.json", modelBytes);
    writeFileAtomic(staging / "model_info.json", info.dump(2) + "\n");
    writeFileAtomic(staging / "model_card.md", markdownCard(info));
    writeFileAtomic(staging / "model_card.html", htmlCard(info));
    if (fs::exists(folder, ec)) fs::remove(folder);  // an empty folder, checked above
    fs::rename(staging, folder);
  } catch (const fs::filesystem_error& error) {
    fs::remove_all(staging, ec);
    throw IoError("cannot write the bundle to '" + folder.string() + "': " + error.what());
  } catch (...) {
    fs::remove_all(staging, ec);
    throw;
  }
  return {folder, sha, info};
}

}  // namespace geih::store
