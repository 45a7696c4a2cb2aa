// Gradient histograms: per feature and bin, the sums of gradients, hessians and rows that fall in
// the bin, over the rows of one tree node. The histogram learners find every split from these.
//
// Each feature's histogram is summed over the node's rows in row order by one thread, so the sums
// (and the trees) are the same bits whatever the number of threads. Rows are taken in blocks
// whose gradients stay in cache while every feature of the thread reads them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/ml/feature_binning.h"

namespace geih::ml {

// Single precision, as XGBoost stores them: half the memory traffic of doubles, and the
// histograms still sum in double.
struct GradientPair {
  float g = 0.0f;
  float h = 0.0f;
};

// 32 bytes, aligned: one bin is one 256-bit add where the CPU has AVX2 (the same IEEE sums as
// the scalar path, so the trees do not depend on it).
struct alignas(32) HistBin {
  double g = 0.0;
  double h = 0.0;
  double count = 0.0;
  double unused = 0.0;
};

inline constexpr std::size_t kHistBins = 256;  // value bins and kMissingBin

// Histograms of `features` (out holds features.size() x kHistBins bins, overwritten) over `rows`
// (indices into the matrix and into `gradients`). `allRows` says rows is 0..n-1 in order, which
// lets the loop read the columns sequentially.
void buildHistograms(const BinnedMatrix& matrix, std::span<const std::uint32_t> rows,
                     bool allRows, const GradientPair* gradients,
                     std::span<const std::int32_t> features, HistBin* out, int threads);

// parent -= child, bin by bin, over `bins` bins.
void subtractHistogram(HistBin* parent, const HistBin* child, std::size_t bins);

}  // namespace geih::ml
