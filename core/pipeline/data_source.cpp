#include "core/pipeline/data_source.h"

#include "core/common/error.h"
#include "core/table/profile.h"

namespace geih::pipeline {

namespace {
constexpr std::string_view kDatasetPrefix = "dataset:";
}

LoadedData loadData(const store::Workspace& workspace, const std::string& argument,
                    Progress& progress) {
  LoadedData data;
  data.argument = argument;
  if (argument.rfind(kDatasetPrefix, 0) == 0) {
    store::DatasetRecord record = workspace.dataset(argument.substr(kDatasetPrefix.size()));
    data.file = workspace.root() / record.storedPath;
    data.suggestedName = record.name;
    data.dataset = record;
  } else {
    data.file = argument;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(data.file, ec)) {
      throw InputError("no such file '" + argument + "'");
    }
    data.suggestedName = data.file.stem().string();
  }
  table::CsvReadResult read = table::readCsv(data.file, {}, progress);
  data.table = std::move(read.table);
  data.warnings = std::move(read.warnings);
  if (data.table.rowCount() == 0) {
    throw InputError("'" + argument + "' has a header but no data rows");
  }
  return data;
}

store::DatasetRecord registerLoaded(store::Workspace& workspace, const LoadedData& data,
                                    const std::string& name) {
  if (data.dataset) return *data.dataset;
  nlohmann::json profiles = nlohmann::json::array();
  for (const table::ColumnProfile& profile : table::profileTable(data.table)) {
    profiles.push_back(table::toJson(profile));
  }
  return workspace.registerDataset(name.empty() ? data.suggestedName : name, data.file,
                                   table::schemaJson(data.table).dump(), profiles.dump(),
                                   std::int64_t(data.table.rowCount()));
}

}  // namespace geih::pipeline
