// Tests on category counts, as Evidently runs them.
#pragma once

#include <span>

namespace geih::drift {

struct PValueResult {
  double statistic = 0.0;
  double pValue = 1.0;
};

// Chi-square goodness of fit of the current counts against the reference proportions scaled to
// the current size (scipy.stats.chisquare(f_obs=current, f_exp=reference * n_cur / n_ref)),
// k - 1 degrees of freedom. A category absent from the reference but present now gives an
// infinite statistic and p = 0. Fewer than two categories: statistic 0, p 1.
PValueResult chiSquareTest(std::span<const double> referenceCounts,
                           std::span<const double> currentCounts);

// Two-proportion z-test for independent samples (pooled variance), two-sided: the share of
// `referenceHits` among `referenceSize` against `currentHits` among `currentSize`. When both
// shares are 0 or both 1, z = 0 and p = 1.
PValueResult proportionsZTest(double referenceHits, double referenceSize, double currentHits,
                              double currentSize);

}  // namespace geih::drift
