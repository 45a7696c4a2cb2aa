#include "core/table/column.h"

#include <charconv>
#include <cmath>
#include <unordered_map>

#include "core/common/error.h"

namespace geih::table {

const char* columnTypeName(ColumnType type) {
  switch (type) {
    case ColumnType::Numeric: return "numeric";
    case ColumnType::Categorical: return "categorical";
    case ColumnType::Boolean: return "boolean";
  }
  return "numeric";
}

ColumnType columnTypeFromName(const std::string& name) {
  if (name == "numeric") return ColumnType::Numeric;
  if (name == "categorical") return ColumnType::Categorical;
  if (name == "boolean") return ColumnType::Boolean;
  throw InputError("unknown column type '" + name + "' (expected numeric, categorical or boolean)");
}

Column Column::numeric(std::string name, std::vector<double> values) {
  Column column(std::move(name), ColumnType::Numeric);
  column.m_numbers = std::move(values);
  return column;
}

Column Column::categorical(std::string name, std::vector<std::int32_t> codes,
                           std::vector<std::string> dictionary) {
  for (std::size_t row = 0; row < codes.size(); ++row) {
    if (codes[row] != kMissingCode && (codes[row] < 0 || std::size_t(codes[row]) >= dictionary.size())) {
      throw InputError("column '" + name + "': code " + std::to_string(codes[row]) + " at row " +
                       std::to_string(row) + " is outside its dictionary of " +
                       std::to_string(dictionary.size()) + " values");
    }
  }
  Column column(std::move(name), ColumnType::Categorical);
  column.m_codes = std::move(codes);
  column.m_dictionary = std::move(dictionary);
  return column;
}

Column Column::categoricalFromStrings(std::string name, const std::vector<std::string>& values,
                                      const std::vector<bool>& isMissing) {
  std::vector<std::int32_t> codes(values.size(), kMissingCode);
  std::vector<std::string> dictionary;
  std::unordered_map<std::string, std::int32_t> index;
  for (std::size_t row = 0; row < values.size(); ++row) {
    if (!isMissing.empty() && isMissing[row]) continue;
    auto [it, inserted] = index.try_emplace(values[row], std::int32_t(dictionary.size()));
    if (inserted) dictionary.push_back(values[row]);
    codes[row] = it->second;
  }
  return categorical(std::move(name), std::move(codes), std::move(dictionary));
}

Column Column::boolean(std::string name, std::vector<std::int8_t> values) {
  for (std::size_t row = 0; row < values.size(); ++row) {
    if (values[row] != 0 && values[row] != 1 && values[row] != kMissingBool) {
      throw InputError("column '" + name + "': boolean value " + std::to_string(values[row]) +
                       " at row " + std::to_string(row) + " is not 0, 1 or missing");
    }
  }
  Column column(std::move(name), ColumnType::Boolean);
  column.m_booleans = std::move(values);
  return column;
}

std::size_t Column::size() const {
  switch (m_type) {
    case ColumnType::Numeric: return m_numbers.size();
    case ColumnType::Categorical: return m_codes.size();
    case ColumnType::Boolean: return m_booleans.size();
  }
  return 0;
}

bool Column::isMissing(std::size_t row) const {
  switch (m_type) {
    case ColumnType::Numeric: return std::isnan(m_numbers[row]);
    case ColumnType::Categorical: return m_codes[row] == kMissingCode;
    case ColumnType::Boolean: return m_booleans[row] == kMissingBool;
  }
  return false;
}

std::size_t Column::missingCount() const {
  std::size_t count = 0;
  for (std::size_t row = 0, n = size(); row < n; ++row) count += isMissing(row);
  return count;
}

double Column::numberAt(std::size_t row) const {
  switch (m_type) {
    case ColumnType::Numeric: return m_numbers[row];
    case ColumnType::Categorical:
      return m_codes[row] == kMissingCode ? std::nan("") : double(m_codes[row]);
    case ColumnType::Boolean:
      return m_booleans[row] == kMissingBool ? std::nan("") : double(m_booleans[row]);
  }
  return std::nan("");
}

std::string Column::textAt(std::size_t row) const {
  if (isMissing(row)) return {};
  switch (m_type) {
    case ColumnType::Numeric: {
      char buffer[32];
      const auto result = std::to_chars(buffer, buffer + sizeof buffer, m_numbers[row]);
      return std::string(buffer, result.ptr);
    }
    case ColumnType::Categorical: return m_dictionary[std::size_t(m_codes[row])];
    case ColumnType::Boolean: return m_booleans[row] ? "true" : "false";
  }
  return {};
}

namespace {
[[noreturn]] void wrongType(const std::string& name, ColumnType actual, const char* wanted) {
  throw InputError("column '" + name + "' is " + columnTypeName(actual) + ", not " + wanted);
}
}  // namespace

std::span<const double> Column::numbers() const {
  if (m_type != ColumnType::Numeric) wrongType(m_name, m_type, "numeric");
  return m_numbers;
}

std::span<const std::int32_t> Column::codes() const {
  if (m_type != ColumnType::Categorical) wrongType(m_name, m_type, "categorical");
  return m_codes;
}

const std::vector<std::string>& Column::dictionary() const {
  if (m_type != ColumnType::Categorical) wrongType(m_name, m_type, "categorical");
  return m_dictionary;
}

std::span<const std::int8_t> Column::booleans() const {
  if (m_type != ColumnType::Boolean) wrongType(m_name, m_type, "boolean");
  return m_booleans;
}

Column Column::select(std::span<const std::size_t> rows) const {
  Column out(m_name, m_type);
  switch (m_type) {
    case ColumnType::Numeric:
      out.m_numbers.reserve(rows.size());
      for (std::size_t row : rows) out.m_numbers.push_back(m_numbers.at(row));
      break;
    case ColumnType::Categorical:
      out.m_dictionary = m_dictionary;
      out.m_codes.reserve(rows.size());
      for (std::size_t row : rows) out.m_codes.push_back(m_codes.at(row));
      break;
    case ColumnType::Boolean:
      out.m_booleans.reserve(rows.size());
      for (std::size_t row : rows) out.m_booleans.push_back(m_booleans.at(row));
      break;
  }
  return out;
}

Column Column::renamed(std::string name) const {
  Column out = *this;
  out.m_name = std::move(name);
  return out;
}

}  // namespace geih::table
