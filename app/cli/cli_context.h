// What every `geih` subcommand shares: the workspace option, the output format, tabular output
// in table / json / csv form, and progress on stderr.
#pragma once

#include <CLI/CLI.hpp>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/common/progress.h"
#include "core/store/workspace.h"
#include "core/table/diagnostic.h"

namespace geih::cli {

enum class OutputFormat { Table, Json, Csv };

struct CommonOptions {
  std::string workspace;  // empty = store::defaultWorkspacePath()
  std::string format = "table";
  bool quiet = false;

  std::filesystem::path workspacePath() const;
  OutputFormat outputFormat() const;
  // Opens the workspace; `mustExist` for read-only commands so a typo does not create a folder.
  store::Workspace openWorkspace(bool mustExist) const;
};

// Adds --workspace (and --format when `withFormat`) and --quiet to a subcommand.
void addCommonOptions(CLI::App& command, CommonOptions& options, bool withFormat,
                      const std::string& formats = "table|json|csv");

// Rows of text printed as an aligned table, CSV, or (by the caller) JSON.
struct TextTable {
  std::vector<std::string> headers;
  std::vector<std::vector<std::string>> rows;
};
void printTable(const TextTable& table, OutputFormat format);
void printJson(const nlohmann::json& json);
// `json` under --format json, else `text` as it is.
void printResult(const CommonOptions& common, const nlohmann::json& json, const std::string& text);

// Progress on stderr: a redrawn line on a terminal, a line per stage and each 10% otherwise.
std::unique_ptr<Progress> makeStderrProgress(bool quiet);

void printWarnings(const std::vector<table::Diagnostic>& warnings);

std::string formatNumber(double value, int precision = 4);
std::string formatTime(std::int64_t millis);

}  // namespace geih::cli
