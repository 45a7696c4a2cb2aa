#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "core/common/error.h"
#include "core/table/profile.h"
#include "core/table/split.h"
#include "core/table/synthetic_fire.h"

namespace geih::table {
namespace {

TEST(ProfileTest, NumericStatisticsMatchHandComputedValues) {
  Table t;
  t.addColumn(Column::numeric("v", {4, 1, std::nan(""), 3, 2, 5, 5}));
  const ColumnProfile p = profileTable(t).front();
  EXPECT_EQ(p.count, 6u);
  EXPECT_EQ(p.missing, 1u);
  EXPECT_EQ(p.distinct, 5u);
  EXPECT_DOUBLE_EQ(*p.mean, 20.0 / 6.0);
  // Sample variance: sum (x - 10/3)^2 / 5 = 13.3333... / 5
  EXPECT_NEAR(*p.stddev, std::sqrt((40.0 / 3.0) / 5.0), 1e-12);
  EXPECT_EQ(*p.min, 1.0);
  EXPECT_EQ(*p.max, 5.0);
  // numpy.quantile([1,2,3,4,5,5], [.05,.25,.5,.75,.95]) = [1.25, 2.25, 3.5, 4.75, 5.0]
  ASSERT_EQ(p.quantiles.size(), 5u);
  EXPECT_DOUBLE_EQ(p.quantiles[0], 1.25);
  EXPECT_DOUBLE_EQ(p.quantiles[1], 2.25);
  EXPECT_DOUBLE_EQ(p.quantiles[2], 3.5);
  EXPECT_DOUBLE_EQ(p.quantiles[3], 4.75);
  EXPECT_DOUBLE_EQ(p.quantiles[4], 5.0);
}

TEST(ProfileTest, CategoricalTopValuesAndJson) {
  Table t;
  t.addColumn(Column::categoricalFromStrings("c", {"b", "a", "b", "c", "b", "a", ""},
                                             {false, false, false, false, false, false, true}));
  const ColumnProfile p = profileTable(t).front();
  EXPECT_EQ(p.count, 6u);
  EXPECT_EQ(p.missing, 1u);
  EXPECT_EQ(p.distinct, 3u);
  ASSERT_EQ(p.topValues.size(), 3u);
  EXPECT_EQ(p.topValues[0], (std::pair<std::string, std::size_t>{"b", 3}));
  EXPECT_EQ(p.topValues[1], (std::pair<std::string, std::size_t>{"a", 2}));
  const auto json = toJson(p);
  EXPECT_EQ(json["type"], "categorical");
  EXPECT_TRUE(json["mean"].is_null());
  EXPECT_EQ(json["top_values"][0][0], "b");
}

TEST(SplitTest, StratifiedSplitKeepsClassSharesAndIsDeterministic) {
  std::vector<double> labels(1000, 0.0);
  for (std::size_t i = 0; i < 1000; i += 10) labels[i] = 1.0;  // 10% positives
  const Column label = Column::numeric("y", labels);
  const SplitIndices a = stratifiedSplit(label, 0.2, 7);
  const SplitIndices b = stratifiedSplit(label, 0.2, 7);
  const SplitIndices c = stratifiedSplit(label, 0.2, 8);
  EXPECT_EQ(a.test, b.test);
  EXPECT_NE(a.test, c.test);
  ASSERT_EQ(a.test.size(), 200u);
  ASSERT_EQ(a.train.size(), 800u);
  std::size_t testPositives = 0;
  for (std::size_t row : a.test) testPositives += labels[row] == 1.0;
  EXPECT_EQ(testPositives, 20u);  // exactly 20% of the 100 positives
  std::set<std::size_t> all(a.train.begin(), a.train.end());
  all.insert(a.test.begin(), a.test.end());
  EXPECT_EQ(all.size(), 1000u);  // a partition
  EXPECT_TRUE(std::is_sorted(a.test.begin(), a.test.end()));
}

TEST(SplitTest, RandomSplitSizesAndBadFraction) {
  const SplitIndices s = randomSplit(101, 0.3, 1);
  EXPECT_EQ(s.test.size(), 30u);  // round(30.3)
  EXPECT_EQ(s.train.size(), 71u);
  EXPECT_THROW(randomSplit(10, 0.0, 1), InputError);
  EXPECT_THROW(randomSplit(10, 1.0, 1), InputError);
  EXPECT_THROW(stratifiedSplit(Column::numeric("y", {0, 1}), -0.5, 1), InputError);
}

TEST(SyntheticFireTest, DeterministicRealisticAndLabelledByTheKnownFunction) {
  SyntheticFireOptions options;
  options.rows = 20000;
  const Table a = makeSyntheticFireTable(options);
  const Table b = makeSyntheticFireTable(options);
  options.seed = 43;
  const Table c = makeSyntheticFireTable(options);
  ASSERT_EQ(a.rowCount(), 20000u);
  EXPECT_EQ(a.columnCount(), 15u);
  const auto fireA = a.column("fire").numbers();
  const auto fireB = b.column("fire").numbers();
  EXPECT_TRUE(std::equal(fireA.begin(), fireA.end(), fireB.begin()));
  EXPECT_NE(a.column("temperature_c").numbers()[0], c.column("temperature_c").numbers()[0]);
  double positives = 0;
  for (double v : fireA) positives += v;
  EXPECT_GT(positives / 20000, 0.08);
  EXPECT_LT(positives / 20000, 0.25);
  EXPECT_EQ(a.column("land_cover").type(), ColumnType::Categorical);
  EXPECT_EQ(a.column("land_cover").dictionary().size(), 5u);
  // Every coefficient of the risk function names a generated column.
  for (const auto& [name, coefficient] : fireRiskFunction().coefficients) {
    EXPECT_TRUE(a.hasColumn(name)) << name;
  }
  // Fire is more frequent on hot, dry days: the label follows the function, not noise.
  double hot = 0, hotFires = 0, cool = 0, coolFires = 0;
  const auto temperature = a.column("temperature_c").numbers();
  for (std::size_t i = 0; i < a.rowCount(); ++i) {
    (temperature[i] > 28 ? hot : cool) += 1;
    (temperature[i] > 28 ? hotFires : coolFires) += fireA[i];
  }
  EXPECT_GT(hotFires / hot, 2 * coolFires / cool);

  SyntheticFireOptions withGaps;
  withGaps.rows = 5000;
  withGaps.missingShare = 0.1;
  const Table gaps = makeSyntheticFireTable(withGaps);
  const double share = double(gaps.column("temperature_c").missingCount()) / 5000;
  EXPECT_NEAR(share, 0.1, 0.02);
  EXPECT_EQ(gaps.column("ndvi").missingCount(), 0u);
}

}  // namespace
}  // namespace geih::table
