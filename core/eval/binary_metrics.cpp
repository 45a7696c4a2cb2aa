#include "core/eval/binary_metrics.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#ifdef __linux__
#include <sys/mman.h>
#endif

#include "core/common/error.h"
#include "core/eval/sorted_scores.h"

namespace geih::eval {
namespace detail {
namespace {

constexpr std::size_t kRadixBits = 11;
constexpr std::size_t kRadixBuckets = std::size_t(1) << kRadixBits;
constexpr std::size_t kRadixPasses = (64 + kRadixBits - 1) / kRadixBits;
constexpr std::size_t kSmallSort = 2048;
constexpr std::size_t kParallelSort = 1 << 18;
constexpr std::size_t kHugePage = std::size_t(2) << 20;

// LSD radix sort of `size` keys using `scratch` (same size); passes whose digit is the same for
// every key are skipped (common for probabilities, which share sign and most exponent bits).
// Returns whichever of the two arrays holds the sorted keys.
std::uint64_t* radixSort(std::uint64_t* keys, std::uint64_t* scratch, std::size_t size) {
  if (size < kSmallSort) {
    std::sort(keys, keys + size);
    return keys;
  }
  std::vector<std::array<std::size_t, kRadixBuckets>> counts(kRadixPasses);
  for (auto& count : counts) count.fill(0);
  for (std::size_t i = 0; i < size; ++i) {
    const std::uint64_t key = keys[i];
    for (std::size_t pass = 0; pass < kRadixPasses; ++pass) {
      ++counts[pass][(key >> (pass * kRadixBits)) & (kRadixBuckets - 1)];
    }
  }
  for (std::size_t pass = 0; pass < kRadixPasses; ++pass) {
    auto& count = counts[pass];
    const unsigned shift = unsigned(pass * kRadixBits);
    if (count[(keys[0] >> shift) & (kRadixBuckets - 1)] == size) continue;
    std::size_t offset = 0;
    for (std::size_t& c : count) {
      const std::size_t bucket = c;
      c = offset;
      offset += bucket;
    }
    for (std::size_t i = 0; i < size; ++i) {
      const std::uint64_t key = keys[i];
      scratch[count[(key >> shift) & (kRadixBuckets - 1)]++] = key;
    }
    std::swap(keys, scratch);
  }
  return keys;
}

}  // namespace

KeyBuffer::KeyBuffer(std::size_t size) {
  const std::size_t bytes = std::max<std::size_t>(size, 1) * sizeof(std::uint64_t);
#ifdef __linux__
  if (bytes >= kHugePage) {
    const std::size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
    m_data = static_cast<std::uint64_t*>(std::aligned_alloc(kHugePage, rounded));
    if (m_data) madvise(m_data, rounded, MADV_HUGEPAGE);
  }
#endif
  if (!m_data) m_data = static_cast<std::uint64_t*>(std::malloc(bytes));
  if (!m_data) throw std::bad_alloc();
}

KeyBuffer::~KeyBuffer() { std::free(m_data); }

void checkInputs(std::span<const double> labels, std::span<const double> scores,
                 const char* function) {
  if (labels.size() != scores.size()) {
    throw InputError(std::string(function) + ": " + std::to_string(labels.size()) + " labels but " +
                     std::to_string(scores.size()) + " scores");
  }
  if (labels.empty()) throw InputError(std::string(function) + ": no labels given");
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (std::isnan(labels[i])) {
      throw InputError(std::string(function) + ": label " + std::to_string(i) +
                       " is missing (NaN)");
    }
    if (std::isnan(scores[i])) {
      throw InputError(std::string(function) + ": score " + std::to_string(i) + " is NaN");
    }
  }
}

SortedScores::SortedScores(std::span<const double> labels, std::span<const double> scores,
                           const char* function)
    : m_keys(labels.size()), m_scratch(labels.size()) {
  checkInputs(labels, scores, function);
  // Positives fill the key array from the front, negatives from the back.
  std::uint64_t* keys = m_keys.data();
  std::size_t front = 0, back = labels.size();
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] != 0.0) {
      keys[front++] = sortKey(scores[i]);
    } else {
      keys[--back] = sortKey(scores[i]);
    }
  }
  const std::size_t positives = front, negatives = labels.size() - front;
  std::uint64_t* scratch = m_scratch.data();
  const std::uint64_t* sortedPositives = keys;
  const std::uint64_t* sortedNegatives = keys + positives;
#pragma omp parallel sections num_threads(2) if (labels.size() >= kParallelSort)
  {
#pragma omp section
    sortedPositives = radixSort(keys, scratch, positives);
#pragma omp section
    sortedNegatives = radixSort(keys + positives, scratch + positives, negatives);
  }
  m_positive = {sortedPositives, positives};
  m_negative = {sortedNegatives, negatives};
}

}  // namespace detail

