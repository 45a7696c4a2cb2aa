// geih runs delete|restore|purge|rename|note|tag|compare: changing and comparing tracked runs.
#include <algorithm>
#include <cmath>
#include <iostream>
#include <set>

#include "app/cli/cli_context.h"
#include "app/cli/commands.h"
#include "core/common/error.h"
#include "core/store/run_comparison.h"

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
    const store::RunComparison comparison = store::compareRuns(workspace, compareOptions->runs);
    const auto show = [](double value) {
      return std::abs(value) >= 100 && value == std::floor(value) ? std::to_string(std::llround(value))
                                                                  : formatNumber(value);
    };
    using Kind = store::ComparisonRow::Kind;
    if (compareOptions->common.outputFormat() == OutputFormat::Json) {
      nlohmann::json json = {{"runs", nlohmann::json::array()}, {"params_differ", nlohmann::json::array()}};
      for (std::size_t r = 0; r < comparison.runs.size(); ++r) {
        const store::RunSummary& run = comparison.runs[r];
        nlohmann::json entry = {{"run_id", run.id}, {"name", run.name}, {"params", run.params},
                                {"metrics", nlohmann::json::object()}, {"datasets", nlohmann::json::array()}};
        for (const auto& [key, value] : run.metrics) entry["metrics"][key] = value;
        for (const auto& row : comparison.rows) {
          if (row.kind != Kind::Dataset || !row.text[r]) continue;
          entry["datasets"].push_back({{"role", row.key}, {"sha256", row.text[r]->substr(row.text[r]->rfind(' ') + 1)}});
        }
        json["runs"].push_back(entry);
      }
      for (const auto& row : comparison.rows) {
        if (row.kind == Kind::Param && row.differs) json["params_differ"].push_back(row.key);
      }
      printJson(json);
      return;
    }
    TextTable table{{""}, {}};
    for (const auto& run : comparison.runs) table.headers.push_back(run.id.substr(0, 8));
    table.rows.push_back({"name"});
    for (const auto& run : comparison.runs) table.rows.back().push_back(run.name);
    for (const auto& row : comparison.rows) {
      const char* prefix = row.kind == Kind::Param ? "params." : row.kind == Kind::Metric ? "metrics." : "dataset.";
      std::vector<std::string> cells = {std::string(row.kind == Kind::Param && row.differs ? "* " : "") + prefix + row.key};
      for (std::size_t r = 0; r < row.text.size(); ++r) {
        if (!row.text[r]) {
          cells.push_back("-");
        } else if (row.kind == Kind::Metric) {
          const bool best = std::find(row.best.begin(), row.best.end(), r) != row.best.end();
          cells.push_back(show(*row.number[r]) + (best ? " +" : ""));
        } else if (row.kind == Kind::Dataset) {
          cells.push_back(row.text[r]->substr(row.text[r]->rfind(' ') + 1).substr(0, 12));
        } else {
          cells.push_back(*row.text[r]);
        }
      }
      table.rows.push_back(std::move(cells));
    }
    printTable(table, compareOptions->common.outputFormat());
  });
}

}  // namespace geih::cli
