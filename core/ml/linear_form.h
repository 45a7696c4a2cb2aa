// A linear model's score as a fixed function of each row's raw inputs:
//   link(intercept + sum_j coefficient_j * (x_j, or its fill value when missing, - center_j) / scale_j)
// with the standardisation folded into the coefficients (w_j = coefficient_j / scale_j, one
// intercept), evaluated input by input over arrays: a raster's band strips are scored without
// gathering pixels into rows, without a transformed design matrix and without a division per
// value. The folding changes the rounding, not the model: scores agree with Model::predictDense
// to a few units in the last place of a double (tested), far below the float32 of a map.
#pragma once

#include <cmath>
#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "core/ml/feature_pipeline.h"

namespace geih::ml {

// The logistic function, stable for large |z|.
inline double logisticSigmoid(double z) {
  if (z >= 0) return 1.0 / (1.0 + std::exp(-z));
  const double e = std::exp(z);
  return e / (1.0 + e);
}

class LinearForm {
 public:
  enum class Link { Identity, Logistic };

  // `coefficients` on the pipeline's outputs, which must be one per input (numeric or boolean
  // inputs, no one-hot): the caller checks, or uses of().
  LinearForm(const FeaturePipeline& pipeline, std::span<const double> coefficients,
             double intercept, Link link);

  // The form of a linear model over `pipeline` when every input is numeric or boolean (one
  // output each) and no feature is derived before the pipeline; empty otherwise.
  static std::optional<LinearForm> of(const FeaturePipeline& pipeline, bool derivesFeatures,
                                      std::span<const double> coefficients, double intercept,
                                      Link link);

  std::size_t inputs() const { return m_weights.size(); }

  // out[i] for i < count from columns[j][i], one array per pipeline input (NaN = missing).
  void predictColumns(std::span<const float* const> columns, std::size_t count,
                      double* out) const;

 private:
  std::vector<double> m_fill, m_weights;  // per input: missing value, folded coefficient
  double m_intercept;                      // folded
  Link m_link;
};

}  // namespace geih::ml
