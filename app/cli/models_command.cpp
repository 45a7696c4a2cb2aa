// geih models ...: the model registry on the command line (core/store/registry.h).
// A promotion refused by the gates exits 3 (main.cpp) after listing the failed rules.
#include <iostream>
#include <map>

#include "app/cli/cli_context.h"
#include "app/cli/commands.h"
#include "core/common/atomic_file.h"
#include "core/common/time_util.h"
#include "core/store/model_bundle.h"
#include "core/store/monitoring_alerts.h"
#include "core/store/registry.h"

namespace geih::cli {
namespace {

std::string join(const std::vector<std::string>& items, const std::string& separator) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

nlohmann::json versionJson(const store::ModelVersion& version) {
  return {{"name", version.model},
          {"version", version.version},
          {"stage", store::stageName(version.stage)},
          {"aliases", version.aliases},
          {"run_id", version.runId},
          {"artifact", version.artifactPath},
          {"model_sha256", version.modelSha256},
          {"description", version.description},
          {"created", isoUtc(version.createdMs)},
          {"updated", isoUtc(version.updatedMs)}};
}

nlohmann::json gatesJson(const std::vector<store::GateResult>& gates) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& gate : gates) {
    out.push_back({{"rule", gate.rule}, {"passed", gate.passed}, {"detail", gate.detail}});
  }
  return out;
}

void printGates(const std::vector<store::GateResult>& gates) {
  for (const auto& gate : gates) {
    std::cout << "  " << (gate.passed ? "PASS " : "FAIL ") << gate.rule << "  (" << gate.detail
              << ")\n";
  }
}

int parseVersion(const std::string& text) {
  try {
    std::size_t used = 0;
    const int version = std::stoi(text, &used);
    if (used == text.size() && version > 0) return version;
  } catch (const std::exception&) {
  }
  throw InputError("'" + text + "' is not a version number (1, 2, ...)");
}

// Open monitoring alerts per (model, version): a version with any needs retraining.
using AlertCounts = std::map<std::pair<std::string, int>, int>;
AlertCounts openAlertCounts(store::Workspace& workspace) {
  AlertCounts counts;
  for (const store::Alert& alert : store::MonitoringAlerts(workspace).openAlerts()) {
    counts[{alert.modelName, alert.modelVersion}] += 1;
  }
  return counts;
}

int openAlerts(const AlertCounts& counts, const std::string& model, int version) {
  const auto it = counts.find({model, version});
  return it == counts.end() ? 0 : it->second;
}

std::string alertText(const AlertCounts& counts, const std::string& model, int version) {
  const int open = openAlerts(counts, model, version);
  return open ? "needs retraining (" + std::to_string(open) + ")" : "";
}

void printVersions(const std::vector<store::ModelVersion>& versions, const AlertCounts& alerts,
                   OutputFormat format) {
  TextTable table{{"model", "version", "stage", "aliases", "run", "created", "monitoring"}, {}};
  for (const auto& version : versions) {
    table.rows.push_back({version.model, std::to_string(version.version),
                          store::stageName(version.stage), join(version.aliases, ","),
                          version.runId.substr(0, 12), formatTime(version.createdMs),
                          alertText(alerts, version.model, version.version)});
  }
  printTable(table, format);
}

}  // namespace

