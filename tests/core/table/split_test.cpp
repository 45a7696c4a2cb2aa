#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "core/common/error.h"
#include "core/table/split.h"

namespace geih::table {
namespace {

void expectPartition(const SplitIndices& split, std::size_t rows) {
  EXPECT_TRUE(std::is_sorted(split.train.begin(), split.train.end()));
  EXPECT_TRUE(std::is_sorted(split.test.begin(), split.test.end()));
  std::set<std::size_t> all(split.train.begin(), split.train.end());
  all.insert(split.test.begin(), split.test.end());
  EXPECT_EQ(all.size(), rows);
  EXPECT_EQ(split.train.size() + split.test.size(), rows);
  if (!all.empty()) {
    EXPECT_EQ(*all.rbegin(), rows - 1);
  }
}

TEST(SplitTest, RandomSplitSizesAndDeterminism) {
  const SplitIndices s = randomSplit(101, 0.3, 1);
  EXPECT_EQ(s.test.size(), 30u);  // round(30.3)
  EXPECT_EQ(s.train.size(), 71u);
  expectPartition(s, 101);
  EXPECT_EQ(randomSplit(101, 0.3, 1).test, s.test);
  EXPECT_NE(randomSplit(101, 0.3, 2).test, s.test);
  EXPECT_EQ(randomSplit(10, 0.25, 3).test.size(), 3u);  // round(2.5) rounds half away from zero
}

TEST(SplitTest, BadFractionThrows) {
  EXPECT_THROW(randomSplit(10, 0.0, 1), InputError);
  EXPECT_THROW(randomSplit(10, 1.0, 1), InputError);
  EXPECT_THROW(randomSplit(10, std::nan(""), 1), InputError);
  EXPECT_THROW(stratifiedSplit(Column::numeric("y", {0, 1}), -0.5, 1), InputError);
  EXPECT_THROW(stratifiedSplit(Column::numeric("y", {0, 1}), 1.5, 1), InputError);
}

TEST(SplitTest, StratifiedSplitKeepsClassSharesAndIsDeterministic) {
  std::vector<double> labels(1000, 0.0);
  for (std::size_t i = 0; i < 1000; i += 10) labels[i] = 1.0;  // 10% positives
  const Column label = Column::numeric("y", labels);
  const SplitIndices a = stratifiedSplit(label, 0.2, 7);
  const SplitIndices b = stratifiedSplit(label, 0.2, 7);
  const SplitIndices c = stratifiedSplit(label, 0.2, 8);
  EXPECT_EQ(a.test, b.test);
  EXPECT_EQ(a.train, b.train);
  EXPECT_NE(a.test, c.test);
  ASSERT_EQ(a.test.size(), 200u);
  ASSERT_EQ(a.train.size(), 800u);
  std::size_t testPositives = 0;
  for (std::size_t row : a.test) testPositives += labels[row] == 1.0;
  EXPECT_EQ(testPositives, 20u);  // exactly 20% of the 100 positives
  expectPartition(a, 1000);
}

TEST(SplitTest, StratifiedSplitRoundsPerStratumAndKeepsMissingLabelsApart) {
  // 7 x "a", 3 x "b", 2 missing; test fraction 0.3: round(2.1) = 2, round(0.9) = 1, round(0.6) = 1.
  std::vector<std::string> values = {"a", "b", "a", "", "a", "a", "b", "a", "", "a", "b", "a"};
  std::vector<bool> missing(values.size(), false);
  missing[3] = missing[8] = true;
  const Column label = Column::categoricalFromStrings("y", values, missing);
  const SplitIndices s = stratifiedSplit(label, 0.3, 11);
  expectPartition(s, values.size());
  std::size_t a = 0, b = 0, none = 0;
  for (std::size_t row : s.test) {
    if (missing[row])
      ++none;
    else
      (values[row] == "a" ? a : b) += 1;
  }
  EXPECT_EQ(a, 2u);
  EXPECT_EQ(b, 1u);
  EXPECT_EQ(none, 1u);
}

TEST(SplitTest, EmptyInputGivesEmptySplit) {
  const SplitIndices s = randomSplit(0, 0.2, 1);
  EXPECT_TRUE(s.train.empty());
  EXPECT_TRUE(s.test.empty());
}

}  // namespace
}  // namespace geih::table
