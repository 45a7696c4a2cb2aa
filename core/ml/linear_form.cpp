#include "core/ml/linear_form.h"

#include <algorithm>
#include <cmath>

#include "core/ml/fast_exp.h"

namespace geih::ml {

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
