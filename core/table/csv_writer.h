// CSV writing: header row, comma separated, fields quoted only when needed, missing as empty,
// numbers with the shortest text that reads back to the same double. Written atomically.
#pragma once

#include <filesystem>
#include <string>

#include "core/table/table.h"

namespace geih::table {

std::string toCsv(const Table& table);
void writeCsv(const Table& table, const std::filesystem::path& path);

}  // namespace geih::table
