#include "core/table/csv_writer.h"

#include "core/common/atomic_file.h"

namespace geih::table {
namespace {

void appendField(std::string& out, const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos && !text.empty() &&
      text.front() != ' ' && text.back() != ' ') {
    out += text;
    return;
  }
  if (text.empty()) return;
  out += '"';
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

}  // namespace

std::string toCsv(const Table& table) {
  std::string out;
  out.reserve(table.rowCount() * table.columnCount() * 10 + 256);
  for (std::size_t c = 0; c < table.columnCount(); ++c) {
    if (c) out += ',';
    appendField(out, table.column(c).name());
  }
  out += '\n';
  for (std::size_t row = 0; row < table.rowCount(); ++row) {
    for (std::size_t c = 0; c < table.columnCount(); ++c) {
      if (c) out += ',';
      appendField(out, table.column(c).textAt(row));
    }
    out += '\n';
  }
  return out;
}

void writeCsv(const Table& table, const std::filesystem::path& path) {
  writeFileAtomic(path, toCsv(table));
}

}  // namespace geih::table
