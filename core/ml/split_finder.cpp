#include "core/ml/split_finder.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

namespace geih::ml {
namespace {

double xlogx(double x) { return x > 0 ? x * std::log(x) : 0.0; }

struct Evaluator {
  const SplitRules& rules;
  const NodeTotals& totals;
  double parentScore;

  bool allowed(const NodeTotals& side) const {
    return side.count >= rules.minChildSamples && side.h >= rules.minChildWeight &&
           side.count > 0;
  }
  // Offers the split left/right; keeps it in `best` when it beats it.
  void offer(const NodeTotals& left, SplitCandidate& best, const SplitCandidate& shape) const {
    const NodeTotals right{totals.g - left.g, totals.h - left.h, totals.count - left.count};
    if (!allowed(left) || !allowed(right)) return;
    const double gain =
        nodeScore(rules, left.g, left.h) + nodeScore(rules, right.g, right.h) - parentScore;
    if (!(gain > rules.minGain) || (best.valid && !(gain > best.gain))) return;
    best = shape;
    best.valid = true;
    best.gain = gain;
    best.left = left;
    best.right = right;
  }
};

NodeTotals plus(const NodeTotals& a, const HistBin& b) {
  return {a.g + b.g, a.h + b.h, a.count + b.count};
}

}  // namespace

double nodeScore(const SplitRules& rules, double g, double h) {
  switch (rules.criterion) {
    case SplitCriterion::Newton:
      return g * g / (h + rules.lambda);
    case SplitCriterion::Mean:
      return h > 0 ? g * g / h : 0.0;
    case SplitCriterion::Entropy:
      return h > 0 ? xlogx(g) + xlogx(h - g) - xlogx(h) : 0.0;
  }
  return 0.0;
}

SplitCandidate findBestSplit(const HistBin* histogram, const FeatureBins& bins,
                             std::int32_t feature, const NodeTotals& totals,
                             const SplitRules& rules, std::span<const std::uint8_t> occupied) {
  const Evaluator evaluator{rules, totals, nodeScore(rules, totals.g, totals.h)};
  SplitCandidate best;
  const HistBin& missing = histogram[kMissingBin];
  const bool hasMissing = missing.count > 0;
  const int valueBins = bins.valueBins;

  // The value bins holding rows, ascending: given, or found by a scan.
  std::array<int, kHistBins> presentBins;
  std::size_t presentCount = 0;
  if (!occupied.empty()) {
    for (const std::uint8_t bin : occupied) {
      if (bin != kMissingBin && int(bin) < valueBins) presentBins[presentCount++] = bin;
    }
  } else {
    for (int b = 0; b < valueBins; ++b) {
      if (histogram[b].count > 0) presentBins[presentCount++] = b;
    }
  }
  const std::span<int> present(presentBins.data(), presentCount);
  SplitCandidate shape;
  shape.feature = feature;
  NodeTotals left;
  if (!bins.categorical) {
    for (const int b : present) {
      left = plus(left, histogram[b]);
      shape.bin = std::uint8_t(b);
      shape.defaultLeft = false;
      evaluator.offer(left, best, shape);
      if (hasMissing) {
        shape.defaultLeft = true;
        evaluator.offer(plus(left, missing), best, shape);
      }
    }
  } else {
    // Categories present in the node, ordered by their smoothed mean gradient.
    if (present.size() + (hasMissing ? 1 : 0) < 2) return best;
    auto ratio = [&](int b) { return histogram[b].g / (histogram[b].h + rules.catSmooth); };
    std::stable_sort(present.begin(), present.end(),
                     [&](int a, int b) { return ratio(a) < ratio(b); });
    shape.categorical = true;
    for (const int b : present) {
      left = plus(left, histogram[b]);
      const unsigned code = unsigned(b);
      shape.leftCategories[code >> 6] |= std::uint64_t(1) << (code & 63);
      shape.defaultLeft = false;
      evaluator.offer(left, best, shape);
      if (hasMissing) {
        shape.defaultLeft = true;
        evaluator.offer(plus(left, missing), best, shape);
      }
    }
  }
  // Without missing values in training, unseen missing values follow the larger side.
  if (best.valid && !hasMissing) best.defaultLeft = best.left.count >= best.right.count;
  return best;
}

}  // namespace geih::ml
