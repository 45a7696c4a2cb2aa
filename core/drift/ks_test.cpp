#include "core/drift/ks_test.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <new>
#include <numeric>
#include <vector>

#include <omp.h>

#include "core/common/error.h"
#include "core/common/huge_pages.h"

namespace geih::drift {
namespace detail {
namespace {

constexpr std::size_t kHugePage = std::size_t(2) << 20;
constexpr unsigned kRadixBits = 11;
constexpr std::size_t kBuckets = std::size_t(1) << kRadixBits;
constexpr unsigned kPasses = (64 + kRadixBits - 1) / kRadixBits;
constexpr std::size_t kSmallSort = 4096;
constexpr std::size_t kParallelSort = std::size_t(1) << 17;

inline std::uint64_t sortKey(double value) { return orderKey(value); }

inline std::size_t digit(double value, unsigned pass) {
  return std::size_t(sortKey(value) >> (pass * kRadixBits)) & (kBuckets - 1);
}

[[noreturn]] void throwNaN(const char* function, const char* side, std::size_t index) {
  throw InputError(std::string(function) + ": the " + side +
                   " sample has a missing value (NaN) at " + "index " + std::to_string(index));
}

using Histograms = std::array<std::array<std::size_t, kBuckets>, kPasses>;

}  // namespace

DoubleBuffer::DoubleBuffer(std::size_t size) : m_size(size) {
  const std::size_t bytes = std::max<std::size_t>(size, 1) * sizeof(double);
  if (bytes >= kHugePage) {
    const std::size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
    m_data = static_cast<double*>(std::aligned_alloc(kHugePage, rounded));
    if (m_data) adviseHugePages(m_data, rounded);
  }
  if (!m_data) m_data = static_cast<double*>(std::malloc(bytes));
  if (!m_data) throw std::bad_alloc();
}

DoubleBuffer::~DoubleBuffer() { std::free(m_data); }

void sortedCopy(std::span<const double> values, DoubleBuffer& out, const char* function,
                const char* side) {
  const std::size_t n = values.size();
  double* dst = out.data();
  if (n < kSmallSort) {
    for (std::size_t i = 0; i < n; ++i) {
      if (std::isnan(values[i])) throwNaN(function, side, i);
      dst[i] = values[i] + 0.0;  // -0.0 becomes +0.0
    }
    std::sort(dst, dst + n);
    return;
  }
  const int threads = n >= kParallelSort ? std::max(1, omp_get_max_threads()) : 1;
  // counts[t][pass][bucket], filled while copying (and checking for NaN) in one sweep.
  std::vector<Histograms> counts(static_cast<std::size_t>(threads));
  std::vector<std::size_t> firstNaN(std::size_t(threads), n);
  DoubleBuffer scratch(n);
  double* bufs[2] = {dst, scratch.data()};
#pragma omp parallel num_threads(threads)
  {
    const std::size_t t = std::size_t(omp_get_thread_num());
    const std::size_t nt = std::size_t(omp_get_num_threads());
    const std::size_t begin = n * t / nt, end = n * (t + 1) / nt;
    Histograms& hist = counts[t];
    for (auto& h : hist) h.fill(0);
    for (std::size_t i = begin; i < end; ++i) {
      const double v = values[i] + 0.0;
      if (std::isnan(v)) {
        firstNaN[t] = std::min(firstNaN[t], i);
        continue;
      }
      dst[i] = v;
      const std::uint64_t key = sortKey(v);
      for (unsigned pass = 0; pass < kPasses; ++pass) {
        ++hist[pass][std::size_t(key >> (pass * kRadixBits)) & (kBuckets - 1)];
      }
    }
  }
  const std::size_t nanAt = *std::min_element(firstNaN.begin(), firstNaN.end());
  if (nanAt < n) throwNaN(function, side, nanAt);

  // Per-pass digit counts over all threads (for skipping constant digits) from the first sweep;
  // each pass then recounts per thread, because the previous pass permuted the chunks.
  std::vector<std::array<std::size_t, kBuckets>> offsets(static_cast<std::size_t>(threads));
  int current = 0;
  for (unsigned pass = 0; pass < kPasses; ++pass) {
    const std::size_t first = digit(bufs[current][0], pass);
    std::size_t inFirst = 0;
    for (int t = 0; t < threads; ++t) inFirst += counts[std::size_t(t)][pass][first];
    if (inFirst == n) continue;  // every key has the same digit here
    const double* src = bufs[current];
    double* to = bufs[1 - current];
    const unsigned shift = pass * kRadixBits;
    if (threads == 1) {
      std::size_t running = 0;
      for (std::size_t b = 0; b < kBuckets; ++b) {
        offsets[0][b] = running;
        running += counts[0][pass][b];
      }
      auto& offset = offsets[0];
      for (std::size_t i = 0; i < n; ++i) {
        const double v = src[i];
        to[offset[std::size_t(sortKey(v) >> shift) & (kBuckets - 1)]++] = v;
      }
    } else {
#pragma omp parallel num_threads(threads)
      {
        const std::size_t t = std::size_t(omp_get_thread_num());
        const std::size_t nt = std::size_t(omp_get_num_threads());
        const std::size_t begin = n * t / nt, end = n * (t + 1) / nt;
        auto& offset = offsets[t];
        offset.fill(0);
        for (std::size_t i = begin; i < end; ++i) {
          ++offset[std::size_t(sortKey(src[i]) >> shift) & (kBuckets - 1)];
        }
#pragma omp barrier
#pragma omp single
        {
          std::size_t running = 0;
          for (std::size_t b = 0; b < kBuckets; ++b) {
            for (std::size_t u = 0; u < nt; ++u) {
              const std::size_t c = offsets[u][b];
              offsets[u][b] = running;
              running += c;
            }
          }
        }
        for (std::size_t i = begin; i < end; ++i) {
          const double v = src[i];
          to[offset[std::size_t(sortKey(v) >> shift) & (kBuckets - 1)]++] = v;
        }
      }
    }
    current = 1 - current;
  }
  if (current != 0) std::memcpy(dst, bufs[1], n * sizeof(double));
}

}  // namespace detail

namespace {

constexpr std::size_t kMaxExactN = 10000;  // SciPy's MAX_AUTO_N

void requireNonEmpty(std::span<const double> sample, const char* side) {
  if (sample.empty()) {
    throw InputError(std::string("ksTwoSample: the ") + side + " sample is empty");
  }
}

// P(D_{n,n} >= h/n), Hodges' alternating series evaluated Horner-style (as SciPy does).
double probOutsideSquare(std::int64_t n, std::int64_t h) {
  double p = 0.0;
  for (std::int64_t k = n / h; k >= 0; --k) {
    double p1 = 1.0;
    for (std::int64_t j = 0; j < h; ++j) {
      p1 = double(n - k * h - j) * p1 / double(n + k * h + j + 1);
    }
    p = p1 * (1.0 - p);
  }
  return 2.0 * p;
}

// Proportion of lattice paths from (0,0) to (m,n) that leave the band |x/m - y/n| < h/lcm, by the
// inside method with Viehmann's recursion for 1 - p (one sliding column).
double probOutsideBand(std::int64_t m, std::int64_t n, std::int64_t g, std::int64_t h) {
  if (m < n) std::swap(m, n);
  const std::int64_t mg = m / g, ng = n / g;
  std::int64_t minj = 0;
  std::int64_t maxj =
      std::min<std::int64_t>(std::int64_t(std::ceil(double(h) / double(mg))), n + 1);
  std::int64_t curlen = maxj - minj;
  const std::int64_t lenA = std::min<std::int64_t>(2 * maxj + 2, n + 1);
  std::vector<double> a(std::size_t(std::max<std::int64_t>(lenA, 1)), 1.0);
  for (std::int64_t j = minj; j < maxj; ++j) a[std::size_t(j)] = 0.0;
  for (std::int64_t i = 1; i <= m; ++i) {
    const std::int64_t lastminj = minj, lastlen = curlen;
    minj = std::max<std::int64_t>(std::int64_t(std::floor(double(ng * i - h) / double(mg))) + 1, 0);
    minj = std::min(minj, n);
    maxj = std::min<std::int64_t>(std::int64_t(std::ceil(double(ng * i + h) / double(mg))), n + 1);
    if (maxj <= minj) return 1.0;
    double val = minj == 0 ? 0.0 : 1.0;
    for (std::int64_t jj = 0; jj < maxj - minj; ++jj) {
      const std::int64_t j = jj + minj;
      val = (a[std::size_t(jj + minj - lastminj)] * double(i) + val * double(j)) / double(i + j);
      a[std::size_t(jj)] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) {
      for (std::int64_t k = maxj - minj; k < maxj - minj + (lastlen - curlen); ++k) {
        a[std::size_t(k)] = 1.0;
      }
    }
  }
  return a[std::size_t(maxj - minj - 1)];
}

double clip01(double p) { return std::clamp(p, 0.0, 1.0); }

// log(k!) in long double: summed directly for small k, else Stirling's series (error < 1e-18).
long double logFactorial(std::int64_t k) {
  if (k < 50) {
    long double sum = 0.0L;
    for (std::int64_t i = 2; i <= k; ++i) sum += std::log((long double)i);
    return sum;
  }
  const long double kk = (long double)k, r = 1.0L / kk, r2 = r * r;
  constexpr long double kHalfLog2Pi = 0.918938533204672741780329736405617639861L;
  return kk * std::log(kk) - kk + 0.5L * std::log(kk) + kHalfLog2Pi +
         r * (1.0L / 12 - r2 * (1.0L / 360 - r2 * (1.0L / 1260 - r2 * (1.0L / 1680))));
}

// Smirnov's one-sided survival P(D+_n >= x) as SciPy's scipy.special.smirnov computes it: zero
// where -2 n x^2 is below the smallest double's log, the approximation exp(-(6nx+1)^2 / 18n) for
// n > 1e6, and otherwise Birnbaum & Tingey's sum of positive terms, here in long double
// (log-binomials accumulated term by term) so that the sum is good to about 1e-13 relative.
double smirnov(std::int64_t n, double x) {
  constexpr double kMinLog = -7.08396418532264106224e2;  // cephes MINLOG
  constexpr std::int64_t kMaxComputeN = 1000000;         // SciPy's SMIRNOV_MAX_COMPUTE_N
  if (x <= 0.0) return 1.0;
  if (x >= 1.0) return 0.0;
  const double dn = double(n);
  if (-2.0 * dn * x * x < kMinLog) return 0.0;
  if (n > kMaxComputeN) {
    const double logp = -std::pow(6.0 * dn * x + 1.0, 2.0) / 18.0 / dn;
    if (logp < -std::log(2.0)) return std::exp(logp);
    return 1.0 - (-std::expm1(logp));
  }
  // n x split exactly into nxHi + nxLo, so that x + v/n and 1 - x - v/n keep full precision.
  const double nxHi = dn * x;
  const double nxLo = std::fma(dn, x, -nxHi);
  const long double nx = (long double)nxHi + (long double)nxLo;
  const long double logx = std::log((long double)x);
  const long double logn = std::log((long double)n);
  const long double logNFactorial = logFactorial(n);
  // The terms run over v = 0 .. last, where 1 - x - v/n > 0.
  std::int64_t last = n - 1;
  while (last >= 0 && (long double)(n - last) - nx <= 0.0L) --last;
  if (last < 0) return 0.0;
  const auto logTerm = [&](std::int64_t v, long double logBinomial) {
    const long double up = (long double)v + nx;          // n (x + v/n)
    const long double down = (long double)(n - v) - nx;  // n (1 - x - v/n)
    return logBinomial + logx + (long double)(v - 1) * (std::log(up) - logn) +
           (long double)(n - v) * (std::log(down) - logn);
  };
  const auto logBinomialAt = [&](std::int64_t v) {
    return logNFactorial - logFactorial(v) - logFactorial(n - v);
  };
  // The terms rise to one peak and fall; all but a few thousand around it are below 1e-22 of the
  // sum. Find the peak on a coarse grid, then sum outwards from it until the terms are negligible.
  constexpr std::int64_t kGrid = 512;
  const std::int64_t stride = std::max<std::int64_t>(1, (last + 1) / kGrid);
  std::int64_t peak = 0;
  long double best = -std::numeric_limits<long double>::infinity();
  for (std::int64_t v = 0; v <= last; v += stride) {
    const long double value = logTerm(v, logBinomialAt(v));
    if (value > best) {
      best = value;
      peak = v;
    }
  }
  // Terms below e^-55 of the largest (1e-24; at most 1e6 of them) cannot move the sum at 1e-16:
  // bisect for the range where they are larger (the terms are monotone on each side of the peak).
  constexpr long double kDrop = 55.0L;
  const long double threshold = best - kDrop;
  const auto above = [&](std::int64_t v) { return logTerm(v, logBinomialAt(v)) >= threshold; };
  std::int64_t lo = 0, hi = peak;  // first v in [0, peak] above the threshold
  while (lo < hi) {
    const std::int64_t mid = lo + (hi - lo) / 2;
    if (above(mid))
      hi = mid;
    else
      lo = mid + 1;
  }
  const std::int64_t first = lo;
  lo = peak;
  hi = last;  // last v in [peak, last] above the threshold
  while (lo < hi) {
    const std::int64_t mid = hi - (hi - lo) / 2;
    if (above(mid))
      lo = mid;
    else
      hi = mid - 1;
  }
  const std::int64_t end = lo + 1;
  // Sum the range in chunks (in parallel when long), each starting from an exact log-binomial
  // and stepping it by log((n-v)/(v+1)).
  constexpr std::int64_t kChunk = 8192;
  const std::int64_t chunks = (end - first + kChunk - 1) / kChunk;
  long double sum = 0.0L;
#pragma omp parallel for schedule(static) reduction(+ : sum) if (chunks > 2)
  for (std::int64_t c = 0; c < chunks; ++c) {
    const std::int64_t begin = first + c * kChunk;
    const std::int64_t stop = std::min(end, begin + kChunk);
    long double logBinomial = logBinomialAt(begin);
    for (std::int64_t v = begin; v < stop; ++v) {
      sum += std::exp(logTerm(v, logBinomial));
      logBinomial += std::log((long double)(n - v) / (long double)(v + 1));  // C(n, v+1)
    }
  }
  return double(sum);
}

using Matrix = std::vector<double>;

void multiply(const Matrix& a, const Matrix& b, Matrix& out, std::size_t m) {
  std::fill(out.begin(), out.end(), 0.0);
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t k = 0; k < m; ++k) {
      const double aik = a[i * m + k];
      for (std::size_t j = 0; j < m; ++j) out[i * m + j] += aik * b[k * m + j];
    }
  }
}

