// geih runs delete|restore|purge|rename|note|tag|compare: changing and comparing tracked runs.
#include <cmath>
#include <iostream>
#include <set>

#include "app/cli/cli_context.h"
#include "app/cli/commands.h"
#include "core/common/error.h"

namespace geih::cli {
namespace {

struct RunsOptions {
  CommonOptions common;
  std::vector<std::string> runs;
};

// delete / restore / purge: one action over several runs, each resolved first so a typo changes
// nothing.
void addTrashCommand(CLI::App* runs, const std::string& name, const std::string& description,
                     std::vector<std::string> (store::Workspace::*action)(const std::string&),
                     const std::string& verb) {
  auto options = std::make_shared<RunsOptions>();
  CLI::App* command = runs->add_subcommand(name, description);
  command->add_option("RUN", options->runs, "Run ids (or unique prefixes)")->required();
  addCommonOptions(*command, options->common, false);
  command->callback([options, action, verb] {
    store::Workspace workspace = options->common.openWorkspace(true);
    std::vector<std::string> ids;
    for (const std::string& run : options->runs) ids.push_back(workspace.resolveRunId(run));
    for (const std::string& id : ids) {
      const std::vector<std::string> changed = (workspace.*action)(id);
      std::cout << verb << " " << id.substr(0, 8);
      if (changed.size() > 1) std::cout << " and " << changed.size() - 1 << " child run(s)";
      std::cout << "\n";
    }
  });
}

}  // namespace

void addRunLifecycleCommands(CLI::App* runs) {
  addTrashCommand(runs, "delete", "Move runs (and their child runs) to the trash",
                  &store::Workspace::deleteRun, "Deleted");
  addTrashCommand(runs, "restore", "Bring runs back from the trash", &store::Workspace::restoreRun,
                  "Restored");
  addTrashCommand(runs, "purge",
                  "Remove trashed runs for good, with the artifacts no other run holds",
                  &store::Workspace::purgeRun, "Purged");

  struct TextOptions {
    CommonOptions common;
    std::string run;
    std::string text;
  };
  auto renameOptions = std::make_shared<TextOptions>();
  CLI::App* rename = runs->add_subcommand("rename", "Give a run a new name");
  rename->add_option("RUN", renameOptions->run, "Run id or prefix")->required();
  rename->add_option("NAME", renameOptions->text, "The new name")->required();
  addCommonOptions(*rename, renameOptions->common, false);
  rename->callback([renameOptions] {
    store::Workspace workspace = renameOptions->common.openWorkspace(true);
    workspace.renameRun(workspace.resolveRunId(renameOptions->run), renameOptions->text);
  });

  auto noteOptions = std::make_shared<TextOptions>();
  CLI::App* note = runs->add_subcommand("note", "Set a run's note (free text)");
  note->add_option("RUN", noteOptions->run, "Run id or prefix")->required();
  note->add_option("TEXT", noteOptions->text, "The note (\"\" clears it)")->required();
  addCommonOptions(*note, noteOptions->common, false);
  note->callback([noteOptions] {
    store::Workspace workspace = noteOptions->common.openWorkspace(true);
    workspace.setRunNote(workspace.resolveRunId(noteOptions->run), noteOptions->text);
  });

  struct TagOptions {
    CommonOptions common;
    std::string run;
    std::vector<std::string> tags;
    std::vector<std::string> remove;
  };
  auto tagOptions = std::make_shared<TagOptions>();
  CLI::App* tag = runs->add_subcommand("tag", "Set tags KEY=VALUE on a run, or --remove KEY");
  tag->add_option("RUN", tagOptions->run, "Run id or prefix")->required();
  tag->add_option("TAGS", tagOptions->tags, "KEY=VALUE ...");
  tag->add_option("--remove", tagOptions->remove, "Tags to remove");
  addCommonOptions(*tag, tagOptions->common, false);
  tag->callback([tagOptions] {
    store::Workspace workspace = tagOptions->common.openWorkspace(true);
    const std::string id = workspace.resolveRunId(tagOptions->run);
    std::vector<std::pair<std::string, std::string>> pairs;
    for (const std::string& item : tagOptions->tags) {
      const auto equals = item.find('=');
      if (equals == std::string::npos || equals == 0) {
        throw InputError("tag '" + item + "': expected KEY=VALUE");
      }
      pairs.emplace_back(item.substr(0, equals), item.substr(equals + 1));
    }
    for (const auto& [key, value] : pairs) workspace.setTag(id, key, value);
    for (const std::string& key : tagOptions->remove) workspace.removeTag(id, key);
  });

  auto compareOptions = std::make_shared<RunsOptions>();
  CLI::App* compare = runs->add_subcommand(
      "compare", "Runs side by side: params (differences marked *), metrics (best marked +), data");
  compare->add_option("RUN", compareOptions->runs, "Two or more run ids or prefixes")->required();
  addCommonOptions(*compare, compareOptions->common, true);
  compare->callback([compareOptions] {
    if (compareOptions->runs.size() < 2) throw InputError("compare needs two runs or more");
    store::Workspace workspace = compareOptions->common.openWorkspace(true);
    std::vector<store::RunDetail> details;
    for (const std::string& run : compareOptions->runs) {
      details.push_back(workspace.runDetail(workspace.resolveRunId(run)));
    }
    std::set<std::string> paramKeys;
    std::set<std::string> metricKeys;
    for (const auto& detail : details) {
      for (const auto& [key, value] : detail.summary.params) paramKeys.insert(key);
      for (const auto& [key, value] : detail.summary.metrics) metricKeys.insert(key);
    }
    const auto lowerIsBetter = [](const std::string& key) {
      for (const std::string suffix : {"loss", "brier", "rmse", "mae", "mape"}) {
        if (key.size() >= suffix.size() && key.compare(key.size() - suffix.size(), suffix.size(), suffix) == 0) {
          return true;
        }
      }
      return false;
    };
    const auto show = [](double value) {
      return std::abs(value) >= 100 && value == std::floor(value) ? std::to_string(std::llround(value))
                                                                  : formatNumber(value);
    };
    if (compareOptions->common.outputFormat() == OutputFormat::Json) {
      nlohmann::json json = {{"runs", nlohmann::json::array()},
                             {"params_differ", nlohmann::json::array()}};
      for (const auto& detail : details) {
        nlohmann::json run = {{"run_id", detail.summary.id},
                              {"name", detail.summary.name},
                              {"params", detail.summary.params},
                              {"metrics", nlohmann::json::object()},
                              {"datasets", nlohmann::json::array()}};
        for (const auto& [key, value] : detail.summary.metrics) run["metrics"][key] = value;
        for (const auto& input : detail.datasets) {
          run["datasets"].push_back({{"role", input.role}, {"sha256", input.dataset.sha256}});
        }
        json["runs"].push_back(run);
      }
      for (const std::string& key : paramKeys) {
        std::set<std::string> values;
        for (const auto& detail : details) {
          auto it = detail.summary.params.find(key);
          values.insert(it == detail.summary.params.end() ? "\x01missing" : it->second);
        }
        if (values.size() > 1) json["params_differ"].push_back(key);
      }
      printJson(json);
      return;
    }
    TextTable table{{""}, {}};
    for (const auto& detail : details) table.headers.push_back(detail.summary.id.substr(0, 8));
    table.rows.push_back({"name"});
    for (const auto& detail : details) table.rows.back().push_back(detail.summary.name);
    for (const std::string& key : paramKeys) {
      std::vector<std::string> row = {"params." + key};
      std::set<std::string> values;
      for (const auto& detail : details) {
        auto it = detail.summary.params.find(key);
        row.push_back(it == detail.summary.params.end() ? "-" : it->second);
        values.insert(row.back());
      }
      if (values.size() > 1) row[0] = "* " + row[0];
      table.rows.push_back(std::move(row));
    }
    for (const std::string& key : metricKeys) {
      std::vector<std::string> row = {"metrics." + key};
      std::optional<double> best;
      std::set<double> values;
      for (const auto& detail : details) {
        auto it = detail.summary.metrics.find(key);
        if (it == detail.summary.metrics.end()) continue;
        values.insert(it->second);
        if (!best || (lowerIsBetter(key) ? it->second < *best : it->second > *best)) best = it->second;
      }
      const bool differ = values.size() > 1;
      for (const auto& detail : details) {
        auto it = detail.summary.metrics.find(key);
        if (it == detail.summary.metrics.end()) {
          row.push_back("-");
        } else {
          row.push_back(show(it->second) + (differ && it->second == *best ? " +" : ""));
        }
      }
      table.rows.push_back(std::move(row));
    }
    for (const std::string role : {"train", "test", "data"}) {
      std::vector<std::string> row = {"dataset." + role};
      bool any = false;
      for (const auto& detail : details) {
        std::string sha = "-";
        for (const auto& input : detail.datasets) {
          if (input.role == role) sha = input.dataset.sha256.substr(0, 12);
        }
        any = any || sha != "-";
        row.push_back(sha);
      }
      if (any) table.rows.push_back(std::move(row));
    }
    printTable(table, compareOptions->common.outputFormat());
  });
}

}  // namespace geih::cli
