// ROC AUC and average precision in bounded memory: scores are counted per class in equal-width
// bins over a known range, so a 10000 x 10000 risk map is evaluated against its label raster
// with two 1M-bin histograms instead of 10^8 sorted pairs. Scores in one bin count as tied,
// exactly as equal scores do in rocAuc()/averagePrecision(); when no bin holds two distinct
// scores (e.g. class codes, or probabilities rounded to 1e-6 of the range), both equal the exact
// figures. Otherwise the AUC error is at most half the share of pairs that share a bin.
#pragma once

#include <cstdint>
#include <vector>

namespace geih::eval {

class ScoreHistogram {
 public:
  // Bins span [low, high]; scores outside are clamped into the end bins. high > low.
  ScoreHistogram(double low, double high, std::size_t bins = std::size_t(1) << 20);

  void add(double score, bool positive);
  void merge(const ScoreHistogram& other);  // same range and bin count

  std::uint64_t positives() const { return m_positives; }
  std::uint64_t negatives() const { return m_negatives; }
  // NaN when either class is empty.
  double rocAuc() const;
  // Average precision (step-wise, as scikit-learn's); NaN without positives.
  double averagePrecision() const;

 private:
  std::size_t binOf(double score) const;

  double m_low, m_scale;
  std::vector<std::uint64_t> m_positive, m_negative;
  std::uint64_t m_positives = 0, m_negatives = 0;
};

}  // namespace geih::eval
