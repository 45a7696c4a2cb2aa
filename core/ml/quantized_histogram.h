// Gradient histograms from quantised gradients (core/ml/quantized_gradients.h) over a row-major
// copy of the bins: the gradient-boosting fast path.
//
// Why row-major: a node below the root holds scattered rows, and reading one feature column at a
// time misses the cache once per row and feature. Row-major, a row's bins for every feature sit in
// one cache line; the histograms they add into (features x 256 bins of 8 bytes, 40 KB for 20
// features) stay in the first-level caches, which the 32-byte double bins of the exact path
// (tree_histogram.h) did not.
//
// The result is written as HistBin sums (gradient sum x gScale, hessian sum x hScale, exact
// count), so the split finder and the subtraction trick work unchanged. Integer sums make it the
// same bits for any thread count.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/ml/feature_binning.h"
#include "core/ml/quantized_gradients.h"
#include "core/ml/tree_histogram.h"

namespace geih::ml {

class RowMajorBins {
 public:
  RowMajorBins() = default;
  // The bins of `matrix` transposed (rows in parallel on `threads`).
  RowMajorBins(const BinnedMatrix& matrix, int threads);
  std::size_t rows() const { return m_rows; }
  std::size_t features() const { return m_features; }
  const std::uint8_t* row(std::size_t index) const { return m_data.data() + index * m_features; }
  const std::uint8_t* data() const { return m_data.data(); }

 private:
  std::size_t m_rows = 0, m_features = 0;
  std::vector<std::uint8_t> m_data;
};

// Histograms of `features` (out: features.size() x kHistBins, overwritten) over `rows`;
// `allRows` says rows is 0..n-1 in order.
void buildQuantizedHistograms(const RowMajorBins& bins, std::span<const std::uint32_t> rows,
                              bool allRows, const QuantizedGradients& gradients,
                              std::span<const std::int32_t> features, HistBin* out, int threads);

}  // namespace geih::ml
