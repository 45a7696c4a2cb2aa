// CSV reading with type inference.
//
// Accepts RFC 4180 quoting (quoted fields with commas, doubled quotes, embedded newlines), CRLF and
// LF line ends, a UTF-8 byte-order mark, and a header row. Cells equal to one of `missingTokens`
// are missing. Type inference per column over all rows: Boolean if every present cell is
// true/false (any case); Numeric if every present cell parses fully as a number; else Categorical.
//
// Problems:
//   - a row with the wrong number of fields is skipped and reported as a Diagnostic
//     (or throws InputError "file:line: expected N fields, found M" when `strict`);
//   - an empty file, a missing header, duplicate or empty header names, an unterminated quote,
//     or more than `maxBadRows` bad rows throw InputError naming file and line.
// Reads 1M rows x 21 numeric columns at least as fast as pandas.read_csv (bench/compare).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/progress.h"
#include "core/table/diagnostic.h"
#include "core/table/table.h"

namespace geih::table {

struct CsvOptions {
  char delimiter = ',';
  std::vector<std::string> missingTokens = {"", "NA", "N/A", "NaN", "nan", "null", "NULL"};
  bool strict = false;
  std::size_t maxBadRows = 1000;
  // Columns forced to categorical even when they look numeric (e.g. zip codes, class ids).
  std::vector<std::string> categoricalColumns;
  int threads = 0;  // 0 = all hardware threads
};

struct CsvReadResult {
  Table table;
  std::vector<Diagnostic> warnings;
};

CsvReadResult readCsv(const std::filesystem::path& path, const CsvOptions& options = {},
                      Progress& progress = Progress::none());
// Parses CSV text held in memory; `sourceName` is used in messages in place of a file name.
CsvReadResult parseCsv(std::string_view text, const std::string& sourceName,
                       const CsvOptions& options = {}, Progress& progress = Progress::none());

}  // namespace geih::table
