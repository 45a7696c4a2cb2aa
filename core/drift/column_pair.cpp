#include "core/drift/column_pair.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <set>

#include "core/common/error.h"

namespace geih::drift {

namespace {

std::string numberKey(double value) {
  char buffer[32];
  const auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
  return std::string(buffer, end);
}

std::vector<double> nonMissingNumbers(const table::Column& column) {
  std::vector<double> out;
  out.reserve(column.size() - column.missingCount());
  for (std::size_t row = 0; row < column.size(); ++row) {
    const double value = column.numberAt(row);
    if (!std::isnan(value)) out.push_back(value);
  }
  return out;
}

void countInto(const table::Column& column, std::map<std::string, double>& counts) {
  switch (column.type()) {
    case table::ColumnType::Categorical: {
      std::vector<double> byCode(column.dictionary().size(), 0.0);
      for (std::int32_t code : column.codes()) {
        if (code != table::kMissingCode) byCode[std::size_t(code)] += 1;
      }
      for (std::size_t code = 0; code < byCode.size(); ++code) {
        if (byCode[code] > 0) counts[column.dictionary()[code]] += byCode[code];
      }
      break;
    }
    case table::ColumnType::Boolean:
      for (std::int8_t value : column.booleans()) {
        if (value != table::kMissingBool) counts[value ? "true" : "false"] += 1;
      }
      break;
    case table::ColumnType::Numeric:
      for (double value : column.numbers()) {
        if (!std::isnan(value)) counts[numberKey(value)] += 1;
      }
      break;
  }
}

}  // namespace

ColumnPair makeColumnPair(const table::Column& reference, const table::Column& current,
                          std::size_t maxKeys) {
  if (reference.type() != current.type()) {
    throw InputError("column '" + reference.name() + "' is " + table::columnTypeName(reference.type()) +
                     " in the reference but " + table::columnTypeName(current.type()) +
                     " in the current data");
  }
  ColumnPair pair;
  pair.name = reference.name();
  pair.type = reference.type();
  pair.referenceRows = reference.size();
  pair.currentRows = current.size();
  pair.referenceMissing = reference.missingCount();
  pair.currentMissing = current.missingCount();

  if (pair.type != table::ColumnType::Categorical) {
    pair.hasNumbers = true;
    pair.reference = nonMissingNumbers(reference);
    pair.current = nonMissingNumbers(current);
  }
  if (pair.type == table::ColumnType::Numeric) {
    // Distinct values, counted only up to maxKeys + 1: a continuous column stops early.
    std::vector<double> seen;
    for (double value : pair.reference) {
      if (std::find(seen.begin(), seen.end(), value) != seen.end()) continue;
      seen.push_back(value);
      if (seen.size() > maxKeys) break;
    }
    pair.referenceDistinct = seen.size();
    if (pair.referenceDistinct > maxKeys) return pair;
  }
  std::map<std::string, double> referenceCounts;
  std::map<std::string, double> currentCounts;
  countInto(reference, referenceCounts);
  countInto(current, currentCounts);
  if (pair.type != table::ColumnType::Numeric) pair.referenceDistinct = referenceCounts.size();
  std::set<std::string> keys;
  for (const auto& [key, count] : referenceCounts) keys.insert(key);
  for (const auto& [key, count] : currentCounts) keys.insert(key);
  pair.hasCounts = true;
  for (const std::string& key : keys) {
    pair.keys.push_back(key);
    pair.referenceCounts.push_back(referenceCounts.count(key) ? referenceCounts[key] : 0.0);
    pair.currentCounts.push_back(currentCounts.count(key) ? currentCounts[key] : 0.0);
  }
  return pair;
}

}  // namespace geih::drift
