#include "core/eval/score_histogram.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace geih::eval {

ScoreHistogram::ScoreHistogram(double low, double high, std::size_t bins)
    : m_low(low), m_scale(0), m_positive(bins, 0), m_negative(bins, 0) {
  if (!(high > low) || bins == 0) throw std::invalid_argument("ScoreHistogram needs high > low and bins > 0");
  m_scale = double(bins) / (high - low);
}

std::size_t ScoreHistogram::binOf(double score) const {
  const double position = (score - m_low) * m_scale;
  if (!(position > 0)) return 0;
  return std::min(m_positive.size() - 1, std::size_t(position));
}

void ScoreHistogram::add(double score, bool positive) {
  const std::size_t bin = binOf(score);
  if (positive) {
    ++m_positive[bin];
    ++m_positives;
  } else {
    ++m_negative[bin];
    ++m_negatives;
  }
}

void ScoreHistogram::merge(const ScoreHistogram& other) {
  if (other.m_positive.size() != m_positive.size() || other.m_low != m_low || other.m_scale != m_scale) {
    throw std::invalid_argument("ScoreHistogram::merge needs the same bins");
  }
  for (std::size_t b = 0; b < m_positive.size(); ++b) {
    m_positive[b] += other.m_positive[b];
    m_negative[b] += other.m_negative[b];
  }
  m_positives += other.m_positives;
  m_negatives += other.m_negatives;
}

double ScoreHistogram::rocAuc() const {
  if (m_positives == 0 || m_negatives == 0) return std::numeric_limits<double>::quiet_NaN();
  // Mann-Whitney: each positive beats the negatives of lower bins and ties half of its own bin's.
  long double wins = 0;
  std::uint64_t negativesBelow = 0;
  for (std::size_t b = 0; b < m_positive.size(); ++b) {
    if (m_positive[b]) wins += (long double)m_positive[b] * ((long double)negativesBelow + 0.5L * m_negative[b]);
    negativesBelow += m_negative[b];
  }
  return double(wins / ((long double)m_positives * (long double)m_negatives));
}

double ScoreHistogram::averagePrecision() const {
  if (m_positives == 0) return std::numeric_limits<double>::quiet_NaN();
  // Thresholds from the highest bin down: AP = Σ (recall step) · precision at that threshold.
  long double ap = 0;
  std::uint64_t truePositives = 0;
  std::uint64_t predicted = 0;
  for (std::size_t b = m_positive.size(); b-- > 0;) {
    if (m_positive[b] == 0 && m_negative[b] == 0) continue;
    truePositives += m_positive[b];
    predicted += m_positive[b] + m_negative[b];
    if (m_positive[b]) {
      ap += ((long double)m_positive[b] / m_positives) * ((long double)truePositives / predicted);
    }
  }
  return double(ap);
}

}  // namespace geih::eval