// P(D_n <= x) by Durbin's matrix method as arranged by Marsaglia, Tsang & Wang (2003).
double kolmogorovCdfDurbin(std::int64_t n, double x) {
  if (x >= 1.0) return 1.0;
  const double nd = double(n) * x;
  if (nd <= 0.5) return 0.0;
  const auto k = std::int64_t(std::ceil(nd));
  const double h = double(k) - nd;
  const auto m = std::size_t(2 * k - 1);
  std::vector<double> v(m), w(m);
  double fac = 1.0;
  for (std::size_t j = 1; j <= m; ++j) {
    w[j - 1] = fac;
    fac /= double(j);
    v[j - 1] = (1.0 - std::pow(h, double(j))) * fac;
  }
  const double tt =
      std::pow(std::max(2.0 * h - 1.0, 0.0), double(m)) - 2.0 * std::pow(h, double(m));
  v[m - 1] = (1.0 + tt) * fac;
  Matrix hm(m * m, 0.0);
  for (std::size_t i = 1; i < m; ++i) {
    for (std::size_t r = i - 1; r < m; ++r) hm[r * m + i] = w[r - (i - 1)];
  }
  for (std::size_t r = 0; r < m; ++r) hm[r * m] = v[r];
  for (std::size_t c = 0; c < m; ++c) hm[(m - 1) * m + c] = v[m - 1 - c];

  constexpr int kE = 128;
  const double kBig = std::ldexp(1.0, kE), kSmall = std::ldexp(1.0, -kE);
  Matrix power(m * m, 0.0), tmp(m * m);
  for (std::size_t i = 0; i < m; ++i) power[i * m + i] = 1.0;
  std::int64_t exponent = 0, hExponent = 0;
  for (std::int64_t nn = n; nn > 0; nn /= 2) {
    if (nn % 2) {
      multiply(power, hm, tmp, m);
      power.swap(tmp);
      exponent += hExponent;
    }
    multiply(hm, hm, tmp, m);
    hm.swap(tmp);
    hExponent *= 2;
    const std::size_t kk = std::size_t(k - 1) * m + std::size_t(k - 1);
    if (std::abs(hm[kk]) > kBig) {
      for (double& e : hm) e /= kBig;
      hExponent += kE;
    }
  }
  double p = power[std::size_t(k - 1) * m + std::size_t(k - 1)];
  for (std::int64_t i = 1; i <= n; ++i) {
    p = double(i) * p / double(n);
    if (std::abs(p) < kSmall) {
      p *= kBig;
      exponent -= kE;
    }
  }
  if (exponent != 0) p = std::ldexp(p, int(exponent));
  return clip01(p);
}

