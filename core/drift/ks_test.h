// The two-sample Kolmogorov-Smirnov test, equal to SciPy's
// scipy.stats.ks_2samp(reference, current, alternative='two-sided', method='auto') (SciPy 1.10).
//
// Statistic: D = max over the pooled values v of |F_ref(v) - F_cur(v)|, where F(v) counts the
// sample values <= v (ties are consumed together, as numpy.searchsorted(side='right') does).
// p-value: exact (Hodges' lattice-path count) when max(n_ref, n_cur) <= 10000; then D is reported
// as h / lcm(n_ref, n_cur) with h = round(D * lcm), as SciPy does. Otherwise, or when the exact
// count fails numerically, the asymptotic p-value: the survival function of the one-sample
// Kolmogorov distribution D_N at D with N = round(n_ref * n_cur / (n_ref + n_cur)) (SciPy's
// kstwo.sf), computed by the same Simard & L'Ecuyer dispatch (Ruben-Gambino, Smirnov's exact
// one-sided sum, the Durbin matrix, Pelz-Good; where SciPy uses Pomeranz's recursion, n <= 140 and
// 0.754693 < n x^2 <= 4, the Durbin matrix gives the same exact probability). Agrees with SciPy to
// about 1e-13 relative in the tests.
#pragma once

#include <bit>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace geih::drift {

struct KsResult {
  double statistic = 0.0;
  double pValue = 1.0;
  std::string method;  // "exact" | "asymp"
};

// Throws InputError when a sample is empty or holds a NaN (naming the side and the index).
KsResult ksTwoSample(std::span<const double> reference, std::span<const double> current);

// Survival function of the two-sided one-sample Kolmogorov statistic: P(D_n > x) (SciPy's
// scipy.stats.kstwo.sf(x, n)).
double kolmogorovSurvival(std::int64_t n, double x);

namespace detail {

// Maps a double to an unsigned key with the same order (negative values reversed; NaNs above +inf).
inline std::uint64_t orderKey(double value) {
  const std::uint64_t bits = std::bit_cast<std::uint64_t>(value);
  return (bits & (std::uint64_t(1) << 63)) ? ~bits : bits | (std::uint64_t(1) << 63);
}

// A heap buffer of doubles, 2 MiB aligned and advised to use huge pages when large. Uninitialised.
class DoubleBuffer {
 public:
  explicit DoubleBuffer(std::size_t size);
  ~DoubleBuffer();
  DoubleBuffer(const DoubleBuffer&) = delete;
  DoubleBuffer& operator=(const DoubleBuffer&) = delete;
  double* data() { return m_data; }
  const double* data() const { return m_data; }
  std::size_t size() const { return m_size; }
  std::span<const double> span() const { return {m_data, m_size}; }

 private:
  double* m_data = nullptr;
  std::size_t m_size = 0;
};

// Copies `values` into the first values.size() slots of `out` (at least that large) sorted
// ascending (LSD radix sort, OpenMP-parallel for large inputs; -0.0 is stored as +0.0). Throws
// InputError naming `side` on a NaN.
void sortedCopy(std::span<const double> values, DoubleBuffer& out, const char* function,
                const char* side);

}  // namespace detail
}  // namespace geih::drift
