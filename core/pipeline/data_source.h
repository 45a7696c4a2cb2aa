// Resolves a data argument to a loaded table: a CSV file path, or "dataset:NAME[@VERSION]" naming a
// dataset already registered in the workspace. Missing files and unknown datasets are InputError /
// NotFound naming the argument.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/common/progress.h"
#include "core/store/workspace.h"
#include "core/table/csv_reader.h"

namespace geih::pipeline {

struct LoadedData {
  std::string argument;            // as given
  std::filesystem::path file;      // the CSV actually read
  std::string suggestedName;       // file stem, or the dataset's name
  std::optional<store::DatasetRecord> dataset;  // set when it came from the workspace
  table::Table table;
  std::vector<table::Diagnostic> warnings;
};

LoadedData loadData(const store::Workspace& workspace, const std::string& argument,
                    Progress& progress = Progress::none());

// Registers the loaded file as a dataset version (no-op returning the record when it came from the
// workspace already). `name` empty = suggestedName.
store::DatasetRecord registerLoaded(store::Workspace& workspace, const LoadedData& data,
                                    const std::string& name);

}  // namespace geih::pipeline