// The Pelz-Good asymptotic expansion of P(D_n <= x) (not clipped).
double kolmogorovCdfPelzGood(std::int64_t n, double x) {
  if (x <= 0.0) return 0.0;
  if (x >= 1.0) return 1.0;
  constexpr double kPi = 3.14159265358979323846;
  const double pi2 = kPi * kPi, pi4 = pi2 * pi2, pi6 = pi4 * pi2;
  const double sqrt2pi = std::sqrt(2.0 * kPi);
  const double z = std::sqrt(double(n)) * x;
  const double z2 = z * z, z3 = z2 * z, z4 = z2 * z2, z6 = z4 * z2;
  const double qlog = -pi2 / 8.0 / z2;
  if (qlog < -708.0) return 0.0;
  double q = std::exp(qlog);
  const double k1a = -z2, k1b = pi2 / 4.0;
  const double k2a = 6.0 * z6 + 2.0 * z4, k2b = (2.0 * z4 - 5.0 * z2) * pi2 / 4.0;
  const double k2c = pi4 * (1.0 - 2.0 * z2) / 16.0;
  const double k3d = pi6 * (5.0 - 30.0 * z2) / 64.0;
  const double k3c = pi4 * (-60.0 * z2 + 212.0 * z4) / 16.0;
  const double k3b = pi2 * (135.0 * z4 - 96.0 * z6) / 4.0;
  const double k3a = -30.0 * z6 - 90.0 * z4 * z4;
  std::array<double, 4> terms{0.0, 0.0, 0.0, 0.0};
  const auto maxk = std::int64_t(std::ceil(16.0 * z / kPi));
  for (std::int64_t k = maxk; k > 0; --k) {
    const double mm = double(2 * k - 1);
    const double m2 = mm * mm, m4 = m2 * m2, m6 = m4 * m2;
    const double qpower = std::pow(q, double(8 * k));
    const std::array<double, 4> coeffs{1.0, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4,
                                       k3a + k3b * m2 + k3c * m4 + k3d * m6};
    for (std::size_t i = 0; i < 4; ++i) terms[i] = terms[i] * qpower + coeffs[i];
  }
  const std::array<double, 4> divisors{z, 6.0 * z4, 72.0 * std::pow(z, 7.0),
                                       6480.0 * std::pow(z, 10.0)};
  for (std::size_t i = 0; i < 4; ++i) terms[i] = terms[i] * q * sqrt2pi / divisors[i];
  q = std::exp(-pi2 / 2.0 / z2);
  const double sqrt3z = std::sqrt(3.0) * z;
  double k2extra = 0.0, k3extra = 0.0;
  for (std::int64_t k = maxk; k > 0; --k) {
    const double kd = double(k), k2 = kd * kd;
    const double qp = std::pow(q, k2);
    k2extra += k2 * qp;
    const double kspi = kPi * kd;
    k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * k2 * qp;
  }
  terms[2] += k2extra * pi2 * sqrt2pi / (-36.0 * z3);
  terms[3] += k3extra * pi2 * sqrt2pi / (216.0 * z6);
  double sum = 0.0;
  for (std::size_t i = 0; i < 4; ++i) sum += terms[i] / std::pow(double(n), double(i) / 2.0);
  return sum;
}

