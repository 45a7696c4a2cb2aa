// Tree-ensemble scoring by bitvectors, after QuickScorer (Lucchese et al., SIGIR 2015), with the
// thresholds turned into per-feature tables.
//
// Leaves of a tree are numbered left to right. A split that sends a row right makes the leaves of
// its left subtree unreachable; its mask is all ones but those bits. ANDing the masks of every
// split a row fails leaves the row's exit leaf as the lowest set bit. Here the splits of feature f
// (across all trees) sort by threshold, so a value's position among them (its bin, found by a
// binary search) fixes which of them it fails; the AND of their masks per tree is precomputed for
// every bin (and for a missing value, from each split's default side). Scoring a row is then a
// binary search and one AND per (used feature, tree), a count-trailing-zeros and a leaf load per
// tree: no branch on the path, no pointer chasing, and several rows in lock-step.
//
// Exact: a row reaches the same leaf as walking the tree (x <= threshold goes left; NaN goes to
// the default side), and leaf values are added in tree order from 0, as the walking scorer does,
// so predictions are bit for bit the same. Built only for numeric splits, at most 64 leaves a
// tree, and tables under a size cap; otherwise build() returns nothing and the caller walks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/ml/decision_tree_nodes.h"

namespace geih::ml {

class BitvectorScorer {
 public:
  static std::unique_ptr<BitvectorScorer> build(const std::vector<TreeNodes>& trees, std::size_t featureCount,
                                                std::size_t maxTableBytes = std::size_t(64) << 20);

  // out[r] += the leaf value of every tree, in tree order, for `count` row-major rows of `width`
  // design-matrix values.
  void accumulate(const double* rows, std::size_t count, std::size_t width, double* out) const;

  std::size_t tableBytes() const { return m_masks.size() * sizeof(std::uint64_t); }

 private:
  struct FeatureTable {
    std::size_t feature = 0;
    std::vector<double> thresholds;  // distinct, ascending
    std::size_t offset = 0;          // into m_masks: bin b of tree h at offset + b * trees + h
    // A value's bin is searched in a short window: equal-width buckets over the thresholds'
    // range give, for a value's bucket b, the thresholds below bucket b - 1 (all below the
    // value) and a window of `window` thresholds that holds the rest it passes (padded with +inf).
    double low = 0, scale = 0;
    std::vector<std::uint32_t> windowStart;  // per bucket
    std::vector<double> padded;              // thresholds + `window` × +inf
    std::size_t window = 0;
  };
  static void indexThresholds(FeatureTable& table);
  template <typename Mask>
  void accumulateWith(const double* rows, std::size_t count, std::size_t width, double* out) const;

  std::size_t m_trees = 0;
  bool m_narrow = true;  // every tree has at most 32 leaves: masks stored as 32 bits
  std::vector<FeatureTable> m_features;
  std::vector<std::uint64_t> m_masks;   // narrow: two 32-bit masks per word (see maskData)
  std::vector<double> m_leafValues;     // tree h, leaf i at h * 64 + i
};

}  // namespace geih::ml
