#include "core/drift/psi.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include <omp.h>

#include "core/common/error.h"
#include "core/drift/ks_test.h"

namespace geih::drift {
namespace {

constexpr std::size_t kParallelCount = std::size_t(1) << 16;
constexpr std::size_t kMaxBins = 4096;

// numpy.quantile(sorted, p, method='linear') on an ascending array.
double quantile(const double* sorted, std::size_t n, double p) {
  const double virtualIndex = double(n - 1) * p;
  const double previous = std::floor(virtualIndex);
  const double gamma = virtualIndex - previous;
  const std::size_t lo = std::min(std::size_t(std::max(previous, 0.0)), n - 1);
  const std::size_t hi = std::min(lo + 1, n - 1);
  const double a = sorted[lo], b = sorted[hi];
  if (a == b) return a;  // also keeps inf - inf out (numpy would give NaN there)
  const double diff = b - a;
  return gamma >= 0.5 ? b - diff * (1.0 - gamma) : a + diff * gamma;
}

std::vector<double> countBins(std::span<const double> values, const std::vector<double>& inner,
                              const char* side) {
  const std::size_t n = values.size(), nb = inner.size() + 1;
  std::vector<double> counts(nb, 0.0);
  const int threads = n >= kParallelCount ? std::max(1, omp_get_max_threads()) : 1;
  std::vector<std::vector<std::size_t>> local(std::size_t(threads),
                                              std::vector<std::size_t>(nb, 0));
  std::vector<std::size_t> firstNaN(std::size_t(threads), n);
  const double* edges = inner.data();
  const std::size_t ne = inner.size();
#pragma omp parallel num_threads(threads)
  {
    const std::size_t t = std::size_t(omp_get_thread_num());
    const std::size_t nt = std::size_t(omp_get_num_threads());
    const std::size_t begin = n * t / nt, end = n * (t + 1) / nt;
    std::size_t* count = local[t].data();
    for (std::size_t i = begin; i < end; ++i) {
      const double x = values[i];
      if (std::isnan(x)) {
        firstNaN[t] = std::min(firstNaN[t], i);
        continue;
      }
      std::size_t bin = 0;
      if (ne <= 16) {
        for (std::size_t e = 0; e < ne; ++e) bin += std::size_t(edges[e] <= x);
      } else {
        bin = std::size_t(std::upper_bound(edges, edges + ne, x) - edges);
      }
      ++count[bin];
    }
  }
  const std::size_t nanAt = *std::min_element(firstNaN.begin(), firstNaN.end());
  if (nanAt < n) {
    throw InputError(std::string("populationStabilityIndex: the ") + side +
                     " sample has a missing value (NaN) at index " + std::to_string(nanAt));
  }
  for (const auto& c : local) {
    for (std::size_t b = 0; b < nb; ++b) counts[b] += double(c[b]);
  }
  return counts;
}

}  // namespace

PsiResult populationStabilityIndex(std::span<const double> reference,
                                   std::span<const double> current, int bins, double epsilon) {
  if (reference.empty())
    throw InputError("populationStabilityIndex: the reference sample is empty");
  if (current.empty()) throw InputError("populationStabilityIndex: the current sample is empty");
  if (bins < 1 || std::size_t(bins) > kMaxBins) {
    throw InputError("populationStabilityIndex: bins must be between 1 and " +
                     std::to_string(kMaxBins) + ", got " + std::to_string(bins));
  }
  if (!(epsilon > 0.0) || epsilon >= 1.0) {
    throw InputError("populationStabilityIndex: epsilon must be in (0, 1), got " +
                     std::to_string(epsilon));
  }
  const std::size_t n = reference.size();
  std::vector<double> inner;
  {
    detail::DoubleBuffer sorted(n);
    detail::sortedCopy(reference, sorted, "populationStabilityIndex", "reference");
    for (int i = 1; i < bins; ++i) {
      const double edge = quantile(sorted.data(), n, double(i) / double(bins));
      if (inner.empty() || edge != inner.back()) inner.push_back(edge);
    }
  }
  const std::vector<double> refCounts = countBins(reference, inner, "reference");
  const std::vector<double> curCounts = countBins(current, inner, "current");

  PsiResult result;
  result.edges.reserve(inner.size() + 2);
  result.edges.push_back(-std::numeric_limits<double>::infinity());
  result.edges.insert(result.edges.end(), inner.begin(), inner.end());
  result.edges.push_back(std::numeric_limits<double>::infinity());
  const std::size_t nb = refCounts.size();
  result.referenceShares.resize(nb);
  result.currentShares.resize(nb);
  for (std::size_t b = 0; b < nb; ++b) {
    const double ref = refCounts[b] == 0.0 ? epsilon : refCounts[b] / double(n);
    const double cur = curCounts[b] == 0.0 ? epsilon : curCounts[b] / double(current.size());
    result.referenceShares[b] = ref;
    result.currentShares[b] = cur;
    result.psi += (cur - ref) * std::log(cur / ref);
  }
  return result;
}

const char* psiVerdict(double psi) {
  if (psi < 0.1) return "none";
  if (psi < 0.25) return "moderate";
  return "significant";
}

}  // namespace geih::drift
