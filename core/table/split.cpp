#include "core/table/split.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "core/common/error.h"
#include "core/common/rng.h"

namespace geih::table {
namespace {

void checkFraction(double testFraction) {
  if (!(testFraction > 0.0 && testFraction < 1.0)) {
    throw InputError("test fraction must be between 0 and 1 (exclusive), got " +
                     std::to_string(testFraction));
  }
}

// Moves round(fraction * n) shuffled members of `rows` to test, the rest to train.
void splitGroup(std::vector<std::size_t> rows, double testFraction, Rng& rng, SplitIndices& out) {
  rng.shuffle(rows);
  const std::size_t testCount = std::size_t(std::llround(testFraction * double(rows.size())));
  out.test.insert(out.test.end(), rows.begin(), rows.begin() + std::ptrdiff_t(testCount));
  out.train.insert(out.train.end(), rows.begin() + std::ptrdiff_t(testCount), rows.end());
}

}  // namespace

SplitIndices randomSplit(std::size_t rowCount, double testFraction, std::uint64_t seed) {
  checkFraction(testFraction);
  std::vector<std::size_t> rows(rowCount);
  std::iota(rows.begin(), rows.end(), 0);
  Rng rng(seed);
  SplitIndices out;
  splitGroup(std::move(rows), testFraction, rng, out);
  std::sort(out.train.begin(), out.train.end());
  std::sort(out.test.begin(), out.test.end());
  return out;
}

SplitIndices stratifiedSplit(const Column& label, double testFraction, std::uint64_t seed) {
  checkFraction(testFraction);
  // Strata keyed by the label's text so numeric, boolean and categorical labels work alike;
  // std::map keeps the strata in a fixed order, so the split depends only on seed and data.
  std::map<std::string, std::vector<std::size_t>> strata;
  for (std::size_t row = 0; row < label.size(); ++row) {
    strata[label.isMissing(row) ? std::string("\x01missing") : label.textAt(row)].push_back(row);
  }
  Rng rng(seed);
  SplitIndices out;
  for (auto& [key, rows] : strata) splitGroup(std::move(rows), testFraction, rng, out);
  std::sort(out.train.begin(), out.train.end());
  std::sort(out.test.begin(), out.test.end());
  return out;
}

}  // namespace geih::table