// log(n! / n^n) by Stirling's series (the same truncation SciPy uses).
double logFactorialOverPower(double n) {
  constexpr double kPi = 3.14159265358979323846;
  constexpr double kCoefficients[] = {-2.955065359477124183e-2,  6.4102564102564102564e-3,
                                      -1.9175269175269175269e-3, 8.4175084175084175084e-4,
                                      -5.952380952380952381e-4,  7.9365079365079365079e-4,
                                      -2.7777777777777777778e-3, 8.3333333333333333333e-2};
  const double rn = 1.0 / n, y = rn / n;
  double series = 0.0;
  for (double c : kCoefficients) series = series * y + c;
  return std::log(n) / 2.0 - n + std::log(2.0 * kPi) / 2.0 + rn * series;
}

}  // namespace

double kolmogorovSurvival(std::int64_t n, double x) {
  if (n <= 0) throw InputError("kolmogorovSurvival: n must be positive");
  if (std::isnan(x)) return x;
  const double dn = double(n);
  if (x <= 0.5 / dn) return 1.0;  // below the support
  if (x >= 1.0) return 0.0;
  const double t = dn * x;
  if (t <= 1.0) {  // Ruben-Gambino
    double prob;
    if (n <= 140) {
      prob = 1.0;
      for (std::int64_t i = 1; i <= n; ++i) prob *= double(i) * (1.0 / dn) * (2.0 * t - 1.0);
    } else {
      prob = std::exp(logFactorialOverPower(dn) + dn * std::log(2.0 * t - 1.0));
    }
    return clip01(1.0 - prob);
  }
  if (t >= dn - 1.0) return clip01(2.0 * std::pow(1.0 - x, dn));
  if (x >= 0.5) return clip01(2.0 * smirnov(n, x));
  const double nx2 = t * x;
  if (n <= 140) {
    // SciPy uses Pomeranz's recursion for 0.754693 < n x^2 <= 4; Durbin's matrix method computes
    // the same exact probability.
    if (nx2 <= 4.0) return clip01(1.0 - kolmogorovCdfDurbin(n, x));
    return clip01(2.0 * smirnov(n, x));
  }
  if (nx2 >= 370.0) return 0.0;
  if (nx2 >= 2.2) return clip01(2.0 * smirnov(n, x));
  if (n <= 100000 && dn * std::pow(x, 1.5) <= 1.4) {
    return clip01(1.0 - kolmogorovCdfDurbin(n, x));
  }
  return clip01(1.0 - kolmogorovCdfPelzGood(n, x));
}

