#include "core/drift/categorical_tests.h"

#include <cmath>
#include <limits>

#include "core/common/error.h"
#include "core/drift/special_functions.h"

namespace geih::drift {

PValueResult chiSquareTest(std::span<const double> referenceCounts,
                           std::span<const double> currentCounts) {
  if (referenceCounts.size() != currentCounts.size()) {
    throw InputError("chi-square: the reference and current counts have different categories");
  }
  double nRef = 0;
  double nCur = 0;
  for (std::size_t k = 0; k < referenceCounts.size(); ++k) {
    nRef += referenceCounts[k];
    nCur += currentCounts[k];
  }
  if (referenceCounts.size() < 2 || !(nRef > 0) || !(nCur > 0)) return {};
  const double scale = nCur / nRef;
  double statistic = 0;
  for (std::size_t k = 0; k < referenceCounts.size(); ++k) {
    const double expected = referenceCounts[k] * scale;
    const double observed = currentCounts[k];
    if (expected == 0) {
      if (observed > 0) return {std::numeric_limits<double>::infinity(), 0.0};
      continue;
    }
    statistic += (observed - expected) * (observed - expected) / expected;
  }
  return {statistic, chiSquareSurvival(statistic, double(referenceCounts.size() - 1))};
}

PValueResult proportionsZTest(double referenceHits, double referenceSize, double currentHits,
                              double currentSize) {
  if (!(referenceSize > 0) || !(currentSize > 0)) {
    throw InputError("z-test: a sample is empty");
  }
  const double p1 = referenceHits / referenceSize;
  const double p2 = currentHits / currentSize;
  const double pooled = (referenceHits + currentHits) / (referenceSize + currentSize);
  const double variance = pooled * (1 - pooled) * (1 / referenceSize + 1 / currentSize);
  if (!(variance > 0)) return {};
  const double z = (p1 - p2) / std::sqrt(variance);
  return {z, normalTwoSidedP(z)};
}

}  // namespace geih::drift
