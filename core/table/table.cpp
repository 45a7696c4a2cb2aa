#include "core/table/table.h"

#include "core/common/error.h"

namespace geih::table {

namespace {
std::string joinNames(const std::vector<std::string>& names) {
  std::string all;
  for (const auto& name : names) all += (all.empty() ? "" : ", ") + name;
  return all;
}
}  // namespace

void Table::addColumn(Column column) {
  if (hasColumn(column.name())) {
    throw InputError("duplicate column name '" + column.name() + "'");
  }
  if (!m_columns.empty() && column.size() != rowCount()) {
    throw InputError("column '" + column.name() + "' has " + std::to_string(column.size()) +
                     " rows, the table has " + std::to_string(rowCount()));
  }
  m_columns.push_back(std::move(column));
}

const Column& Table::column(const std::string& name) const {
  if (auto index = indexOf(name)) return m_columns[*index];
  throw NotFound("unknown column '" + name + "' (available: " + joinNames(columnNames()) + ")");
}

std::optional<std::size_t> Table::indexOf(const std::string& name) const {
  for (std::size_t i = 0; i < m_columns.size(); ++i) {
    if (m_columns[i].name() == name) return i;
  }
  return std::nullopt;
}

std::vector<std::string> Table::columnNames() const {
  std::vector<std::string> names;
  names.reserve(m_columns.size());
  for (const auto& column : m_columns) names.push_back(column.name());
  return names;
}

Table Table::selectRows(std::span<const std::size_t> rows) const {
  Table out;
  for (const auto& column : m_columns) out.m_columns.push_back(column.select(rows));
  return out;
}

Table Table::selectColumns(const std::vector<std::string>& names) const {
  Table out;
  for (const auto& name : names) out.addColumn(column(name));
  return out;
}

}  // namespace geih::table