KsResult ksTwoSample(std::span<const double> reference, std::span<const double> current) {
  requireNonEmpty(reference, "reference");
  requireNonEmpty(current, "current");
  const std::size_t n1 = reference.size(), n2 = current.size();
  // One slot more each for a sentinel whose order key is above every number's.
  detail::DoubleBuffer a(n1 + 1), b(n2 + 1);
  detail::sortedCopy(reference, a, "ksTwoSample", "reference");
  detail::sortedCopy(current, b, "ksTwoSample", "current");
  const double sentinel = std::bit_cast<double>(~std::uint64_t(0) >> 1);  // key 0xFFFF...F
  a.data()[n1] = sentinel;
  b.data()[n2] = sentinel;

  // Walk the pooled sorted values, one element per step and without branches; after the last
  // copy of each distinct value v (the next pooled value differs), i and j count the values <= v
  // and the difference of the two ECDFs there is a candidate (SciPy evaluates the same
  // differences, as searchsorted(side='right') / n at every pooled value). Equal doubles have
  // equal keys because -0.0 was stored as +0.0.
  const double* pa = a.data();
  const double* pb = b.data();
  const double dn1 = double(n1), dn2 = double(n2);
  double maxDiff = -2.0, minDiff = 2.0;
  std::size_t i = 0, j = 0;
  std::uint64_t ka = detail::orderKey(pa[0]), kb = detail::orderKey(pb[0]);
  for (std::size_t step = 0, steps = n1 + n2; step < steps; ++step) {
    const bool takeA = ka <= kb;
    const std::uint64_t v = takeA ? ka : kb;
    i += takeA;
    j += !takeA;
    ka = detail::orderKey(pa[i]);
    kb = detail::orderKey(pb[j]);
    const bool last = std::min(ka, kb) != v;
    const double diff = double(i) / dn1 - double(j) / dn2;
    maxDiff = last && diff > maxDiff ? diff : maxDiff;
    minDiff = last && diff < minDiff ? diff : minDiff;
  }
  // The last step (every value counted) gives 0, so both extremes have been bounded by 0.
  const double minS = std::clamp(-minDiff, 0.0, 1.0);
  double d = minS > maxDiff ? minS : maxDiff;

  KsResult result;
  const auto s1 = std::int64_t(n1), s2 = std::int64_t(n2);
  if (std::max(n1, n2) <= kMaxExactN) {
    const std::int64_t g = std::gcd(s1, s2);
    const std::int64_t lcm = (s1 / g) * s2;
    const auto h = std::int64_t(std::nearbyint(d * double(lcm)));
    d = double(h) / double(lcm);
    double prob = 1.0;
    if (h != 0) prob = s1 == s2 ? probOutsideSquare(s1, h) : probOutsideBand(s1, s2, g, h);
    if (prob >= 0.0 && prob <= 1.0) {
      result.statistic = d;
      result.pValue = prob;
      result.method = "exact";
      return result;
    }
  }
  const double big = double(std::max(n1, n2)), small = double(std::min(n1, n2));
  const double en = big * small / (big + small);
  result.statistic = d;
  result.pValue = clip01(kolmogorovSurvival(std::int64_t(std::nearbyint(en)), d));
  result.method = "asymp";
  return result;
}

}  // namespace geih::drift
