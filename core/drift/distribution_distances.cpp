#include "core/drift/distribution_distances.h"

#include <algorithm>
#include <cmath>
#include <memory>

#include "core/common/error.h"
#include "core/drift/ks_test.h"

namespace geih::drift {

namespace {

// The radix sort of the KS test: several times faster than std::sort on a million doubles.
std::unique_ptr<detail::DoubleBuffer> sortedChecked(std::span<const double> values, const char* side) {
  if (values.empty()) throw InputError(std::string("wasserstein: the ") + side + " sample is empty");
  auto sorted = std::make_unique<detail::DoubleBuffer>(values.size());
  detail::sortedCopy(values, *sorted, "wasserstein", side);
  return sorted;
}

double populationStd(std::span<const double> values) {
  double mean = 0;
  for (double v : values) mean += v;
  mean /= double(values.size());
  double sum = 0;
  for (double v : values) sum += (v - mean) * (v - mean);
  return std::sqrt(sum / double(values.size()));
}

}  // namespace

double wassersteinDistance(std::span<const double> reference, std::span<const double> current) {
  const auto sortedA = sortedChecked(reference, "reference");
  const auto sortedB = sortedChecked(current, "current");
  const std::span<const double> a = sortedA->span();
  const std::span<const double> b = sortedB->span();
  const double na = double(a.size());
  const double nb = double(b.size());
  // Sweep the pooled sorted values; between consecutive ones both CDFs are constant.
  std::size_t i = 0;
  std::size_t j = 0;
  double previous = std::min(a.front(), b.front());
  double total = 0;
  while (i < a.size() || j < b.size()) {
    const double next = j >= b.size() || (i < a.size() && a[i] <= b[j]) ? a[i] : b[j];
    total += std::abs(double(i) / na - double(j) / nb) * (next - previous);
    while (i < a.size() && a[i] == next) ++i;
    while (j < b.size() && b[j] == next) ++j;
    previous = next;
  }
  return total;
}

double normalizedWasserstein(std::span<const double> reference, std::span<const double> current) {
  const double distance = wassersteinDistance(reference, current);
  return distance / std::max(populationStd(reference), 0.001);
}

double jensenShannonDistance(std::span<const double> p, std::span<const double> q) {
  if (p.size() != q.size()) {
    throw InputError("jensen-shannon: the distributions have " + std::to_string(p.size()) + " and " +
                     std::to_string(q.size()) + " bins");
  }
  double sp = 0;
  double sq = 0;
  for (std::size_t k = 0; k < p.size(); ++k) {
    sp += p[k];
    sq += q[k];
  }
  if (!(sp > 0) || !(sq > 0)) throw InputError("jensen-shannon: a distribution sums to 0");
  double divergence = 0;
  for (std::size_t k = 0; k < p.size(); ++k) {
    const double a = p[k] / sp;
    const double b = q[k] / sq;
    const double m = 0.5 * (a + b);
    if (a > 0) divergence += a * std::log(a / m);
    if (b > 0) divergence += b * std::log(b / m);
  }
  return std::sqrt(std::max(0.0, divergence / 2.0));
}

BinnedShares equalWidthShares(std::span<const double> reference, std::span<const double> current,
                              std::size_t bins) {
  double low = INFINITY;
  double high = -INFINITY;
  for (auto sample : {reference, current}) {
    for (double v : sample) {
      low = std::min(low, v);
      high = std::max(high, v);
    }
  }
  if (!(low <= high)) throw InputError("histogram: both samples are empty");
  if (low == high) {  // numpy widens a degenerate range to [v - 0.5, v + 0.5]
    low -= 0.5;
    high += 0.5;
  }
  BinnedShares out;
  out.edges.resize(bins + 1);
  for (std::size_t k = 0; k <= bins; ++k) out.edges[k] = low + (high - low) * double(k) / double(bins);
  const auto shares = [&](std::span<const double> sample) {
    std::vector<double> counts(bins, 0.0);
    for (double v : sample) {
      // The bin index from the edges, the last bin closed on the right.
      std::size_t k = std::size_t(std::upper_bound(out.edges.begin(), out.edges.end(), v) -
                                  out.edges.begin());
      k = k == 0 ? 0 : k - 1;
      if (k >= bins) k = bins - 1;
      counts[k] += 1;
    }
    for (double& c : counts) c /= double(sample.size());
    return counts;
  };
  out.reference = shares(reference);
  out.current = shares(current);
  return out;
}

BinnedShares sturgesShares(std::span<const double> reference, std::span<const double> current) {
  const double pooled = double(reference.size() + current.size());
  const std::size_t bins = std::size_t(std::ceil(std::log2(pooled) + 1.0));
  return equalWidthShares(reference, current, std::max<std::size_t>(bins, 1));
}

}  // namespace geih::drift
