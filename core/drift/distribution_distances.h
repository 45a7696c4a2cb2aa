// Distances between a reference and a current sample, as Evidently's drift tests use them.
#pragma once

#include <span>
#include <vector>

namespace geih::drift {

// The first Wasserstein (earth mover's) distance between the two empirical distributions:
// ∫ |F_ref(x) - F_cur(x)| dx (scipy.stats.wasserstein_distance). Inputs need not be sorted.
// Throws InputError for an empty sample or a NaN.
double wassersteinDistance(std::span<const double> reference, std::span<const double> current);

// wassersteinDistance / max(std(reference), 0.001) with the population std (ddof = 0), so the
// threshold (0.1 by default) reads as "a tenth of a reference standard deviation".
double normalizedWasserstein(std::span<const double> reference, std::span<const double> current);

// Jensen-Shannon distance of two discrete distributions (each normalised to sum 1 first; natural
// logarithm): sqrt((KL(p || m) + KL(q || m)) / 2), m = (p + q) / 2 (scipy.spatial.distance.
// jensenshannon). Throws InputError when the sizes differ or a side sums to 0.
double jensenShannonDistance(std::span<const double> p, std::span<const double> q);

// Shares of each sample in the same bins: Sturges' rule over the pooled range
// (numpy.histogram_bin_edges(pooled, bins="sturges")), the last bin closed on the right as
// numpy.histogram does.
struct BinnedShares {
  std::vector<double> edges;
  std::vector<double> reference;
  std::vector<double> current;
};
BinnedShares sturgesShares(std::span<const double> reference, std::span<const double> current);
// The same with a given number of equal-width bins over the pooled range.
BinnedShares equalWidthShares(std::span<const double> reference, std::span<const double> current,
                              std::size_t bins);

}  // namespace geih::drift