void addModelsCommand(CLI::App& app) {
  CLI::App* models = app.add_subcommand("models", "The model registry: versions, stages, gates, audit");
  models->require_subcommand(1);

  // ---- list
  auto listOptions = std::make_shared<CommonOptions>();
  CLI::App* list = models->add_subcommand("list", "Registered models with their Production version");
  addCommonOptions(*list, *listOptions, true);
  list->callback([listOptions] {
    store::Workspace workspace = listOptions->openWorkspace(true);
    const auto all = store::Registry(workspace).listModels();
    const AlertCounts alerts = openAlertCounts(workspace);
    if (listOptions->outputFormat() == OutputFormat::Json) {
      nlohmann::json json = nlohmann::json::array();
      for (const auto& model : all) {
        nlohmann::json versions = nlohmann::json::array();
        for (const auto& version : model.versions) {
          versions.push_back(versionJson(version));
          versions.back()["open_alerts"] = openAlerts(alerts, model.name, version.version);
        }
        json.push_back({{"name", model.name}, {"versions", versions},
                        {"gates", nlohmann::json::parse(model.gatesJson)}});
      }
      printJson(json);
      return;
    }
    TextTable table{{"model", "versions", "production", "staging", "updated"}, {}};
    for (const auto& model : all) {
      std::string production = "-";
      std::string staging = "-";
      for (const auto& version : model.versions) {
        if (version.stage == store::Stage::Production) {
          production = std::to_string(version.version);
          const std::string flag = alertText(alerts, model.name, version.version);
          if (!flag.empty()) production += ", " + flag;
        }
        if (version.stage == store::Stage::Staging && staging == "-") {
          staging = std::to_string(version.version);
        }
      }
      table.rows.push_back({model.name, std::to_string(model.versions.size()), production, staging,
                            formatTime(model.updatedMs)});
    }
    printTable(table, listOptions->outputFormat());
  });

  // ---- show
  struct NameOptions {
    CommonOptions common;
    std::string name;
  };
  auto showOptions = std::make_shared<NameOptions>();
  CLI::App* show = models->add_subcommand("show", "Versions of one model (or one version: NAME@REF)");
  show->add_option("name", showOptions->name, "Model name, or a reference such as fire@production")
      ->required();
  addCommonOptions(*show, showOptions->common, true);
  show->callback([showOptions] {
    store::Workspace workspace = showOptions->common.openWorkspace(true);
    store::Registry registry(workspace);
    const std::string& name = showOptions->name;
    std::vector<store::ModelVersion> versions;
    if (name.find('@') != std::string::npos || name.rfind("models:/", 0) == 0) {
      versions.push_back(registry.resolve(name));
    } else {
      versions = registry.model(name).versions;
    }
    const AlertCounts alerts = openAlertCounts(workspace);
    if (showOptions->common.outputFormat() == OutputFormat::Json) {
      nlohmann::json json = nlohmann::json::array();
      for (const auto& version : versions) {
        json.push_back(versionJson(version));
        json.back()["open_alerts"] = openAlerts(alerts, version.model, version.version);
      }
      printJson(json);
      return;
    }
    printVersions(versions, alerts, showOptions->common.outputFormat());
  });

  // ---- register
  struct RegisterOptions {
    CommonOptions common;
    std::string run;
    std::string name;
    std::string artifact = "model.json";
    std::string description;
  };
  auto registerOptions = std::make_shared<RegisterOptions>();
  CLI::App* reg = models->add_subcommand("register", "Register a finished run's model as a new version");
  reg->add_option("run", registerOptions->run, "Run id (or a unique prefix of 6+ characters)")
      ->required();
  reg->add_option("--name,-n", registerOptions->name, "Registered model name")->required();
  reg->add_option("--artifact", registerOptions->artifact, "Model artifact of the run");
  reg->add_option("--description", registerOptions->description, "Free text");
  addCommonOptions(*reg, registerOptions->common, true, "table|json");
  reg->callback([registerOptions] {
    store::Workspace workspace = registerOptions->common.openWorkspace(true);
    const store::ModelVersion version = store::Registry(workspace).registerVersion(
        registerOptions->name, registerOptions->run, registerOptions->artifact,
        registerOptions->description);
    if (registerOptions->common.outputFormat() == OutputFormat::Json) {
      printJson(versionJson(version));
    } else {
      std::cout << "Registered " << version.model << " version " << version.version << " from run "
                << version.runId << "\n";
    }
  });

  // ---- promote
  struct PromoteOptions {
    CommonOptions common;
    std::string name;
    std::string version;
    std::string stage = "production";
    std::string reason;
    bool force = false;
  };
  auto promoteOptions = std::make_shared<PromoteOptions>();
  CLI::App* promote = models->add_subcommand(
      "promote", "Move a version to a stage; to Production only if every gate passes");
  promote->add_option("name", promoteOptions->name, "Model name")->required();
  promote->add_option("version", promoteOptions->version, "Version number")->required();
  promote->add_option("--stage", promoteOptions->stage, "production|staging|none|archived");
  promote->add_option("--reason", promoteOptions->reason, "Why (kept in the audit log)");
  promote->add_flag("--force", promoteOptions->force,
                    "Promote even if gates fail (needs --reason; audited as forced)");
  addCommonOptions(*promote, promoteOptions->common, true, "table|json");
  promote->callback([promoteOptions] {
    store::Workspace workspace = promoteOptions->common.openWorkspace(true);
    store::Registry registry(workspace);
    const store::Stage stage = store::parseStage(promoteOptions->stage);
    const store::PromotionResult result =
        registry.transition(promoteOptions->name, parseVersion(promoteOptions->version), stage,
                             promoteOptions->reason, promoteOptions->force);
    if (promoteOptions->common.outputFormat() == OutputFormat::Json) {
      nlohmann::json json = versionJson(result.version);
      json["gates"] = gatesJson(result.gates);
      json["forced"] = result.forced;
      json["archived_version"] =
          result.archivedVersion ? nlohmann::json(*result.archivedVersion) : nlohmann::json();
      printJson(json);
      return;
    }
    std::cout << result.version.model << " version " << result.version.version << " is now "
              << store::stageName(result.version.stage) << (result.forced ? " (forced)" : "")
              << "\n";
    if (result.archivedVersion) {
      std::cout << "Version " << *result.archivedVersion << " archived (rollback restores it)\n";
    }
    printGates(result.gates);
  });

  // ---- gates
  struct GatesOptions {
    CommonOptions common;
    std::string name;
    std::string setFile;
    std::string check;
  };
  auto gatesOptions = std::make_shared<GatesOptions>();
  CLI::App* gates = models->add_subcommand("gates", "Show, set or check a model's promotion gates");
  gates->add_option("name", gatesOptions->name, "Model name")->required();
  gates->add_option("--set", gatesOptions->setFile, "JSON file with {\"rules\": [...]}");
  gates->add_option("--check", gatesOptions->check, "Evaluate every rule for this version");
  addCommonOptions(*gates, gatesOptions->common, true, "table|json");
  gates->callback([gatesOptions] {
    store::Workspace workspace = gatesOptions->common.openWorkspace(true);
    store::Registry registry(workspace);
    if (!gatesOptions->setFile.empty()) {
      registry.setGates(gatesOptions->name, readFile(gatesOptions->setFile));
    }
    if (!gatesOptions->check.empty()) {
      const auto results =
          registry.evaluateGates(gatesOptions->name, parseVersion(gatesOptions->check));
      if (gatesOptions->common.outputFormat() == OutputFormat::Json) {
        printJson(gatesJson(results));
      } else {
        printGates(results);
      }
      return;
    }
    const nlohmann::json rules = nlohmann::json::parse(registry.model(gatesOptions->name).gatesJson);
    if (gatesOptions->common.outputFormat() == OutputFormat::Json) {
      printJson(rules);
    } else {
      std::cout << rules.dump(2) << "\n";
    }
  });

  // ---- rollback
  struct RollbackOptions {
    CommonOptions common;
    std::string name;
    std::string reason;
  };
  auto rollbackOptions = std::make_shared<RollbackOptions>();
  CLI::App* rollback = models->add_subcommand(
      "rollback", "Restore the Production version the current one replaced");
  rollback->add_option("name", rollbackOptions->name, "Model name")->required();
  rollback->add_option("--reason", rollbackOptions->reason, "Why (kept in the audit log)");
  addCommonOptions(*rollback, rollbackOptions->common, true, "table|json");
  rollback->callback([rollbackOptions] {
    store::Workspace workspace = rollbackOptions->common.openWorkspace(true);
    const auto result =
        store::Registry(workspace).rollback(rollbackOptions->name, rollbackOptions->reason);
    if (rollbackOptions->common.outputFormat() == OutputFormat::Json) {
      nlohmann::json json = versionJson(result.version);
      json["archived_version"] = *result.archivedVersion;
      printJson(json);
      return;
    }
    std::cout << result.version.model << " version " << result.version.version
              << " is Production again; version " << *result.archivedVersion << " archived\n";
  });

  // ---- archive
  struct VersionOptions {
    CommonOptions common;
    std::string name;
    std::string version;
    std::string reason;
  };
  auto archiveOptions = std::make_shared<VersionOptions>();
  CLI::App* archive = models->add_subcommand("archive", "Move a version to Archived");
  archive->add_option("name", archiveOptions->name, "Model name")->required();
  archive->add_option("version", archiveOptions->version, "Version number")->required();
  archive->add_option("--reason", archiveOptions->reason, "Why (kept in the audit log)");
  addCommonOptions(*archive, archiveOptions->common, false);
  archive->callback([archiveOptions] {
    store::Workspace workspace = archiveOptions->common.openWorkspace(true);
    const auto result = store::Registry(workspace).transition(
        archiveOptions->name, parseVersion(archiveOptions->version), store::Stage::Archived,
        archiveOptions->reason);
    std::cout << result.version.model << " version " << result.version.version << " archived\n";
  });

  // ---- alias
  struct AliasOptions {
    CommonOptions common;
    std::string name;
    std::string version;
    std::string alias;
    bool remove = false;
  };
  auto aliasOptions = std::make_shared<AliasOptions>();
  CLI::App* alias = models->add_subcommand(
      "alias", "Point an alias (champion, challenger, ...) at a version, or --remove it");
  alias->add_option("name", aliasOptions->name, "Model name")->required();
  alias->add_option("version", aliasOptions->version, "Version number (ignored with --remove)")
      ->required();
  alias->add_option("alias", aliasOptions->alias, "Alias name")->required();
  alias->add_flag("--remove", aliasOptions->remove, "Remove the alias");
  addCommonOptions(*alias, aliasOptions->common, false);
  alias->callback([aliasOptions] {
    store::Workspace workspace = aliasOptions->common.openWorkspace(true);
    store::Registry registry(workspace);
    if (aliasOptions->remove) {
      registry.removeAlias(aliasOptions->name, aliasOptions->alias);
      std::cout << "Removed alias " << aliasOptions->alias << "\n";
      return;
    }
    const int version = parseVersion(aliasOptions->version);
    registry.setAlias(aliasOptions->name, version, aliasOptions->alias);
    std::cout << aliasOptions->name << "@" << aliasOptions->alias << " -> version " << version
              << "\n";
  });

  // ---- audit
  struct AuditOptions {
    CommonOptions common;
    std::string name;
    std::size_t limit = 0;
  };
  auto auditOptions = std::make_shared<AuditOptions>();
  CLI::App* audit = models->add_subcommand("audit", "Every registry change, newest first");
  audit->add_option("name", auditOptions->name, "Only this model");
  audit->add_option("--limit", auditOptions->limit, "At most this many entries (0 = all)");
  addCommonOptions(*audit, auditOptions->common, true);
  audit->callback([auditOptions] {
    store::Workspace workspace = auditOptions->common.openWorkspace(true);
    const auto entries = store::Registry(workspace).audit(auditOptions->name, auditOptions->limit);
    if (auditOptions->common.outputFormat() == OutputFormat::Json) {
      nlohmann::json json = nlohmann::json::array();
      for (const auto& entry : entries) {
        json.push_back({{"id", entry.id},
                        {"time", isoUtc(entry.timeMs)},
                        {"model", entry.model},
                        {"version", entry.version ? nlohmann::json(*entry.version) : nlohmann::json()},
                        {"action", entry.action},
                        {"from", entry.fromStage},
                        {"to", entry.toStage},
                        {"user", entry.user},
                        {"reason", entry.reason},
                        {"forced", entry.forced},
                        {"detail", nlohmann::json::parse(entry.detailJson, nullptr, false)}});
      }
      printJson(json);
      return;
    }
    TextTable table{{"time", "model", "version", "action", "from", "to", "user", "forced", "reason"}, {}};
    for (const auto& entry : entries) {
      table.rows.push_back({formatTime(entry.timeMs), entry.model,
                            entry.version ? std::to_string(*entry.version) : "-", entry.action,
                            entry.fromStage, entry.toStage, entry.user, entry.forced ? "yes" : "",
                            entry.reason});
    }
    printTable(table, auditOptions->common.outputFormat());
  });

  // ---- export
  struct ExportOptions {
    CommonOptions common;
    std::string reference;
    std::string output;
  };
  auto exportOptions = std::make_shared<ExportOptions>();
  CLI::App* exportCommand = models->add_subcommand(
      "export", "Write a deployable bundle: model.json, model_info.json, model card (md, html)");
  exportCommand->add_option("reference", exportOptions->reference,
                            "NAME@production, NAME@3, NAME@champion, ...")
      ->required();
  exportCommand->add_option("--output,-o", exportOptions->output, "Bundle folder (must not exist)")
      ->required();
  addCommonOptions(*exportCommand, exportOptions->common, true, "table|json");
  exportCommand->callback([exportOptions] {
    store::Workspace workspace = exportOptions->common.openWorkspace(true);
    const auto bundle =
        store::exportModelBundle(workspace, exportOptions->reference, exportOptions->output);
    if (exportOptions->common.outputFormat() == OutputFormat::Json) {
      printJson({{"folder", bundle.folder.string()}, {"info", bundle.info}});
    } else {
      std::cout << "Wrote " << bundle.folder.string() << " (model " << bundle.info["name"].get<std::string>()
                << " version " << bundle.info["version"] << ", sha256 " << bundle.modelSha256 << ")\n";
    }
  });
}

}  // namespace geih::cli
