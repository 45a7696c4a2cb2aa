// The best split of one tree node on one feature, from the feature's gradient histogram.
//
// Score of a set of rows with gradient sum G, hessian sum H (and row weight W = H for the mean
// criteria):
//   Newton   G^2 / (H + lambda)                     gradient boosting (XGBoost's structure score)
//   Mean     G^2 / H with G = sum of y, H = weights  squared error and Gini (for 0/1 y both reduce
//                                                    to the same impurity decrease)
//   Entropy  G log(G/H) + (H-G) log((H-G)/H)          binary y: minus the node's weighted entropy
// gain = score(left) + score(right) - score(parent); a split is valid when both sides keep at
// least minChildSamples rows and minChildWeight hessian, and gain > minGain.
// Numeric features split at a bin (bins <= b left); the missing bin goes to whichever side gains
// more (to the larger side when training saw no missing value). Categorical features sort their
// categories by G / (H + catSmooth) and split at the best prefix of that order (Fisher's ordering,
// exact for these scores up to the smoothing).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "core/ml/decision_tree_nodes.h"
#include "core/ml/feature_binning.h"
#include "core/ml/tree_histogram.h"

namespace geih::ml {

enum class SplitCriterion { Newton, Mean, Entropy };

struct SplitRules {
  SplitCriterion criterion = SplitCriterion::Newton;
  double lambda = 0.0;
  double minChildWeight = 0.0;
  double minChildSamples = 1.0;
  double minGain = 0.0;
  double catSmooth = 10.0;
};

struct NodeTotals {
  double g = 0.0, h = 0.0, count = 0.0;
};

struct SplitCandidate {
  bool valid = false;
  std::int32_t feature = -1;
  double gain = 0.0;
  std::uint8_t bin = 0;        // numeric: bins <= bin go left
  bool categorical = false;
  CategorySet leftCategories{};
  bool defaultLeft = false;
  NodeTotals left, right;
};

double nodeScore(const SplitRules& rules, double g, double h);

// Best split of `feature` given its histogram (kHistBins bins); an invalid candidate when none.
// `occupied`: the bins that hold rows, ascending, when the caller knows them (small nodes); the
// histogram is then only read there. Either way the same candidates are tried in the same order.
SplitCandidate findBestSplit(const HistBin* histogram, const FeatureBins& bins,
                             std::int32_t feature, const NodeTotals& totals,
                             const SplitRules& rules, std::span<const std::uint8_t> occupied = {});

}  // namespace geih::ml
