#include "core/eval/binary_metrics.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "core/common/error.h"
#include "core/common/rng.h"

namespace geih::eval {
namespace {

using Values = std::vector<double>;

TEST(MetricsTest, ConfusionMatrixAndRatesByHand) {
  // Predicted positive (score >= 0.5): rows 0, 1, 3, 5, 7 -> TP 0,1,7; FP 3,5; FN 2; TN 4,6.
  const Values labels = {1, 1, 1, 0, 0, 0, 0, 1};
  const Values scores = {0.9, 0.6, 0.4, 0.7, 0.2, 0.5, 0.1, 0.5};
  const ConfusionMatrix cm = confusionMatrix(labels, scores, 0.5);
  EXPECT_EQ(cm.truePositives, 3u);
  EXPECT_EQ(cm.falsePositives, 2u);
  EXPECT_EQ(cm.trueNegatives, 2u);
  EXPECT_EQ(cm.falseNegatives, 1u);
  EXPECT_DOUBLE_EQ(accuracy(cm), 5.0 / 8.0);
  EXPECT_DOUBLE_EQ(precision(cm), 3.0 / 5.0);
  EXPECT_DOUBLE_EQ(recall(cm), 3.0 / 4.0);
  EXPECT_DOUBLE_EQ(f1Score(cm), 2 * 0.6 * 0.75 / (0.6 + 0.75));
  // Any non-zero label is positive.
  const Values otherLabels = {2, 7, -1, 0, 0, 0, 0, 1};
  EXPECT_EQ(confusionMatrix(otherLabels, scores, 0.5).truePositives, 3u);
}

TEST(MetricsTest, RatiosAreZeroWhenUndefined) {
  const ConfusionMatrix none{};
  EXPECT_EQ(precision(none), 0.0);
  EXPECT_EQ(recall(none), 0.0);
  EXPECT_EQ(f1Score(none), 0.0);
  EXPECT_EQ(accuracy(none), 0.0);
}

TEST(MetricsTest, RocAucOfKnownRankings) {
  const Values labels = {0, 0, 0, 1, 1, 1};
  EXPECT_DOUBLE_EQ(rocAuc(labels, Values{0.1, 0.2, 0.3, 0.4, 0.5, 0.6}), 1.0);
  EXPECT_DOUBLE_EQ(rocAuc(labels, Values{0.6, 0.5, 0.4, 0.3, 0.2, 0.1}), 0.0);
  // Every score tied: a coin toss.
  EXPECT_DOUBLE_EQ(rocAuc(labels, Values(6, 0.3)), 0.5);
  // scikit-learn's documented example: 3 of 4 positive-negative pairs ordered correctly.
  EXPECT_DOUBLE_EQ(rocAuc(Values{0, 0, 1, 1}, Values{0.1, 0.4, 0.35, 0.8}), 0.75);
  // A tie across classes counts one half: pairs (0.5+,0.5-) = 0.5, the other three = 1 -> 3.5/4.
  EXPECT_DOUBLE_EQ(rocAuc(Values{1, 0, 1, 0}, Values{0.5, 0.5, 0.8, 0.2}), 0.875);
  // Two positives tied with one negative at 0.5, one negative below: (0.5 + 1) * 2 / 4.
  EXPECT_DOUBLE_EQ(rocAuc(Values{1, 1, 0, 0}, Values{0.5, 0.5, 0.5, 0.1}), 0.75);
  // -0.0 and 0.0 are the same score.
  EXPECT_DOUBLE_EQ(rocAuc(Values{1, 0}, Values{0.0, -0.0}), 0.5);
}

TEST(MetricsTest, RocAucMatchesPairCountingOnRandomTiedData) {
  // Large enough to take the radix-sort path; scores on a coarse grid so many are tied.
  Rng rng(11);
  const std::size_t n = 6000;
  Values labels(n), scores(n);
  for (std::size_t i = 0; i < n; ++i) {
    labels[i] = rng.bernoulli(0.3) ? 1 : 0;
    scores[i] = double(rng.below(50)) / 10.0 - 2.0 + labels[i] * 0.5;
  }
  double wins = 0, pairs = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (labels[i] != 1) continue;
    for (std::size_t j = 0; j < n; ++j) {
      if (labels[j] != 0) continue;
      wins += scores[i] > scores[j] ? 1.0 : scores[i] == scores[j] ? 0.5 : 0.0;
      pairs += 1;
    }
  }
  EXPECT_NEAR(rocAuc(labels, scores), wins / pairs, 1e-14);
}

TEST(MetricsTest, RocAucMatchesAverageRanksOnLargeData) {
  // Above the size where the two classes are sorted in parallel; checked against the textbook
  // rank-sum formula (average ranks for ties) computed with std::sort.
  Rng rng(5);
  const std::size_t n = 400000;
  Values labels(n), scores(n);
  for (std::size_t i = 0; i < n; ++i) {
    labels[i] = rng.bernoulli(0.2) ? 1 : 0;
    scores[i] = std::round((rng.normal() + labels[i]) * 1000.0) / 1000.0;
  }
  std::vector<std::pair<double, double>> sorted(n);
  for (std::size_t i = 0; i < n; ++i) sorted[i] = {scores[i], labels[i]};
  std::sort(sorted.begin(), sorted.end());
  double positiveRankSum = 0, positives = 0;
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i;
    while (j < n && sorted[j].first == sorted[i].first) ++j;
    const double averageRank = (double(i + 1) + double(j)) / 2.0;
    for (std::size_t k = i; k < j; ++k) {
      if (sorted[k].second == 1) positiveRankSum += averageRank, positives += 1;
    }
    i = j;
  }
  const double negatives = double(n) - positives;
  const double expected =
      (positiveRankSum - positives * (positives + 1) / 2.0) / (positives * negatives);
  EXPECT_NEAR(rocAuc(labels, scores), expected, 1e-12);
}