namespace {

void requireBothClasses(const detail::SortedScores& sorted, const char* function) {
  if (sorted.positives() == 0 || sorted.negatives() == 0) {
    throw InputError(std::string(function) + ": needs both classes, but every label is " +
                     (sorted.positives() == 0 ? "0" : "1"));
  }
}

double ratio(std::size_t numerator, std::size_t denominator) {
  return denominator == 0 ? 0.0 : double(numerator) / double(denominator);
}

double rocAucOf(const detail::SortedScores& sorted) {
  // Twice the Mann-Whitney U in exact integers: a negative scores one per positive above it and
  // one half per positive tied with it.
  unsigned __int128 twiceU = 0;
  std::size_t positivesAbove = 0;
  sorted.forEachGroup([&](double, std::size_t positives, std::size_t negatives) {
    twiceU += (unsigned __int128)negatives * (2 * positivesAbove + positives);
    positivesAbove += positives;
  });
  return double(twiceU) / (2.0 * double(sorted.positives()) * double(sorted.negatives()));
}

double averagePrecisionOf(const detail::SortedScores& sorted) {
  const double totalPositives = double(sorted.positives());
  std::size_t truePositives = 0, falsePositives = 0;
  double sum = 0.0;
  sorted.forEachGroup([&](double, std::size_t positives, std::size_t negatives) {
    truePositives += positives;
    falsePositives += negatives;
    if (positives > 0) {
      sum += (double(positives) / totalPositives) *
             (double(truePositives) / double(truePositives + falsePositives));
    }
  });
  return sum;
}

}  // namespace

ConfusionMatrix confusionMatrix(std::span<const double> labels, std::span<const double> scores,
                                double threshold) {
  detail::checkInputs(labels, scores, "confusion matrix");
  ConfusionMatrix cm;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const bool actual = labels[i] != 0.0;
    const bool predicted = scores[i] >= threshold;
    if (actual) {
      ++(predicted ? cm.truePositives : cm.falseNegatives);
    } else {
      ++(predicted ? cm.falsePositives : cm.trueNegatives);
    }
  }
  return cm;
}

double accuracy(const ConfusionMatrix& cm) {
  return ratio(cm.truePositives + cm.trueNegatives,
               cm.truePositives + cm.trueNegatives + cm.falsePositives + cm.falseNegatives);
}

double precision(const ConfusionMatrix& cm) {
  return ratio(cm.truePositives, cm.truePositives + cm.falsePositives);
}

double recall(const ConfusionMatrix& cm) {
  return ratio(cm.truePositives, cm.truePositives + cm.falseNegatives);
}

double f1Score(const ConfusionMatrix& cm) {
  // 2TP / (2TP + FP + FN) equals 2PR / (P + R) without the rounding of the two ratios.
  return ratio(2 * cm.truePositives, 2 * cm.truePositives + cm.falsePositives + cm.falseNegatives);
}

double rocAuc(std::span<const double> labels, std::span<const double> scores) {
  const detail::SortedScores sorted(labels, scores, "ROC AUC");
  requireBothClasses(sorted, "ROC AUC");
  return rocAucOf(sorted);
}

double averagePrecision(std::span<const double> labels, std::span<const double> scores) {
  const detail::SortedScores sorted(labels, scores, "average precision");
  requireBothClasses(sorted, "average precision");
  return averagePrecisionOf(sorted);
}

double logLoss(std::span<const double> labels, std::span<const double> probabilities) {
  detail::checkInputs(labels, probabilities, "log loss");
  constexpr double kEps = 1e-15;
  double sum = 0.0;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const double p = std::clamp(probabilities[i], kEps, 1.0 - kEps);
    sum -= labels[i] != 0.0 ? std::log(p) : std::log1p(-p);
  }
  return sum / double(labels.size());
}

double brierScore(std::span<const double> labels, std::span<const double> probabilities) {
  detail::checkInputs(labels, probabilities, "Brier score");
  double sum = 0.0;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const double diff = probabilities[i] - (labels[i] != 0.0 ? 1.0 : 0.0);
    sum += diff * diff;
  }
  return sum / double(labels.size());
}

std::vector<std::pair<std::string, double>> BinaryMetrics::named() const {
  std::vector<std::pair<std::string, double>> values = {
      {"accuracy", accuracy}, {"precision", precision}, {"recall", recall}, {"f1", f1}};
  if (!std::isnan(rocAuc)) values.emplace_back("roc_auc", rocAuc);
  if (!std::isnan(averagePrecision)) values.emplace_back("average_precision", averagePrecision);
  values.emplace_back("log_loss", logLoss);
  values.emplace_back("brier", brier);
  return values;
}

BinaryMetrics evaluateBinary(std::span<const double> labels, std::span<const double> scores,
                             double threshold) {
  const detail::SortedScores sorted(labels, scores, "evaluate");
  BinaryMetrics metrics;
  metrics.count = labels.size();
  metrics.positives = sorted.positives();
  metrics.threshold = threshold;
  metrics.confusion = confusionMatrix(labels, scores, threshold);
  metrics.accuracy = eval::accuracy(metrics.confusion);
  metrics.precision = eval::precision(metrics.confusion);
  metrics.recall = eval::recall(metrics.confusion);
  metrics.f1 = f1Score(metrics.confusion);
  const bool bothClasses = sorted.positives() > 0 && sorted.negatives() > 0;
  metrics.rocAuc = bothClasses ? rocAucOf(sorted) : std::nan("");
  metrics.averagePrecision = bothClasses ? averagePrecisionOf(sorted) : std::nan("");
  metrics.logLoss = eval::logLoss(labels, scores);
  metrics.brier = brierScore(labels, scores);
  return metrics;
}

}  // namespace geih::eval
