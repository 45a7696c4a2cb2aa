// One column of the reference and of the current table, prepared for the drift tests: the
// non-missing numbers (numeric and boolean columns) and the counts of every distinct value over
// keys shared by both sides (categorical and boolean columns, and numeric columns with few
// distinct values).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/table/column.h"

namespace geih::drift {

struct ColumnPair {
  std::string name;
  table::ColumnType type = table::ColumnType::Numeric;
  bool hasNumbers = false;             // reference / current hold the non-missing values
  std::vector<double> reference;
  std::vector<double> current;
  bool hasCounts = false;              // keys and counts are filled
  std::vector<std::string> keys;       // distinct non-missing values of both sides, sorted
  std::vector<double> referenceCounts;
  std::vector<double> currentCounts;
  std::size_t referenceDistinct = 0;   // distinct non-missing reference values, counted up to
                                       // maxKeys + 1 for numeric columns
  std::size_t referenceRows = 0;
  std::size_t currentRows = 0;
  std::size_t referenceMissing = 0;
  std::size_t currentMissing = 0;
};

// Numeric columns get counts only when the reference has at most `maxKeys` distinct values.
// Throws InputError when the two columns' types differ (naming the column and both types).
ColumnPair makeColumnPair(const table::Column& reference, const table::Column& current,
                          std::size_t maxKeys = 20);

}  // namespace geih::drift
