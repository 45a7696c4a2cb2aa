// Quantile binning shared by every tree of a model (histogram learners: gbdt, forest, tree).
//
// Each design-matrix column (FeaturePipeline::fitForTrees outputs) is mapped once to small bin
// indices; trees then split on bins, and a split on bin b of a numeric feature is stored as the
// raw threshold upperBounds[b] ("value <= threshold goes left"), so a model predicts from raw
// values without the binning.
//   numeric      at most maxBins value bins. With no more distinct values than maxBins every
//                distinct value gets its own bin (the splits are then exact); otherwise bin edges
//                are quantiles of the column (of a systematic sample of at most 100,000 values
//                from a seeded start when longer).
//   categorical  the ordinal code is the bin (codes >= maxBins share the missing bin).
//   missing      NaN always falls in kMissingBin, whatever the number of value bins.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/common/progress.h"
#include "core/ml/feature_pipeline.h"
#include "core/table/table.h"

namespace geih::ml {

inline constexpr std::uint8_t kMissingBin = 255;
inline constexpr int kMaxValueBins = 255;

struct FeatureBins {
  bool categorical = false;
  // Numeric: value bin b holds the values <= upperBounds[b] and > upperBounds[b - 1]; the last
  // bound is +infinity. Categorical: empty.
  std::vector<double> upperBounds;
  int valueBins = 0;  // bins 0 .. valueBins-1 can hold values

  std::uint8_t binOf(double value) const;
};

// Bins of one column from its training values (NaN = missing). maxBins in [2, 255].
FeatureBins fitFeatureBins(std::span<const double> values, bool categorical, int maxBins,
                           std::uint64_t seed);

// The binned training matrix: column-major n x p bytes.
class BinnedMatrix {
 public:
  BinnedMatrix() = default;
  std::size_t rows() const { return m_rows; }
  std::size_t features() const { return m_bins.size(); }
  const std::uint8_t* column(std::size_t feature) const { return m_data.data() + feature * m_rows; }
  const FeatureBins& bins(std::size_t feature) const { return m_bins[feature]; }
  const std::vector<FeatureBins>& allBins() const { return m_bins; }

  // Fits the bins of every pipeline output on `data` and bins it (columns in parallel on
  // `threads`, 0 = all cores). Reports progress per column; throws Cancelled.
  static BinnedMatrix fit(const FeaturePipeline& pipeline, const table::Table& data, int maxBins,
                          std::uint64_t seed, int threads, Progress& progress);
  // Bins `data` with bins fitted before (validation rows, or rows scored in bin space).
  static BinnedMatrix apply(const FeaturePipeline& pipeline, const std::vector<FeatureBins>& bins,
                            const table::Table& data, int threads);

 private:
  std::size_t m_rows = 0;
  std::vector<FeatureBins> m_bins;
  std::vector<std::uint8_t> m_data;
};

}  // namespace geih::ml
