// Grows one tree on binned rows from gradient pairs: best-first (the open leaf whose best split
// gains most is split next), bounded by maxLeaves and maxDepth, until no split gains.
//
// Two histogram strategies:
//   subtraction (featuresPerNode == 0): every node sees the tree's features; the smaller child's
//     histograms are built and the larger child's are the parent's minus them (gradient boosting).
//   per-node sampling (featuresPerNode = k > 0): each node draws k of the tree's features (random
//     forest's max_features) and builds histograms of those only.
// `rows` is partitioned in place so that every leaf owns a contiguous range of it.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/common/rng.h"
#include "core/ml/decision_tree_nodes.h"
#include "core/ml/feature_binning.h"
#include "core/ml/quantized_histogram.h"
#include "core/ml/split_finder.h"
#include "core/ml/tree_histogram.h"

namespace geih::ml {

enum class LeafOutput { Newton, Mean };  // -G / (H + lambda), or G / H

struct GrowerParams {
  int maxLeaves = 31;  // 0 = unlimited
  int maxDepth = 0;    // 0 = unlimited
  double minSamplesSplit = 2;  // rows a node needs to be split at all
  SplitRules rules;
  LeafOutput leafOutput = LeafOutput::Newton;
  int featuresPerNode = 0;  // 0 = all of the tree's features, with histogram subtraction
  int threads = 1;
};

struct LeafRange {
  std::int32_t node;
  std::size_t begin, end;  // into the partitioned rows
};

struct GrownTree {
  TreeNodes tree;
  std::vector<LeafRange> leaves;
};

// Gradient boosting's fast path: split search on histograms of quantised gradients over
// row-major bins (quantized_histogram.h). Leaf totals are then approximate; callers that need
// exact leaf values recompute them from the leaves' row ranges.
struct QuantizedInputs {
  const RowMajorBins* bins = nullptr;
  const QuantizedGradients* gradients = nullptr;
};

// rows: the training rows of this tree (each at most once; weights live in the gradients).
// features: the features this tree may split on. Leaf values are unscaled (no learning rate).
GrownTree growTree(const BinnedMatrix& matrix, const GradientPair* gradients,
                   std::vector<std::uint32_t>& rows, bool allRows,
                   std::span<const std::int32_t> features, const GrowerParams& params, Rng& rng,
                   const QuantizedInputs* quantized = nullptr);

}  // namespace geih::ml
