#include "core/ml/linear_form.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>

namespace geih::ml {
namespace {

// exp(x) for x <= 0 to within a few units in the last place, in straight-line arithmetic
// that vectorises (the library's exp is a call per value): x = k ln2 + r with |r| <= ln2 / 2,
// exp(r) by its Taylor series to r^13 (remainder below 1e-17), times 2^k built in the exponent
// bits. Below -708 (where 2^k would leave the normal range) the result is exp(-708) ~ 3e-308,
// which no probability map can tell from 0.
inline double expNonPositive(double x) {
  constexpr double kLog2e = 1.4426950408889634;
  constexpr double kLn2High = 0.693147180369123816490;  // ln 2 with the low bits cleared
  constexpr double kLn2Low = 1.90821492927058770002e-10;
  constexpr double kRound = 0x1.8p52;  // adding it rounds to an integer held in the low bits
  x = std::max(x, -708.0);
  const double shifted = x * kLog2e + kRound;
  const double k = shifted - kRound;
  const double r = (x - k * kLn2High) - k * kLn2Low;
  double poly = 1.0 / 6227020800.0;  // 1/13!
  poly = poly * r + 1.0 / 479001600.0;
  poly = poly * r + 1.0 / 39916800.0;
  poly = poly * r + 1.0 / 3628800.0;
  poly = poly * r + 1.0 / 362880.0;
  poly = poly * r + 1.0 / 40320.0;
  poly = poly * r + 1.0 / 5040.0;
  poly = poly * r + 1.0 / 720.0;
  poly = poly * r + 1.0 / 120.0;
  poly = poly * r + 1.0 / 24.0;
  poly = poly * r + 1.0 / 6.0;
  poly = poly * r + 0.5;
  poly = poly * r + 1.0;
  poly = poly * r + 1.0;
  const std::int64_t exponent =
      std::bit_cast<std::int64_t>(shifted) - std::bit_cast<std::int64_t>(kRound);
  return poly * std::bit_cast<double>(std::uint64_t(exponent + 1023) << 52);
}

}  // namespace

LinearForm::LinearForm(const FeaturePipeline& pipeline, std::span<const double> coefficients,
                       double intercept, Link link)
    : m_intercept(intercept), m_link(link) {
  for (std::size_t j = 0; j < coefficients.size(); ++j) {
    const double scale = pipeline.scales()[j];
    m_fill.push_back(pipeline.fillValue(j));
    m_weights.push_back(coefficients[j] / scale);
    m_intercept -= coefficients[j] * pipeline.centers()[j] / scale;
  }
}

std::optional<LinearForm> LinearForm::of(const FeaturePipeline& pipeline, bool derivesFeatures,
                                         std::span<const double> coefficients, double intercept,
                                         Link link) {
  if (derivesFeatures || pipeline.outputCount() != pipeline.inputs().size()) return std::nullopt;
  for (const FeatureSpec& input : pipeline.inputs()) {
    if (input.type == table::ColumnType::Categorical) return std::nullopt;
  }
  return LinearForm(pipeline, coefficients, intercept, link);
}

// Also built for AVX2, chosen at load time where the CPU has it: 4 doubles a step instead of 2.
// Without FMA, every value goes through the same IEEE operations, so both give the same bits.
__attribute__((target_clones("avx512f", "avx2", "default"))) void LinearForm::predictColumns(
    std::span<const float* const> columns, std::size_t count, double* out) const {
  std::fill(out, out + count, m_intercept);
  for (std::size_t j = 0; j < m_weights.size(); ++j) {
    const float* values = columns[j];
    const double fill = m_fill[j], weight = m_weights[j];
    for (std::size_t i = 0; i < count; ++i) {
      const double v = double(values[i]);
      out[i] += (v != v ? fill : v) * weight;  // NaN (missing) -> the training fill value
    }
  }
  if (m_link == Link::Logistic) {
    for (std::size_t i = 0; i < count; ++i) {
      // logisticSigmoid without a branch on the sign of z (not predictable) and with an exp the
      // compiler vectorises: e = exp(-|z|), 1 / (1 + e) for z >= 0, e / (1 + e) below.
      const double z = out[i];
      const double e = expNonPositive(-std::fabs(z));
      const double positive = 1.0 / (1.0 + e);
      out[i] = z >= 0 ? positive : e * positive;
    }
  }
}

}  // namespace geih::ml