TEST(MetricsTest, AveragePrecisionByHand) {
  // Descending: 0.8(+) P=1 R=1/2; 0.4(-); 0.35(+) P=2/3 R=1 -> 1/2 * 1 + 1/2 * 2/3.
  EXPECT_DOUBLE_EQ(averagePrecision(Values{0, 0, 1, 1}, Values{0.1, 0.4, 0.35, 0.8}),
                   0.5 + 0.5 * 2.0 / 3.0);
  // Ties form one threshold: 0.8(+) P=1 R=1/2; {0.5+, 0.5-} P=2/3 R=1; 0.2(-) adds no recall.
  EXPECT_DOUBLE_EQ(averagePrecision(Values{1, 0, 1, 0}, Values{0.5, 0.5, 0.8, 0.2}),
                   0.5 + 0.5 * 2.0 / 3.0);
  // All tied: one threshold with precision 2/4 at full recall.
  EXPECT_DOUBLE_EQ(averagePrecision(Values{1, 0, 1, 0}, Values(4, 0.5)), 0.5);
  // Perfect ranking.
  EXPECT_DOUBLE_EQ(averagePrecision(Values{0, 1, 1}, Values{0.1, 0.7, 0.9}), 1.0);
}

TEST(MetricsTest, LogLossAndBrierByHand) {
  const Values labels = {1, 0};
  const Values p = {0.8, 0.3};
  EXPECT_NEAR(logLoss(labels, p), -(std::log(0.8) + std::log(0.7)) / 2.0, 1e-15);
  EXPECT_DOUBLE_EQ(brierScore(labels, p), (0.2 * 0.2 + 0.3 * 0.3) / 2.0);
  // A certain wrong answer is clipped to 1e-15 instead of infinite loss.
  EXPECT_NEAR(logLoss(Values{1}, Values{0.0}), -std::log(1e-15), 1e-9);
  EXPECT_NEAR(logLoss(Values{0}, Values{1.0}), -std::log(1e-15), 1e-3);
  EXPECT_DOUBLE_EQ(brierScore(Values{1, 0}, Values{1.0, 0.0}), 0.0);
}

