// geih data import|list|show: register CSV files as dataset versions and look at them.
#include <iostream>

#include "app/cli/cli_context.h"
#include "app/cli/commands.h"
#include "core/common/error.h"
#include "core/pipeline/data_source.h"

namespace geih::cli {
namespace {

nlohmann::json datasetJson(const store::DatasetRecord& record, bool withProfile) {
  nlohmann::json json = {{"id", record.id},
                         {"name", record.name},
                         {"version", record.version},
                         {"sha256", record.sha256},
                         {"rows", record.rows},
                         {"source_path", record.sourcePath},
                         {"stored_path", record.storedPath},
                         {"created", formatTime(record.createdMs)},
                         {"parents", record.parentIds}};
  json["schema"] = nlohmann::json::parse(record.schemaJson.empty() ? "[]" : record.schemaJson);
  if (withProfile) {
    json["profile"] = nlohmann::json::parse(record.profileJson.empty() ? "[]" : record.profileJson);
  }
  return json;
}

std::string numberField(const nlohmann::json& object, const char* key) {
  if (!object.contains(key) || !object[key].is_number()) return "";
  return formatNumber(object[key].get<double>(), 4);
}

void printDataset(const store::DatasetRecord& record, OutputFormat format) {
  if (format == OutputFormat::Json) {
    printJson(datasetJson(record, true));
    return;
  }
  const nlohmann::json profile =
      nlohmann::json::parse(record.profileJson.empty() ? "[]" : record.profileJson);
  if (format == OutputFormat::Table) {
    std::cout << record.name << " version " << record.version << "  (" << record.rows << " rows, "
              << profile.size() << " columns)\n"
              << "sha256  " << record.sha256 << "\nstored  " << record.storedPath << "\nsource  "
              << record.sourcePath << "\n\n";
  }
  TextTable table{{"COLUMN", "TYPE", "COUNT", "MISSING", "DISTINCT", "MEAN", "STD", "MIN", "MEDIAN",
                   "MAX", "TOP"},
                  {}};
  for (const auto& column : profile) {
    std::string top;
    if (column.contains("top_values")) {
      for (const auto& entry : column["top_values"]) {
        if (top.size() > 40) break;
        top += (top.empty() ? "" : " ") + entry[0].get<std::string>() + ":" +
               std::to_string(entry[1].get<long long>());
      }
    }
    std::string median;
    if (column.contains("quantiles") && column["quantiles"].is_array() &&
        column["quantiles"].size() == 5 && column["quantiles"][2].is_number()) {
      median = formatNumber(column["quantiles"][2].get<double>());
    }
    table.rows.push_back({column.value("name", ""), column.value("type", ""),
                          std::to_string(column.value("count", 0LL)),
                          std::to_string(column.value("missing", 0LL)),
                          std::to_string(column.value("distinct", 0LL)), numberField(column, "mean"),
                          numberField(column, "std"), numberField(column, "min"), median,
                          numberField(column, "max"), top});
  }
  printTable(table, format);
}

}  // namespace

void addDataCommand(CLI::App& app) {
  CLI::App* data = app.add_subcommand("data", "Register and inspect dataset versions");
  data->require_subcommand(1);

  struct ImportOptions {
    CommonOptions common;
    std::string file;
    std::string name;
  };
  auto importOptions = std::make_shared<ImportOptions>();
  CLI::App* import = data->add_subcommand(
      "import", "Register a CSV file as a new dataset version (hash, schema, profile)");
  import->add_option("FILE", importOptions->file, "CSV file")->required();
  import->add_option("--name,-n", importOptions->name, "Dataset name (default: the file name)");
  addCommonOptions(*import, importOptions->common, true, "table|json");
  import->callback([importOptions] {
    store::Workspace workspace = importOptions->common.openWorkspace(false);
    auto progress = makeStderrProgress(importOptions->common.quiet);
    const pipeline::LoadedData loaded = pipeline::loadData(workspace, importOptions->file, *progress);
    progress->report(0.9, "registering");
    const store::DatasetRecord record =
        pipeline::registerLoaded(workspace, loaded, importOptions->name);
    progress.reset();
    printWarnings(loaded.warnings);
    if (importOptions->common.outputFormat() == OutputFormat::Json) {
      nlohmann::json json = datasetJson(record, false);
      json["warnings"] = loaded.warnings.size();
      printJson(json);
    } else {
      std::cout << "Registered " << record.name << " version " << record.version << ": "
                << record.rows << " rows, sha256 " << record.sha256.substr(0, 12) << "\n";
    }
  });

  auto listOptions = std::make_shared<CommonOptions>();
  CLI::App* list = data->add_subcommand("list", "List dataset versions, newest first");
  addCommonOptions(*list, *listOptions, true);
  list->callback([listOptions] {
    const store::Workspace workspace = listOptions->openWorkspace(true);
    const std::vector<store::DatasetRecord> records = workspace.listDatasets();
    if (listOptions->outputFormat() == OutputFormat::Json) {
      nlohmann::json json = nlohmann::json::array();
      for (const auto& record : records) json.push_back(datasetJson(record, false));
      printJson(json);
      return;
    }
    TextTable table{{"ID", "NAME", "VERSION", "ROWS", "COLUMNS", "SHA256", "CREATED"}, {}};
    for (const auto& record : records) {
      const auto schema = nlohmann::json::parse(record.schemaJson.empty() ? "[]" : record.schemaJson);
      table.rows.push_back({std::to_string(record.id), record.name, std::to_string(record.version),
                            std::to_string(record.rows), std::to_string(schema.size()),
                            record.sha256.substr(0, 12), formatTime(record.createdMs)});
    }
    printTable(table, listOptions->outputFormat());
  });

  struct ShowOptions {
    CommonOptions common;
    std::string reference;
  };
  auto showOptions = std::make_shared<ShowOptions>();
  CLI::App* show = data->add_subcommand("show", "Show a dataset version and its column profile");
  show->add_option("DATASET", showOptions->reference, "NAME, NAME@VERSION or id")->required();
  addCommonOptions(*show, showOptions->common, true);
  show->callback([showOptions] {
    const store::Workspace workspace = showOptions->common.openWorkspace(true);
    printDataset(workspace.dataset(showOptions->reference), showOptions->common.outputFormat());
  });
}

}  // namespace geih::cli
