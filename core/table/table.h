// A columnar table: named, typed columns of equal length. The unit of data exchanged between
// CSV files, datasets, learners and evaluation.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/table/column.h"

namespace geih::table {

class Table {
 public:
  Table() = default;

  // Throws InputError if the name is taken or the length differs from the other columns.
  void addColumn(Column column);

  std::size_t rowCount() const { return m_columns.empty() ? 0 : m_columns.front().size(); }
  std::size_t columnCount() const { return m_columns.size(); }
  const std::vector<Column>& columns() const { return m_columns; }
  const Column& column(std::size_t index) const { return m_columns.at(index); }
  // Throws NotFound naming the column and listing the available ones.
  const Column& column(const std::string& name) const;
  std::optional<std::size_t> indexOf(const std::string& name) const;
  bool hasColumn(const std::string& name) const { return indexOf(name).has_value(); }
  std::vector<std::string> columnNames() const;

  // A table of rows `rows`, in that order.
  Table selectRows(std::span<const std::size_t> rows) const;
  // A table of the named columns, in that order. Throws NotFound on an unknown name.
  Table selectColumns(const std::vector<std::string>& names) const;

 private:
  std::vector<Column> m_columns;
};

}  // namespace geih::table
