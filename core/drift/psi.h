// The population stability index (PSI) of a current sample against a reference sample.
//
// Bins: the reference's quantiles at probabilities i / bins, i = 1 .. bins-1 (numpy.quantile's
// default "linear" method: virtual index (n-1)*p, linear interpolation between its neighbours in
// the sorted reference, numpy's lerp; where both neighbours are equal, that value, even for
// infinities where numpy would give NaN), with duplicate edges collapsed; the outer edges are -inf
// and +inf. Bin k holds the values x with edges[k] <= x < edges[k+1] (the first bin starts open at
// -inf); i.e. a value's bin is the number of inner edges <= x (numpy.searchsorted side='right').
// Shares: count / sample size; an empty bin's share is `epsilon` instead of 0 (the others are not
// renormalised). PSI = sum over bins of (current - reference) * ln(current / reference).
#pragma once

#include <span>
#include <vector>

namespace geih::drift {

struct PsiResult {
  double psi = 0.0;
  std::vector<double> edges;  // bins + 1 values (fewer after collapsing), edges.front() = -inf
  std::vector<double> referenceShares;
  std::vector<double> currentShares;
};

// Throws InputError on an empty sample, a NaN (naming the side and index), bins < 1 or
// epsilon <= 0.
PsiResult populationStabilityIndex(std::span<const double> reference,
                                   std::span<const double> current, int bins = 10,
                                   double epsilon = 1e-4);

// The customary reading of a PSI: "none" (< 0.1), "moderate" (< 0.25) or "significant".
const char* psiVerdict(double psi);

}  // namespace geih::drift
