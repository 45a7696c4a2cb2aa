// Chi-square, z, Wasserstein, Jensen-Shannon, the binning and the survival functions against
// reference values recorded from SciPy 1.10.1 / numpy 1.24.2 (/usr/bin/python3):
//   scipy.stats.gamma.sf(x, a), scipy.stats.chi2.sf(x, dof), 2 * scipy.stats.norm.sf(|z|),
//   scipy.stats.chisquare(cur, ref * cur.sum() / ref.sum()),
//   scipy.stats.wasserstein_distance(u, v) (and / numpy.std(u)),
//   scipy.spatial.distance.jensenshannon(p, q),
//   numpy.histogram_bin_edges(concat, bins="sturges") and numpy.histogram(x, edges) / len(x).
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/common/error.h"
#include "core/drift/categorical_tests.h"
#include "core/drift/distribution_distances.h"
#include "core/drift/special_functions.h"

namespace geih::drift {
namespace {

// Within 1e-11 relative (SciPy's own implementations differ from these by rounding only).
void expectRelative(double actual, double expected) {
  if (expected == 0) {
    EXPECT_EQ(actual, 0.0);
  } else {
    EXPECT_LE(std::abs(actual / expected - 1), 1e-11) << actual << " vs " << expected;
  }
}

TEST(SpecialFunctionsTest, IncompleteGammaMatchesScipy) {
  const struct {
    double a, x, q;
  } cases[] = {{0.5, 0.1, 0.6547208460185768},  {1, 1, 0.36787944117144245},
               {2.5, 3.7, 0.1925504330793957},  {10, 2, 0.9999535019249828},
               {10, 25, 0.0002214766382487835}, {50, 40, 0.9296649333406051},
               {0.5, 30, 9.485737571073857e-15}};
  for (const auto& c : cases) expectRelative(upperIncompleteGammaQ(c.a, c.x), c.q);
  EXPECT_EQ(upperIncompleteGammaQ(3, 0), 1.0);
  EXPECT_EQ(upperIncompleteGammaQ(3, INFINITY), 0.0);
}

TEST(SpecialFunctionsTest, ChiSquareAndNormalTails) {
  expectRelative(chiSquareSurvival(3.84, 1), 0.05004352124870519);
  expectRelative(chiSquareSurvival(11.07, 5), 0.050009618622405425);
  expectRelative(chiSquareSurvival(0.5, 3), 0.9188914116546758);
  expectRelative(chiSquareSurvival(120, 4), 5.341471565244885e-25);
  expectRelative(chiSquareSurvival(1e-3, 2), 0.9995001249791693);
  EXPECT_EQ(normalTwoSidedP(0), 1.0);
  expectRelative(normalTwoSidedP(1.0), 0.31731050786291415);
  expectRelative(normalTwoSidedP(-1.96), 0.04999579029644087);
  expectRelative(normalTwoSidedP(3.5), 0.00046525815807105003);
  expectRelative(normalTwoSidedP(8.0), 1.244192114854348e-15);
}

TEST(CategoricalTestsTest, ChiSquareAgainstReferenceProportions) {
  const PValueResult result = chiSquareTest(std::vector<double>{50, 30, 20}, std::vector<double>{40, 35, 25});
  expectRelative(result.statistic, 4.083333333333334);
  expectRelative(result.pValue, 0.12981217685543797);
  // Scaling: 200 reference values against 15 current ones.
  const PValueResult scaled = chiSquareTest(std::vector<double>{120, 80}, std::vector<double>{10, 5});
  expectRelative(scaled.statistic, 0.2777777777777778);
  expectRelative(scaled.pValue, 0.5981614526835279);
  // A category the reference never had: certain drift.
  const PValueResult fresh = chiSquareTest(std::vector<double>{10, 0}, std::vector<double>{5, 1});
  EXPECT_TRUE(std::isinf(fresh.statistic));
  EXPECT_EQ(fresh.pValue, 0.0);
  EXPECT_EQ(chiSquareTest(std::vector<double>{7}, std::vector<double>{3}).pValue, 1.0);
  EXPECT_THROW(chiSquareTest(std::vector<double>{1, 2}, std::vector<double>{1}), InputError);
}

TEST(CategoricalTestsTest, TwoProportionZTest) {
  // Evidently's proportions_diff_z_stat_ind and 2 * (1 - norm.cdf(|z|)).
  const PValueResult result = proportionsZTest(30, 100, 45, 120);
  expectRelative(result.statistic, -1.1685534824642432);
  expectRelative(result.pValue, 0.2425835793483211);
  const PValueResult same = proportionsZTest(0, 10, 0, 20);
  EXPECT_EQ(same.statistic, 0.0);
  EXPECT_EQ(same.pValue, 1.0);
  EXPECT_THROW(proportionsZTest(0, 0, 1, 2), InputError);
}

TEST(DistributionDistancesTest, WassersteinMatchesScipy) {
  // Two point masses 5 apart, hand-computed: 5.
  EXPECT_DOUBLE_EQ(wassersteinDistance(std::vector<double>{0, 1, 3}, std::vector<double>{5, 6, 8}), 5.0);
  const std::vector<double> u = {3.4, 3.9, 7.5, 7.8};
  const std::vector<double> v = {4.5, 1.4};
  expectRelative(wassersteinDistance(u, v), 2.7);
  expectRelative(normalizedWasserstein(u, v), 1.3428847745153834);
  expectRelative(wassersteinDistance(std::vector<double>{0, 1, 1, 2, 5, 5, 5},
                                     std::vector<double>{1, 2, 2, 2, 9}),
                 1.8571428571428572);
  EXPECT_EQ(wassersteinDistance(u, u), 0.0);
  EXPECT_THROW(wassersteinDistance(std::vector<double>{}, v), InputError);
  EXPECT_THROW(wassersteinDistance(std::vector<double>{NAN}, v), InputError);
}

TEST(DistributionDistancesTest, JensenShannonMatchesScipy) {
  expectRelative(jensenShannonDistance(std::vector<double>{0.1, 0.5, 0.4}, std::vector<double>{0.3, 0.3, 0.4}),
                 0.1969669620748938);
  // Disjoint supports: sqrt(ln 2).
  expectRelative(jensenShannonDistance(std::vector<double>{1, 0, 0}, std::vector<double>{0, 1, 0}),
                 0.8325546111576977);
  // Unnormalised inputs are normalised first.
  expectRelative(jensenShannonDistance(std::vector<double>{2, 6, 2}, std::vector<double>{1, 1, 1}),
                 0.19015885901472843);
  EXPECT_THROW(jensenShannonDistance(std::vector<double>{1}, std::vector<double>{1, 2}), InputError);
  EXPECT_THROW(jensenShannonDistance(std::vector<double>{0, 0}, std::vector<double>{1, 2}), InputError);
}

TEST(DistributionDistancesTest, SturgesBinsLikeNumpy) {
  const std::vector<double> a = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  const std::vector<double> b = {5, 6, 7, 8, 9, 10, 11, 12};
  const BinnedShares shares = sturgesShares(a, b);
  ASSERT_EQ(shares.edges.size(), 7u);  // 6 bins over [0, 12]
  EXPECT_DOUBLE_EQ(shares.edges[1], 2.0);
  EXPECT_EQ(shares.reference, (std::vector<double>{0.2, 0.2, 0.2, 0.2, 0.2, 0.0}));
  EXPECT_EQ(shares.current, (std::vector<double>{0.0, 0.0, 0.125, 0.25, 0.25, 0.375}));
}

}  // namespace
}  // namespace geih::drift
