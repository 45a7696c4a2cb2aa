#include "core/ml/bitvector_scorer.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <functional>
#include <limits>

namespace geih::ml {

namespace {

constexpr std::size_t kBuckets = 256;

}  // namespace

// Bucket b covers [low + b / scale, low + (b + 1) / scale). A value whose computed bucket is b
// (off by one at most through rounding) lies in buckets b - 1 .. b + 1, so every threshold below
// bucket b - 1's start is below it and every one from bucket b + 2's start on is above it: the
// window from the first to the second holds all that remain to compare.
void BitvectorScorer::indexThresholds(FeatureTable& table) {
  const std::vector<double>& t = table.thresholds;
  table.low = t.front();
  const double range = t.back() - t.front();
  // Buckets far wider than the rounding of (x − low) · scale, else none (a plain search).
  const double magnitude = std::max(std::abs(t.front()), std::abs(t.back()));
  table.scale = std::isfinite(range) && range > 1e-6 * magnitude ? double(kBuckets) / range : 0.0;
  std::vector<std::uint32_t> below(kBuckets + 1);
  for (std::size_t b = 0; b <= kBuckets; ++b) {
    const double edge = table.scale > 0 ? table.low + double(b) / table.scale : table.low;
    below[b] = std::uint32_t(std::lower_bound(t.begin(), t.end(), edge) - t.begin());
  }
  table.windowStart.resize(kBuckets);
  table.window = 1;
  for (std::size_t b = 0; b < kBuckets; ++b) {
    const std::uint32_t first = b >= 1 ? below[b - 1] : 0;
    const std::uint32_t last = b + 2 <= kBuckets ? below[b + 2] : std::uint32_t(t.size());
    table.windowStart[b] = first;
    table.window = std::max<std::size_t>(table.window, last - first);
  }
  // Bucket 0 also takes the values below the range (its window starts at 0 already) and the last
  // bucket those above it (its window runs to the end).
  if (table.scale == 0) table.window = t.size();
  table.padded = t;
  table.padded.resize(t.size() + table.window, std::numeric_limits<double>::infinity());
}

std::unique_ptr<BitvectorScorer> BitvectorScorer::build(const std::vector<TreeNodes>& trees,
                                                        std::size_t featureCount, std::size_t maxTableBytes) {
  auto scorer = std::unique_ptr<BitvectorScorer>(new BitvectorScorer());
  scorer->m_trees = trees.size();
  if (trees.empty()) return nullptr;
  // Splits per feature: (threshold, tree, mask, NaN goes right).
  struct Split {
    double threshold;
    std::size_t tree;
    std::uint64_t mask;
    bool nanRight;
  };
  std::vector<std::vector<Split>> splits(featureCount);
  scorer->m_leafValues.assign(trees.size() * 64, 0.0);
  for (std::size_t h = 0; h < trees.size(); ++h) {
    const TreeNodes& tree = trees[h];
    if (tree.nodes.empty() || !tree.categorySets.empty()) return nullptr;
    // Leaves numbered left to right; each split's left-subtree leaves are [first, last).
    std::uint32_t leaves = 0;
    bool ok = true;
    std::function<std::pair<std::uint32_t, std::uint32_t>(std::int32_t)> visit = [&](std::int32_t index) {
      const TreeNode& node = tree.nodes[std::size_t(index)];
      if (node.isLeaf()) {
        if (leaves >= 64) {
          ok = false;
          return std::pair<std::uint32_t, std::uint32_t>{leaves, leaves};
        }
        scorer->m_leafValues[h * 64 + leaves] = node.value;
        ++leaves;
        return std::pair<std::uint32_t, std::uint32_t>{leaves - 1, leaves};
      }
      if (node.categorySet >= 0 || std::size_t(node.feature) >= featureCount) ok = false;
      const auto left = visit(node.left);
      const auto right = visit(node.right);
      if (!ok) return left;
      std::uint64_t mask = ~std::uint64_t(0);
      for (std::uint32_t leaf = left.first; leaf < left.second; ++leaf) mask &= ~(std::uint64_t(1) << leaf);
      splits[std::size_t(node.feature)].push_back({node.threshold, h, mask, !node.defaultLeft});
      return std::pair<std::uint32_t, std::uint32_t>{left.first, right.second};
    };
    visit(0);
    if (!ok) return nullptr;
    scorer->m_narrow = scorer->m_narrow && leaves <= 32;
  }
  // Per used feature: distinct thresholds, then per bin (0..T) and for NaN (bin T + 1) the AND of
  // the masks of the splits failed there, per tree.
  std::size_t words = 0;
  for (std::size_t f = 0; f < featureCount; ++f) {
    if (splits[f].empty()) continue;
    FeatureTable table;
    table.feature = f;
    for (const Split& split : splits[f]) table.thresholds.push_back(split.threshold);
    std::sort(table.thresholds.begin(), table.thresholds.end());
    table.thresholds.erase(std::unique(table.thresholds.begin(), table.thresholds.end()), table.thresholds.end());
    indexThresholds(table);
    table.offset = words;
    words += (table.thresholds.size() + 2) * trees.size();
    scorer->m_features.push_back(std::move(table));
  }
  const std::size_t bytes = words * (scorer->m_narrow ? 4 : 8);
  if (bytes > maxTableBytes) return nullptr;
  // Stored as 64-bit words; narrow tables use the first `words` 32-bit halves.
  scorer->m_masks.assign(scorer->m_narrow ? (words + 1) / 2 : words, ~std::uint64_t(0));
  auto set = [&](std::size_t index, std::uint64_t mask) {
    if (scorer->m_narrow) {
      reinterpret_cast<std::uint32_t*>(scorer->m_masks.data())[index] &= std::uint32_t(mask);
    } else {
      scorer->m_masks[index] &= mask;
    }
  };
  for (const FeatureTable& table : scorer->m_features) {
    const std::size_t bins = table.thresholds.size() + 1;
    const std::size_t nanBin = bins;
    std::vector<std::vector<std::uint64_t>> failedAt(bins, std::vector<std::uint64_t>(trees.size(), ~std::uint64_t(0)));
    for (const Split& split : splits[table.feature]) {
      const std::size_t k = std::size_t(
          std::lower_bound(table.thresholds.begin(), table.thresholds.end(), split.threshold) - table.thresholds.begin());
      // Values in bins k + 1.. exceed this threshold: they fail the split.
      failedAt[k + 1][split.tree] &= split.mask;
      if (split.nanRight) set(table.offset + nanBin * trees.size() + split.tree, split.mask);
    }
    std::vector<std::uint64_t> running(trees.size(), ~std::uint64_t(0));
    for (std::size_t b = 0; b < bins; ++b) {
      for (std::size_t h = 0; h < trees.size(); ++h) {
        running[h] &= failedAt[b][h];
        set(table.offset + b * trees.size() + h, running[h]);
      }
    }
  }
  return scorer;
}

namespace {

constexpr std::size_t kLanes = 8;

// Bins of up to kLanes values in one table: the lanes' branch-free searches advance step by step
// together, so their load-compare-select chains overlap instead of running one after another.
template <typename Table>
inline __attribute__((always_inline)) void binsOf(const Table& table, const double* xs, std::size_t* bins) {
  const double* data = table.padded.data();
  const double* base[kLanes];
  for (std::size_t k = 0; k < kLanes; ++k) {
    // The bucket, clamped (NaN and ±inf land in an end bucket; NaN is overridden below).
    const double position = (xs[k] - table.low) * table.scale;
    const std::size_t bucket =
        position > 0 ? std::size_t(std::min(position, double(kBuckets - 1))) : std::size_t(0);
    base[k] = data + table.windowStart[bucket];
  }
  std::size_t n = table.window;
  while (n > 1) {
    const std::size_t half = n / 2;
    for (std::size_t k = 0; k < kLanes; ++k) base[k] = base[k][half] < xs[k] ? base[k] + half : base[k];
    n -= half;
  }
  for (std::size_t k = 0; k < kLanes; ++k) {
    bins[k] = std::isnan(xs[k]) ? table.thresholds.size() + 1
                                : std::size_t(base[k] - data) + (*base[k] < xs[k] ? 1 : 0);
  }
}

// The body of accumulate, inlined into a plain and an AVX2 copy (the AND of mask rows is most of
// the rest of the work and vectorises twice as wide there).
template <typename Mask, typename Table>
inline __attribute__((always_inline)) void accumulateBody(const std::vector<Table>& features, const Mask* masks,
                                                          const double* leafValues, std::size_t trees,
                                                          const double* rows, std::size_t count, std::size_t width,
                                                          double* out, Mask* state) {
  double xs[kLanes];
  std::size_t bins[kLanes];
  // Each lane's mask row per feature; rows are ANDed two features at a time, so the state of a
  // lane is written (features + 1) / 2 times instead of once per feature.
  std::vector<const Mask*> rowsOf(features.size() * kLanes);
  for (std::size_t first = 0; first < count; first += kLanes) {
    const std::size_t lanes = std::min(kLanes, count - first);
    for (std::size_t f = 0; f < features.size(); ++f) {
      const Table& table = features[f];
      for (std::size_t k = 0; k < kLanes; ++k) {
        xs[k] = k < lanes ? rows[(first + k) * width + table.feature] : 0.0;
      }
      binsOf(table, xs, bins);
      for (std::size_t k = 0; k < kLanes; ++k) rowsOf[f * kLanes + k] = masks + table.offset + bins[k] * trees;
    }
    for (std::size_t k = 0; k < lanes; ++k) {
      Mask* v = state + k * trees;
      const std::size_t n = features.size();
      if (n == 0) {  // every tree a single leaf
        std::fill(v, v + trees, Mask(~Mask(0)));
        continue;
      }
      const Mask* a = rowsOf[k];
      const Mask* b = n > 1 ? rowsOf[kLanes + k] : a;
      for (std::size_t h = 0; h < trees; ++h) v[h] = a[h] & b[h];
      std::size_t f = 2;
      for (; f + 1 < n; f += 2) {
        const Mask* c = rowsOf[f * kLanes + k];
        const Mask* d = rowsOf[(f + 1) * kLanes + k];
        for (std::size_t h = 0; h < trees; ++h) v[h] &= c[h] & d[h];
      }
      if (f < n) {
        const Mask* c = rowsOf[f * kLanes + k];
        for (std::size_t h = 0; h < trees; ++h) v[h] &= c[h];
      }
    }
    // Tree order per row, rows interleaved so the additions of different rows overlap; the sums
    // stay in registers (lanes past the tail add leaves of stale masks that are never stored;
    // countr_zero of a zero mask is the mask width, still inside a tree's 64 leaf slots).
    double sums[kLanes];
    for (std::size_t k = 0; k < kLanes; ++k) sums[k] = k < lanes ? out[first + k] : 0.0;
    for (std::size_t h = 0; h < trees; ++h) {
      const double* leaves = leafValues + h * 64;
      for (std::size_t k = 0; k < kLanes; ++k) sums[k] += leaves[std::countr_zero(state[k * trees + h])];
    }
    for (std::size_t k = 0; k < lanes; ++k) out[first + k] = sums[k];
  }
}

template <typename Mask, typename Table>
void accumulatePlain(const std::vector<Table>& features, const Mask* masks, const double* leafValues,
                     std::size_t trees, const double* rows, std::size_t count, std::size_t width, double* out,
                     Mask* state) {
  accumulateBody(features, masks, leafValues, trees, rows, count, width, out, state);
}

template <typename Mask, typename Table>
__attribute__((target("avx2"))) void accumulateAvx2(const std::vector<Table>& features, const Mask* masks,
                                                    const double* leafValues, std::size_t trees,
                                                    const double* rows, std::size_t count, std::size_t width,
                                                    double* out, Mask* state) {
  accumulateBody(features, masks, leafValues, trees, rows, count, width, out, state);
}

const bool kHasAvx2 = __builtin_cpu_supports("avx2");

}  // namespace

template <typename Mask>
void BitvectorScorer::accumulateWith(const double* rows, std::size_t count, std::size_t width, double* out) const {
  const Mask* masks = reinterpret_cast<const Mask*>(m_masks.data());
  std::vector<Mask> state(kLanes * m_trees);
  if (kHasAvx2) {
    accumulateAvx2(m_features, masks, m_leafValues.data(), m_trees, rows, count, width, out, state.data());
  } else {
    accumulatePlain(m_features, masks, m_leafValues.data(), m_trees, rows, count, width, out, state.data());
  }
}

void BitvectorScorer::accumulate(const double* rows, std::size_t count, std::size_t width, double* out) const {
  if (m_narrow) {
    accumulateWith<std::uint32_t>(rows, count, width, out);
  } else {
    accumulateWith<std::uint64_t>(rows, count, width, out);
  }
}

}  // namespace geih::ml
