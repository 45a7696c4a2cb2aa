// Gradient histograms: the exact double bins and gbdt's quantised gradients over row-major bins
// equal sums computed row by row, on all rows and on a node's scattered rows, on one and two
// threads; the packed layout holds a whole chunk of extreme rows; stochastic rounding is unbiased.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "core/common/progress.h"
#include "core/common/rng.h"
#include "core/ml/feature_binning.h"
#include "core/ml/feature_pipeline.h"
#include "core/ml/quantized_gradients.h"
#include "core/ml/quantized_histogram.h"
#include "core/ml/tree_histogram.h"

namespace geih::ml {
namespace {

using table::Column;
using table::Table;

// More rows than two packed chunks, so each of two threads sums several chunks.
constexpr std::size_t kRows = 150000;
constexpr std::size_t kFeatures = 4;

struct Fixture {
  Table table;
  BinnedMatrix matrix;
  std::vector<GradientPair> gradients;
};

const Fixture& fixture() {
  static const Fixture data = [] {
    Fixture f;
    Rng rng(21);
    for (std::size_t j = 0; j < kFeatures; ++j) {
      std::vector<double> values(kRows);
      for (double& v : values) {
        // Column 3 holds a few distinct values and missing ones.
        v = j == 3 ? (rng.uniform() < 0.1 ? std::nan("") : double(rng.below(5))) : rng.normal();
      }
      f.table.addColumn(Column::numeric("x" + std::to_string(j), std::move(values)));
    }
    const auto pipeline = FeaturePipeline::fitForTrees(f.table, {"x0", "x1", "x2", "x3"});
    f.matrix = BinnedMatrix::fit(pipeline, f.table, 255, 1, 1, Progress::none());
    f.gradients.resize(kRows);
    for (GradientPair& pair : f.gradients) {
      pair = {float(rng.uniform(-1.0, 1.0)), float(rng.uniform(0.0, 0.25))};
    }
    return f;
  }();
  return data;
}

// A node's rows: every row whose index is 1 or 2 mod 3, in order.
std::vector<std::uint32_t> nodeRows() {
  std::vector<std::uint32_t> rows;
  for (std::uint32_t i = 0; i < kRows; ++i) {
    if (i % 3 != 0) rows.push_back(i);
  }
  return rows;
}

std::vector<std::uint32_t> allRows() {
  std::vector<std::uint32_t> rows(kRows);
  std::iota(rows.begin(), rows.end(), 0u);
  return rows;
}

TEST(HistogramTest, ExactBinsAreTheRowByRowSums) {
  const Fixture& f = fixture();
  const std::vector<std::int32_t> features = {2, 0, 3};  // a subset, out of order
  for (const bool all : {true, false}) {
    const std::vector<std::uint32_t> rows = all ? allRows() : nodeRows();
    std::vector<HistBin> expected(features.size() * kHistBins);
    for (std::size_t k = 0; k < features.size(); ++k) {
      const std::uint8_t* column = f.matrix.column(std::size_t(features[k]));
      for (const std::uint32_t row : rows) {
        HistBin& bin = expected[k * kHistBins + column[row]];
        bin.g += double(f.gradients[row].g);
        bin.h += double(f.gradients[row].h);
        bin.count += 1;
      }
    }
    for (const int threads : {1, 2}) {
      std::vector<HistBin> out(features.size() * kHistBins);
      buildHistograms(f.matrix, rows, all, f.gradients.data(), features, out.data(), threads);
      for (std::size_t b = 0; b < out.size(); ++b) {
        // Summed in row chunks then added: equal up to rounding of ~1e5 terms.
        ASSERT_NEAR(out[b].g, expected[b].g, 1e-9) << "bin " << b << " threads " << threads;
        ASSERT_NEAR(out[b].h, expected[b].h, 1e-9) << "bin " << b << " threads " << threads;
        ASSERT_EQ(out[b].count, expected[b].count) << "bin " << b << " threads " << threads;
      }
    }
  }
}

TEST(HistogramTest, RowMajorBinsHoldTheColumnsTransposed) {
  const Fixture& f = fixture();
  const RowMajorBins bins(f.matrix, 2);
  ASSERT_EQ(bins.rows(), kRows);
  ASSERT_EQ(bins.features(), kFeatures);
  for (std::size_t row = 0; row < kRows; row += 997) {
    for (std::size_t j = 0; j < kFeatures; ++j) {
      ASSERT_EQ(bins.row(row)[j], f.matrix.column(j)[row]) << "row " << row << " feature " << j;
    }
  }
}

TEST(HistogramTest, PackedSumsHoldAWholeChunkOfExtremeRows) {
  // The largest sums a chunk can reach, and the most negative gradient sum.
  std::int64_t high = 0, low = 0, mixed = 0;
  for (std::size_t i = 0; i < kPackedChunkRows; ++i) {
    high += packGradient(kQuantLevels, kQuantLevels);
    low += packGradient(-kQuantLevels, 0);
    mixed += packGradient(i % 2 ? -3 : 5, std::int64_t(i % 7));
  }
  const std::int64_t rows = std::int64_t(kPackedChunkRows);
  EXPECT_EQ(packedGradientSum(high), kQuantLevels * rows);
  EXPECT_EQ(packedHessianSum(high), kQuantLevels * rows);
  EXPECT_EQ(packedCount(high), rows);
  EXPECT_EQ(packedGradientSum(low), -kQuantLevels * rows);
  EXPECT_EQ(packedHessianSum(low), 0);
  EXPECT_EQ(packedCount(low), rows);
  // 32768 rows of 5 and 32768 of -3; hessians 0..6 repeating: 9362 full cycles of 21 + 0+1.
  EXPECT_EQ(packedGradientSum(mixed), 32768 * 5 - 32768 * 3);
  EXPECT_EQ(packedHessianSum(mixed), 9362 * 21 + 0 + 1);
  EXPECT_EQ(packedCount(mixed), rows);
}

TEST(HistogramTest, StochasticRoundingIsUnbiasedAndStaysOnTheTwoNearestLevels) {
  // Bounds 1 and 0.25: g = 0.3 sits at level 38.1, h = 0.05 at level 25.4.
  constexpr std::size_t kCount = 200000;
  QuantizedGradients q;
  q.prepare(kCount, 1.0, 0.25, 7);
  double gSum = 0, hSum = 0;
  for (std::uint32_t row = 0; row < kCount; ++row) {
    q.quantize(row, {0.3f, 0.05f});
    const std::int64_t gq = packedGradientSum(q.packed[row]);
    const std::int64_t hq = packedHessianSum(q.packed[row]);
    ASSERT_TRUE(gq == 38 || gq == 39) << gq;
    ASSERT_TRUE(hq == 25 || hq == 26) << hq;
    gSum += double(gq);
    hSum += double(hq);
  }
  // Bernoulli(0.1) and (0.4) parts: standard errors 0.0007 and 0.0011; 5 of them allowed.
  EXPECT_NEAR(gSum / kCount, 0.3 * 127, 0.0035);
  EXPECT_NEAR(hSum / kCount, 0.05 / 0.25 * 127, 0.0055);
  EXPECT_DOUBLE_EQ(q.gScale, 1.0 / 127);
  EXPECT_DOUBLE_EQ(q.hScale, 0.25 / 127);
  // Values at the bounds map to the end levels exactly.
  q.quantize(0, {-1.0f, 0.25f});
  EXPECT_EQ(packedGradientSum(q.packed[0]), -kQuantLevels);
  EXPECT_EQ(packedHessianSum(q.packed[0]), kQuantLevels);
}

TEST(HistogramTest, QuantizeGradientsTakesItsBoundsFromTheRows) {
  const std::vector<GradientPair> gradients = {{0.5f, 1.0f}, {-2.0f, 1.0f}, {9.0f, 4.0f}};
  const std::vector<std::uint32_t> rows = {0, 1};  // row 2 is not quantised
  QuantizedGradients q;
  quantizeGradients(gradients.data(), rows, 3, 1, 1, q);
  EXPECT_DOUBLE_EQ(q.gScale, 2.0 / 127);
  EXPECT_DOUBLE_EQ(q.hScale, 1.0 / 127);
  EXPECT_EQ(packedGradientSum(q.packed[1]), -127);
  EXPECT_EQ(packedHessianSum(q.packed[1]), 127);
  const std::int64_t g0 = packedGradientSum(q.packed[0]);  // 0.5 / (2/127) = 31.75
  EXPECT_TRUE(g0 == 31 || g0 == 32) << g0;
  EXPECT_EQ(packedCount(q.packed[0]), 1);
}

TEST(HistogramTest, QuantizedBinsAreTheIntegerSumsOfTheRowsOnAnyThreadCount) {
  const Fixture& f = fixture();
  const RowMajorBins bins(f.matrix, 1);
  QuantizedGradients q;
  quantizeGradients(f.gradients.data(), allRows(), kRows, 3, 1, q);
  const std::vector<std::int32_t> features = {3, 1};
  for (const bool all : {true, false}) {
    const std::vector<std::uint32_t> rows = all ? allRows() : nodeRows();
    std::vector<std::int64_t> g(features.size() * kHistBins), h(g.size()), count(g.size());
    for (std::size_t k = 0; k < features.size(); ++k) {
      const std::uint8_t* column = f.matrix.column(std::size_t(features[k]));
      for (const std::uint32_t row : rows) {
        const std::size_t b = k * kHistBins + column[row];
        g[b] += packedGradientSum(q.packed[row]);
        h[b] += packedHessianSum(q.packed[row]);
        count[b] += 1;
      }
    }
    for (const int threads : {1, 2}) {
      std::vector<HistBin> out(features.size() * kHistBins);
      buildQuantizedHistograms(bins, rows, all, q, features, out.data(), threads);
      for (std::size_t b = 0; b < out.size(); ++b) {
        ASSERT_EQ(out[b].g, double(g[b]) * q.gScale) << "bin " << b << " threads " << threads;
        ASSERT_EQ(out[b].h, double(h[b]) * q.hScale) << "bin " << b << " threads " << threads;
        ASSERT_EQ(out[b].count, double(count[b])) << "bin " << b << " threads " << threads;
      }
    }
  }
}

}  // namespace
}  // namespace geih::ml
