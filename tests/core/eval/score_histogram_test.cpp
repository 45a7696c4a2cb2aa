// Binned ROC AUC / average precision equal the exact figures when no bin holds two distinct
// scores; the small case is scikit-learn's documented example (roc_auc_score 0.75,
// average_precision_score 0.8333...).
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/common/rng.h"
#include "core/eval/binary_metrics.h"
#include "core/eval/score_histogram.h"

namespace geih::eval {
namespace {

TEST(ScoreHistogram, ScikitLearnExample) {
  ScoreHistogram h(0.0, 1.0);
  const double labels[] = {0, 0, 1, 1};
  const double scores[] = {0.1, 0.4, 0.35, 0.8};
  for (int i = 0; i < 4; ++i) h.add(scores[i], labels[i] > 0.5);
  EXPECT_DOUBLE_EQ(h.rocAuc(), 0.75);
  EXPECT_NEAR(h.averagePrecision(), 0.8333333333333333, 1e-12);
  EXPECT_EQ(h.positives(), 2u);
  EXPECT_EQ(h.negatives(), 2u);
}

TEST(ScoreHistogram, EqualsExactMetricsWithTiesAndMerges) {
  Rng rng(11);
  std::vector<double> labels, scores;
  ScoreHistogram a(0.0, 1.0), b(0.0, 1.0);
  for (int i = 0; i < 20000; ++i) {
    const double s = std::floor(rng.uniform() * 1000.0) / 1000.0;  // many ties
    const bool positive = rng.uniform() < 0.2 + 0.6 * s;
    labels.push_back(positive ? 1.0 : 0.0);
    scores.push_back(s);
    (i % 2 ? a : b).add(s, positive);
  }
  a.merge(b);
  EXPECT_NEAR(a.rocAuc(), rocAuc(labels, scores), 1e-12);
  EXPECT_NEAR(a.averagePrecision(), averagePrecision(labels, scores), 1e-12);
}

TEST(ScoreHistogram, DegenerateInputs) {
  ScoreHistogram h(-1.0, 1.0, 16);
  h.add(5.0, true);  // clamped into the last bin
  EXPECT_TRUE(std::isnan(h.rocAuc()));
  EXPECT_DOUBLE_EQ(h.averagePrecision(), 1.0);
  h.add(-7.0, false);
  EXPECT_DOUBLE_EQ(h.rocAuc(), 1.0);
  EXPECT_THROW(ScoreHistogram(1.0, 1.0), std::invalid_argument);
}

}  // namespace
}  // namespace geih::eval
