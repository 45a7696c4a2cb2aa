// geih runs list|show: the experiment tracking tables on the command line.
#include <iostream>

#include "app/cli/cli_context.h"
#include "app/cli/commands.h"
#include "core/common/time_util.h"

namespace geih::cli {
namespace {

nlohmann::json summaryJson(const store::RunSummary& run, const std::string& experimentName) {
  nlohmann::json json = {{"run_id", run.id},
                         {"experiment_id", run.experimentId},
                         {"experiment", experimentName},
                         {"name", run.name},
                         {"status", store::runStatusName(run.status)},
                         {"start_time", isoUtc(run.startMs)},
                         {"end_time", run.endMs ? nlohmann::json(isoUtc(*run.endMs)) : nlohmann::json()},
                         {"params", run.params},
                         {"metrics", nlohmann::json::object()},
                         {"tags", run.tags},
                         {"note", run.note},
                         {"parent_run_id", run.parentRunId},
                         {"lifecycle_stage", run.deletedMs ? "deleted" : "active"}};
  for (const auto& [key, value] : run.metrics) json["metrics"][key] = value;
  return json;
}

// Metrics shown as columns in the table and CSV forms, when any listed run has them.
const std::vector<std::string> kHeadlineMetrics = {"roc_auc", "average_precision", "f1", "log_loss"};

}  // namespace

void addRunsCommand(CLI::App& app) {
  CLI::App* runs = app.add_subcommand(
      "runs", "List, inspect, compare, rename, tag, delete and restore tracked runs");
  runs->require_subcommand(1);

  struct ListOptions {
    CommonOptions common;
    std::string experiment;
    std::size_t limit = 0;
    std::string filter;
    std::string orderBy;
    bool deleted = false;
    bool all = false;
  };
  auto listOptions = std::make_shared<ListOptions>();
  CLI::App* list = runs->add_subcommand("list", "List runs, newest first");
  list->add_option("--experiment,-e", listOptions->experiment, "Only this experiment");
  list->add_option("--limit", listOptions->limit, "At most this many runs (0 = all)");
  list->add_option("--filter", listOptions->filter,
                   "Only runs matching, e.g. \"metrics.roc_auc > 0.9 and params.model = 'rf'\" "
                   "(keys metrics./params./tags./attributes./datasets.; AND OR NOT ( ); "
                   "= != < <= > >= LIKE ILIKE IN)");
  list->add_option("--order-by", listOptions->orderBy,
                   "Sort keys, e.g. \"metrics.roc_auc DESC, params.C\" (missing values last)");
  list->add_flag("--deleted", listOptions->deleted, "Only the runs in the trash");
  list->add_flag("--all", listOptions->all, "Runs in the trash too");
  addCommonOptions(*list, listOptions->common, true);
  list->callback([listOptions] {
    store::Workspace workspace = listOptions->common.openWorkspace(true);
    std::map<std::int64_t, std::string> experimentNames;
    for (const auto& experiment : workspace.listExperiments()) {
      experimentNames[experiment.id] = experiment.name;
    }
    store::RunQuery query;
    query.limit = listOptions->limit;
    query.filter = listOptions->filter;
    query.orderBy = listOptions->orderBy;
    if (listOptions->deleted) query.lifecycle = store::RunLifecycle::Deleted;
    if (listOptions->all) query.lifecycle = store::RunLifecycle::All;
    if (!listOptions->experiment.empty()) {
      query.experimentId = workspace.experimentIdByName(listOptions->experiment, false);
    }
    const std::vector<store::RunSummary> found = workspace.listRuns(query);
    if (listOptions->common.outputFormat() == OutputFormat::Json) {
      nlohmann::json json = nlohmann::json::array();
      for (const auto& run : found) json.push_back(summaryJson(run, experimentNames[run.experimentId]));
      printJson(json);
      return;
    }
    std::vector<std::string> metrics;
    for (const std::string& key : kHeadlineMetrics) {
      for (const auto& run : found) {
        if (run.metrics.count(key)) {
          metrics.push_back(key);
          break;
        }
      }
    }
    const bool csv = listOptions->common.outputFormat() == OutputFormat::Csv;
    TextTable table{{csv ? "run_id" : "RUN", csv ? "experiment" : "EXPERIMENT", csv ? "name" : "NAME",
                     csv ? "status" : "STATUS", csv ? "start_time" : "STARTED"},
                    {}};
    for (const auto& key : metrics) table.headers.push_back(key);
    for (const auto& run : found) {
      std::vector<std::string> row = {csv ? run.id : run.id.substr(0, 8),
                                      experimentNames[run.experimentId], run.name,
                                      store::runStatusName(run.status),
                                      csv ? isoUtc(run.startMs) : formatTime(run.startMs)};
      for (const auto& key : metrics) {
        auto it = run.metrics.find(key);
        row.push_back(it == run.metrics.end() ? "" : (csv ? nlohmann::json(it->second).dump()
                                                          : formatNumber(it->second)));
      }
      table.rows.push_back(std::move(row));
    }
    printTable(table, listOptions->common.outputFormat());
  });

  addRunLifecycleCommands(runs);

  struct ShowOptions {
    CommonOptions common;
    std::string run;
  };
  auto showOptions = std::make_shared<ShowOptions>();
  CLI::App* show = runs->add_subcommand("show", "Show one run: params, metrics, tags, datasets, artifacts");
  show->add_option("RUN", showOptions->run, "Run id (or a unique prefix of 6+ characters)")->required();
  addCommonOptions(*show, showOptions->common, true, "table|json");
  show->callback([showOptions] {
    store::Workspace workspace = showOptions->common.openWorkspace(true);
    const store::RunDetail detail = workspace.runDetail(workspace.resolveRunId(showOptions->run));
    const store::RunSummary& run = detail.summary;
    const std::string experimentName = workspace.experiment(run.experimentId).name;
    if (showOptions->common.outputFormat() == OutputFormat::Json) {
      nlohmann::json json = summaryJson(run, experimentName);
      json["seed"] = detail.seed ? nlohmann::json(*detail.seed) : nlohmann::json();
      json["git_commit"] = detail.gitCommit;
      json["parent_run_id"] = detail.parentRunId;
      json["config_hash"] = detail.configHash;
      json["datasets"] = nlohmann::json::array();
      for (const auto& input : detail.datasets) {
        json["datasets"].push_back({{"role", input.role},
                                    {"name", input.dataset.name},
                                    {"version", input.dataset.version},
                                    {"sha256", input.dataset.sha256},
                                    {"rows", input.dataset.rows}});
      }
      json["artifacts"] = nlohmann::json::array();
      for (const auto& artifact : detail.artifacts) {
        json["artifacts"].push_back({{"path", artifact.path},
                                     {"sha256", artifact.sha256},
                                     {"size", artifact.size},
                                     {"media_type", artifact.mediaType}});
      }
      printJson(json);
      return;
    }
    std::cout << "Run " << run.id << "  " << run.name << "\n"
              << "experiment  " << experimentName << "\n"
              << "status      " << store::runStatusName(run.status) << "\n"
              << "started     " << formatTime(run.startMs) << "\n";
    if (run.endMs) std::cout << "ended       " << formatTime(*run.endMs) << "\n";
    if (detail.seed) std::cout << "seed        " << *detail.seed << "\n";
    if (!detail.gitCommit.empty()) std::cout << "git commit  " << detail.gitCommit << "\n";
    std::cout << "\n";
    TextTable params{{"PARAM", "VALUE"}, {}};
    for (const auto& [key, value] : run.params) params.rows.push_back({key, value});
    printTable(params, OutputFormat::Table);
    std::cout << "\n";
    TextTable metrics{{"METRIC", "VALUE"}, {}};
    for (const auto& [key, value] : run.metrics) metrics.rows.push_back({key, formatNumber(value, 6)});
    printTable(metrics, OutputFormat::Table);
    if (!detail.datasets.empty()) {
      std::cout << "\n";
      TextTable datasets{{"ROLE", "DATASET", "VERSION", "ROWS", "SHA256"}, {}};
      for (const auto& input : detail.datasets) {
        datasets.rows.push_back({input.role, input.dataset.name, std::to_string(input.dataset.version),
                                 std::to_string(input.dataset.rows), input.dataset.sha256.substr(0, 12)});
      }
      printTable(datasets, OutputFormat::Table);
    }
    if (!detail.artifacts.empty()) {
      std::cout << "\n";
      TextTable artifacts{{"ARTIFACT", "SIZE", "SHA256"}, {}};
      for (const auto& artifact : detail.artifacts) {
        artifacts.rows.push_back({artifact.path, std::to_string(artifact.size), artifact.sha256.substr(0, 12)});
      }
      printTable(artifacts, OutputFormat::Table);
    }
    if (!run.tags.empty()) {
      std::cout << "\n";
      TextTable tags{{"TAG", "VALUE"}, {}};
      for (const auto& [key, value] : run.tags) tags.rows.push_back({key, value});
      printTable(tags, OutputFormat::Table);
    }
  });
}

}  // namespace geih::cli
