// One named column of a Table. Three physical types:
//   Numeric      float64 values; missing is NaN.
//   Categorical  int32 codes into a dictionary of strings; missing is kMissingCode (-1).
//   Boolean      int8 0/1; missing is kMissingBool (-1).
// Columns are immutable once built (construct through the factories) and cheap to move.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace geih::table {

enum class ColumnType { Numeric, Categorical, Boolean };

// "numeric" | "categorical" | "boolean"
const char* columnTypeName(ColumnType type);
// Inverse of columnTypeName; throws InputError on anything else.
ColumnType columnTypeFromName(const std::string& name);

inline constexpr std::int32_t kMissingCode = -1;
inline constexpr std::int8_t kMissingBool = -1;

class Column {
 public:
  static Column numeric(std::string name, std::vector<double> values);
  // Every code must be kMissingCode or an index into `dictionary` (checked; InputError otherwise).
  static Column categorical(std::string name, std::vector<std::int32_t> codes,
                            std::vector<std::string> dictionary);
  // Builds a categorical column from text, dictionary in first-seen order; `isMissing[i]` marks
  // missing entries (may be empty: nothing missing).
  static Column categoricalFromStrings(std::string name, const std::vector<std::string>& values,
                                       const std::vector<bool>& isMissing = {});
  static Column boolean(std::string name, std::vector<std::int8_t> values);

  const std::string& name() const { return m_name; }
  ColumnType type() const { return m_type; }
  std::size_t size() const;

  bool isMissing(std::size_t row) const;
  std::size_t missingCount() const;

  // Numeric value of a row: the number (Numeric), 0/1 (Boolean), the code (Categorical);
  // NaN when missing.
  double numberAt(std::size_t row) const;
  // Text of a row as it would be written to CSV; "" when missing.
  std::string textAt(std::size_t row) const;

  // Typed access; each throws InputError when the column is of another type.
  std::span<const double> numbers() const;
  std::span<const std::int32_t> codes() const;
  const std::vector<std::string>& dictionary() const;
  std::span<const std::int8_t> booleans() const;

  // A column holding rows `rows` (in that order) of this one; dictionaries are kept whole.
  Column select(std::span<const std::size_t> rows) const;
  Column renamed(std::string name) const;

 private:
  Column(std::string name, ColumnType type) : m_name(std::move(name)), m_type(type) {}

  std::string m_name;
  ColumnType m_type;
  std::vector<double> m_numbers;
  std::vector<std::int32_t> m_codes;
  std::vector<std::string> m_dictionary;
  std::vector<std::int8_t> m_booleans;
};

}  // namespace geih::table
