// Seeded train/test splits. The same seed and the same data give the same split everywhere.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/table/table.h"

namespace geih::table {

struct SplitIndices {
  std::vector<std::size_t> train;  // ascending
  std::vector<std::size_t> test;   // ascending
};

// Random split of `rowCount` rows; test gets round(testFraction * rowCount) rows.
// Throws InputError unless 0 < testFraction < 1.
SplitIndices randomSplit(std::size_t rowCount, double testFraction, std::uint64_t seed);

// Stratified split on a label column: each distinct label value (missing labels form their own
// stratum) is split with the same test fraction (rounded per stratum), so class shares in train and
// test match the whole table's. Throws InputError unless 0 < testFraction < 1.
SplitIndices stratifiedSplit(const Column& label, double testFraction, std::uint64_t seed);

}  // namespace geih::table
