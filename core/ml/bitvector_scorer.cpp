#include "core/ml/bitvector_scorer.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <functional>

namespace geih::ml {

namespace {

// Number of thresholds strictly below x (a value equal to a threshold passes that split's test).
inline std::size_t binOf(const std::vector<double>& thresholds, double x) {
  // Branch-free lower bound (Khuong & Morin's layout study): the loads do not wait on branches.
  const double* base = thresholds.data();
  std::size_t n = thresholds.size();
  while (n > 1) {
    const std::size_t half = n / 2;
    base = base[half] < x ? base + half : base;
    n -= half;
  }
  return std::size_t(base - thresholds.data()) + (*base < x ? 1 : 0);
}

}  // namespace

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

template <typename Mask>
void BitvectorScorer::accumulateWith(const double* rows, std::size_t count, std::size_t width, double* out) const {
  constexpr std::size_t kLanes = 8;
  const std::size_t trees = m_trees;
  const Mask* masks = reinterpret_cast<const Mask*>(m_masks.data());
  std::vector<Mask> state(kLanes * trees);
  for (std::size_t first = 0; first < count; first += kLanes) {
    const std::size_t lanes = std::min(kLanes, count - first);
    std::fill(state.begin(), state.begin() + std::ptrdiff_t(lanes * trees), Mask(~Mask(0)));
    for (const FeatureTable& table : m_features) {
      for (std::size_t k = 0; k < lanes; ++k) {
        const double x = rows[(first + k) * width + table.feature];
        const std::size_t bin = std::isnan(x) ? table.thresholds.size() + 1 : binOf(table.thresholds, x);
        const Mask* m = masks + table.offset + bin * trees;
        Mask* v = state.data() + k * trees;
        for (std::size_t h = 0; h < trees; ++h) v[h] &= m[h];
      }
    }
    // Tree order per row, rows interleaved so the additions of different rows overlap.
    for (std::size_t h = 0; h < trees; ++h) {
      const double* leaves = m_leafValues.data() + h * 64;
      for (std::size_t k = 0; k < lanes; ++k) {
        out[first + k] += leaves[std::countr_zero(state[k * trees + h])];
      }
    }
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
