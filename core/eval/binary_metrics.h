// Metrics for binary classification on spans: labels are 0/1 (any non-zero counts as 1), scores
// are probabilities or any monotone score. All functions throw InputError when the spans differ in
// length or are empty, or when a label is NaN; metrics that need both classes (ROC AUC, average
// precision) throw InputError when one class is absent.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace geih::eval {

struct ConfusionMatrix {
  std::size_t truePositives = 0;
  std::size_t falsePositives = 0;
  std::size_t trueNegatives = 0;
  std::size_t falseNegatives = 0;
};

// Predicted positive when score >= threshold.
ConfusionMatrix confusionMatrix(std::span<const double> labels, std::span<const double> scores,
                                double threshold = 0.5);

double accuracy(const ConfusionMatrix& cm);
double precision(const ConfusionMatrix& cm);  // 0 when nothing is predicted positive
double recall(const ConfusionMatrix& cm);     // 0 when there are no positives
double f1Score(const ConfusionMatrix& cm);    // 0 when precision + recall == 0

// Area under the ROC curve; tied scores count one half (the Mann-Whitney statistic), so it equals
// scikit-learn's roc_auc_score. O(n log n).
double rocAuc(std::span<const double> labels, std::span<const double> scores);
// scikit-learn's average_precision_score: sum over thresholds of (R_n - R_{n-1}) * P_n, with
// tied scores forming one threshold.
double averagePrecision(std::span<const double> labels, std::span<const double> scores);
// Mean negative log-likelihood; probabilities clipped to [1e-15, 1 - 1e-15].
double logLoss(std::span<const double> labels, std::span<const double> probabilities);
// Mean squared difference between probability and label.
double brierScore(std::span<const double> labels, std::span<const double> probabilities);

struct BinaryMetrics {
  std::size_t count = 0;
  std::size_t positives = 0;
  double threshold = 0.5;
  ConfusionMatrix confusion;
  double accuracy = 0, precision = 0, recall = 0, f1 = 0;
  double rocAuc = 0, averagePrecision = 0, logLoss = 0, brier = 0;
  // Name -> value in the order the store logs them: accuracy, precision, recall, f1, roc_auc,
  // average_precision, log_loss, brier. (roc_auc and average_precision are NaN and omitted when
  // one class is absent.)
  std::vector<std::pair<std::string, double>> named() const;
};

BinaryMetrics evaluateBinary(std::span<const double> labels, std::span<const double> scores,
                             double threshold = 0.5);

}  // namespace geih::eval
