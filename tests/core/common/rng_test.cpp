#include "core/common/rng.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

namespace geih {
namespace {

TEST(RngTest, SameSeedSameStreamDifferentSeedDifferentStream) {
  Rng a(7), b(7), c(8);
  int differences = 0;
  for (int i = 0; i < 100; ++i) {
    const std::uint64_t x = a.nextU64();
    EXPECT_EQ(x, b.nextU64());
    differences += x != c.nextU64();
  }
  EXPECT_GT(differences, 95);
}

TEST(RngTest, UniformMomentsMatchTheory) {
  Rng rng(1);
  const int n = 200000;
  double sum = 0, sumSquares = 0;
  for (int i = 0; i < n; ++i) {
    const double u = rng.uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
    sumSquares += u * u;
  }
  const double mean = sum / n;
  EXPECT_NEAR(mean, 0.5, 0.005);                            // sd of mean ~ 0.00065
  EXPECT_NEAR(sumSquares / n - mean * mean, 1.0 / 12, 0.002);  // variance of U(0,1)
}

TEST(RngTest, NormalMomentsMatchTheory) {
  Rng rng(2);
  const int n = 200000;
  double sum = 0, sumSquares = 0, sumFourth = 0;
  for (int i = 0; i < n; ++i) {
    const double z = rng.normal();
    sum += z;
    sumSquares += z * z;
    sumFourth += z * z * z * z;
  }
  EXPECT_NEAR(sum / n, 0.0, 0.01);
  EXPECT_NEAR(sumSquares / n, 1.0, 0.015);
  EXPECT_NEAR(sumFourth / n, 3.0, 0.1);  // kurtosis of a normal
}

TEST(RngTest, BelowIsUnbiasedAndInRange) {
  Rng rng(3);
  std::vector<int> counts(7, 0);
  for (int i = 0; i < 70000; ++i) {
    const auto k = rng.below(7);
    ASSERT_LT(k, 7u);
    ++counts[k];
  }
  for (int count : counts) EXPECT_NEAR(count, 10000, 450);  // ~4.8 sd
}

TEST(RngTest, ShuffleIsAPermutationAndDeterministic) {
  std::vector<int> a(50), b(50);
  std::iota(a.begin(), a.end(), 0);
  b = a;
  Rng(9).shuffle(a);
  Rng(9).shuffle(b);
  EXPECT_EQ(a, b);
  std::vector<int> sorted = a;
  std::sort(sorted.begin(), sorted.end());
  for (int i = 0; i < 50; ++i) EXPECT_EQ(sorted[i], i);
}

TEST(RngTest, SplitStreamsAreDistinctAndReproducible) {
  const Rng parent(11);
  Rng s1 = parent.split(1), s1again = parent.split(1), s2 = parent.split(2);
  const auto x = s1.nextU64();
  EXPECT_EQ(x, s1again.nextU64());
  EXPECT_NE(x, s2.nextU64());
}

}  // namespace
}  // namespace geih