TEST(MetricsTest, InvalidInputThrows) {
  EXPECT_THROW(rocAuc(Values{0, 1}, Values{0.5}), InputError);
  EXPECT_THROW(averagePrecision(Values{0, 1, 1}, Values{0.5, 0.1}), InputError);
  EXPECT_THROW(logLoss(Values{}, Values{}), InputError);
  EXPECT_THROW(brierScore(Values{1}, Values{}), InputError);
  EXPECT_THROW(confusionMatrix(Values{1, 0}, Values{0.1}), InputError);
  EXPECT_THROW(rocAuc(Values{1, 1, 1}, Values{0.1, 0.2, 0.3}), InputError);
  EXPECT_THROW(averagePrecision(Values{0, 0}, Values{0.1, 0.2}), InputError);
  EXPECT_THROW(rocAuc(Values{1, std::nan(""), 0}, Values{0.1, 0.2, 0.3}), InputError);
  EXPECT_THROW(rocAuc(Values{1, 0}, Values{std::nan(""), 0.2}), InputError);
  try {
    rocAuc(Values{0, 1}, Values{0.5});
    FAIL();
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("2 labels but 1 scores"), std::string::npos);
  }
  try {
    rocAuc(Values{1, 1}, Values{0.5, 0.6});
    FAIL();
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("both classes"), std::string::npos);
  }
}

TEST(MetricsTest, EvaluateBinaryNamesMetricsInStoreOrder) {
  const Values labels = {0, 0, 1, 1};
  const Values scores = {0.1, 0.4, 0.35, 0.8};
  const BinaryMetrics metrics = evaluateBinary(labels, scores);
  EXPECT_EQ(metrics.count, 4u);
  EXPECT_EQ(metrics.positives, 2u);
  EXPECT_DOUBLE_EQ(metrics.rocAuc, 0.75);
  const auto named = metrics.named();
  ASSERT_EQ(named.size(), 8u);
  const char* order[] = {"accuracy", "precision",         "recall",   "f1",
                         "roc_auc",  "average_precision", "log_loss", "brier"};
  for (std::size_t i = 0; i < named.size(); ++i) EXPECT_EQ(named[i].first, order[i]);

  // One class: ranking metrics are NaN and left out, the rest still computed.
  const BinaryMetrics oneClass = evaluateBinary(Values{1, 1}, Values{0.9, 0.2});
  EXPECT_TRUE(std::isnan(oneClass.rocAuc));
  EXPECT_EQ(oneClass.named().size(), 6u);
  EXPECT_DOUBLE_EQ(oneClass.recall, 0.5);
}

// Reference values from scikit-learn 1.2.1 (Debian python3-sklearn), produced by:
//   import numpy as np
//   from sklearn.metrics import roc_auc_score, average_precision_score, log_loss, brier_score_loss
//   y = np.array(kLabels); s = np.array(kScores)
//   repr(float(roc_auc_score(y, s))), repr(float(average_precision_score(y, s))),
//   repr(float(log_loss(y, s))), repr(float(brier_score_loss(y, s)))
// with kLabels / kScores the 30 values below (several scores tied within and across classes).
const Values kLabels = {1, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0,
                        1, 0, 1, 1, 0, 0, 0, 1, 0, 1, 1, 0, 1, 0, 0};
const Values kScores = {0.9, 0.1,  0.8, 0.35, 0.35, 0.2,  0.6, 0.6,  0.95, 0.05,
                        0.5, 0.5,  0.7, 0.3,  0.45, 0.2,  0.6, 0.85, 0.35, 0.15,
                        0.7, 0.25, 0.4, 0.1,  0.99, 0.55, 0.5, 0.3,  0.02, 0.8};

TEST(MetricsTest, MatchesScikitLearnOnTiedScores) {
  EXPECT_NEAR(rocAuc(kLabels, kScores), 0.7544642857142858, 1e-12);
  EXPECT_NEAR(averagePrecision(kLabels, kScores), 0.7446791443850267, 1e-12);
  EXPECT_NEAR(logLoss(kLabels, kScores), 0.5637780020687411, 1e-12);
  EXPECT_NEAR(brierScore(kLabels, kScores), 0.20084999999999997, 1e-12);
}

}  // namespace
}  // namespace geih::eval
