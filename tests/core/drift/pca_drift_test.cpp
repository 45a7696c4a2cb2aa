#include "core/drift/pca_drift.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/common/error.h"
#include "core/common/rng.h"

namespace geih::drift {
namespace {

// x ~ N(0,1); y = x + noise (correlated) or an independent N(0, sqrt(1.01)) with the same
// marginal variance; z independent noise.
table::Table sample(std::size_t n, bool correlated, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<double> x(n), y(n), z(n);
  for (std::size_t i = 0; i < n; ++i) {
    x[i] = rng.normal();
    y[i] = correlated ? x[i] + 0.1 * rng.normal() : rng.normal() * std::sqrt(1.01);
    z[i] = rng.normal();
  }
  table::Table t;
  t.addColumn(table::Column::numeric("x", x));
  t.addColumn(table::Column::numeric("y", y));
  t.addColumn(table::Column::numeric("z", z));
  return t;
}

TEST(PcaDriftTest, ABrokenCorrelationDriftsWhileTheMarginalsStayTheSame) {
  const table::Table reference = sample(20000, true, 1);
  // Same distribution: no drift.
  const PcaDrift same = pcaReconstructionDrift(reference, sample(5000, true, 2));
  EXPECT_FALSE(same.drifted);
  // Standardised, x and y have correlation rho = 1/sqrt(1.01) = 0.995: the correlation matrix
  // has eigenvalues 1 + rho, 1 (z) and 1 - rho, so the first component alone explains
  // (1 + rho) / 3 = 0.665 >= 65% and is the one kept.
  EXPECT_EQ(same.components, 1);
  EXPECT_NEAR(same.explainedVariance, (1 + 1 / std::sqrt(1.01)) / 3, 0.005);
  // The error is the length of what is lost: z (variance 1) and (x - y)/sqrt(2) (variance
  // 1 - rho = 0.005), so about E|N(0,1)| = sqrt(2/pi) = 0.798.
  EXPECT_NEAR(same.referenceError, std::sqrt(2 / M_PI), 0.02);
  EXPECT_NEAR(same.currentError, same.referenceError, 0.02);
  // Independent y with the same marginal: the per-column view sees nothing, but the lost
  // direction (x - y)/sqrt(2) now has variance 1, so the error becomes the length of a 2-D
  // standard normal, sqrt(pi/2) = 1.253.
  const PcaDrift broken = pcaReconstructionDrift(reference, sample(5000, false, 3));
  EXPECT_TRUE(broken.drifted);
  EXPECT_NEAR(broken.currentError, std::sqrt(M_PI / 2), 0.03);
  EXPECT_GT(broken.currentError, broken.upperThreshold);
}

TEST(PcaDriftTest, TooLittleToWorkWithIsNamed) {
  table::Table one;
  one.addColumn(table::Column::numeric("x", std::vector<double>(100, 1.0)));
  EXPECT_THROW(pcaReconstructionDrift(one, one), InputError);
  EXPECT_THROW(pcaReconstructionDrift(sample(5, true, 1), sample(5, true, 2)), InputError);
}

}  // namespace
}  // namespace geih::drift
