#include "core/ml/feature_binning.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/common/error.h"
#include "core/common/rng.h"
#include "core/ml/split_finder.h"

namespace geih::ml {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

TEST(FeatureBinningTest, FewDistinctValuesGetOneBinEachWithMidpointBounds) {
  const std::vector<double> values = {3.0, -1.0, 3.0, 0.0, kNaN, -0.0, 10.0, -1.0};
  const FeatureBins bins = fitFeatureBins(values, false, 255, 1);
  // Distinct: -1, 0 (0.0 and -0.0 compare equal), 3, 10 -> bounds at the midpoints, then +inf.
  ASSERT_EQ(bins.valueBins, 4);
  EXPECT_EQ(bins.upperBounds[0], -0.5);
  EXPECT_EQ(bins.upperBounds[1], 1.5);
  EXPECT_EQ(bins.upperBounds[2], 6.5);
  EXPECT_TRUE(std::isinf(bins.upperBounds[3]));
  EXPECT_EQ(bins.binOf(-1.0), 0);
  EXPECT_EQ(bins.binOf(-0.5), 0);  // a value equal to a bound belongs to the bin below it
  EXPECT_EQ(bins.binOf(-0.4), 1);
  EXPECT_EQ(bins.binOf(3.0), 2);
  EXPECT_EQ(bins.binOf(1e300), 3);
  EXPECT_EQ(bins.binOf(kNaN), kMissingBin);
}

TEST(FeatureBinningTest, ManyValuesGetEqualFrequencyQuantileBins) {
  // 0..9999 in a shuffled order: 100 bins of 100 values each.
  std::vector<double> values(10000);
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = double(i);
  Rng rng(3);
  rng.shuffle(values);
  const FeatureBins bins = fitFeatureBins(values, false, 100, 1);
  ASSERT_EQ(bins.valueBins, 100);
  std::vector<int> counts(100, 0);
  for (const double value : values) ++counts[bins.binOf(value)];
  for (const int count : counts) EXPECT_EQ(count, 100);
  // Bounds ascend and sit between neighbouring values.
  EXPECT_TRUE(std::is_sorted(bins.upperBounds.begin(), bins.upperBounds.end()));
  EXPECT_EQ(bins.upperBounds[0], 99.5);
}

TEST(FeatureBinningTest, NegativeAndPositiveValuesSortCorrectly) {
  std::vector<double> values;
  Rng rng(8);
  for (int i = 0; i < 300; ++i) values.push_back(std::round(rng.normal() * 1000) / 8);
  const FeatureBins bins = fitFeatureBins(values, false, 255, 1);
  EXPECT_TRUE(std::is_sorted(bins.upperBounds.begin(), bins.upperBounds.end()));
  // Monotone: a larger value never falls in a lower bin.
  std::vector<double> sorted = values;
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t i = 1; i < sorted.size(); ++i) {
    EXPECT_LE(bins.binOf(sorted[i - 1]), bins.binOf(sorted[i]));
  }
}

TEST(FeatureBinningTest, CategoricalCodesAreTheirBins) {
  const std::vector<double> codes = {0, 2, 1, kNaN, 2};
  const FeatureBins bins = fitFeatureBins(codes, true, 255, 1);
  EXPECT_TRUE(bins.categorical);
  EXPECT_EQ(bins.valueBins, 3);
  EXPECT_EQ(bins.binOf(2.0), 2);
  EXPECT_EQ(bins.binOf(kNaN), kMissingBin);
  EXPECT_EQ(bins.binOf(7.0), kMissingBin);  // a code never seen in training
  EXPECT_THROW(fitFeatureBins(codes, false, 1, 1), InputError);
}

TEST(SplitFinderTest, NewtonGainOfATinyHistogramMatchesTheFormula) {
  std::vector<HistBin> histogram(kHistBins);
  histogram[0] = {-2.0, 1.0, 2.0, 0.0};
  histogram[1] = {3.0, 2.0, 3.0, 0.0};
  FeatureBins bins;
  bins.upperBounds = {0.5, std::numeric_limits<double>::infinity()};
  bins.valueBins = 2;
  SplitRules rules;
  rules.lambda = 1.0;
  const NodeTotals totals{1.0, 3.0, 5.0};
  const SplitCandidate split = findBestSplit(histogram.data(), bins, 7, totals, rules);
  ASSERT_TRUE(split.valid);
  // G_L^2/(H_L+1) + G_R^2/(H_R+1) - G^2/(H+1) = 4/2 + 9/3 - 1/4.
  EXPECT_DOUBLE_EQ(split.gain, 4.75);
  EXPECT_EQ(split.feature, 7);
  EXPECT_EQ(split.bin, 0);
  EXPECT_FALSE(split.defaultLeft);  // no missing values: missing follows the larger side (right)
  EXPECT_EQ(split.left.count, 2.0);
  EXPECT_EQ(split.right.count, 3.0);

  rules.minChildSamples = 3;  // the left side keeps only 2 rows
  EXPECT_FALSE(findBestSplit(histogram.data(), bins, 7, totals, rules).valid);
}

TEST(SplitFinderTest, MissingValuesGoToTheSideThatGainsMore) {
  std::vector<HistBin> histogram(kHistBins);
  histogram[0] = {-4.0, 2.0, 2.0, 0.0};
  histogram[1] = {4.0, 2.0, 2.0, 0.0};
  histogram[kMissingBin] = {-4.0, 2.0, 2.0, 0.0};  // missing rows look like bin 0
  FeatureBins bins;
  bins.upperBounds = {0.5, std::numeric_limits<double>::infinity()};
  bins.valueBins = 2;
  SplitRules rules;
  const SplitCandidate split = findBestSplit(histogram.data(), bins, 0, {-4.0, 6.0, 6.0}, rules);
  ASSERT_TRUE(split.valid);
  EXPECT_TRUE(split.defaultLeft);
  EXPECT_EQ(split.left.count, 4.0);
  // 64/4 + 16/2 - 16/6
  EXPECT_NEAR(split.gain, 16.0 + 8.0 - 16.0 / 6.0, 1e-12);
}

}  // namespace
}  // namespace geih::ml
