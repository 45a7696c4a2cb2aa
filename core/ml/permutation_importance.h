// Permutation importance of every input feature of a model: how much a score drops when the
// feature's values are shuffled among the rows (Breiman; scikit-learn's permutation_importance).
// Score: ROC AUC for binary models, R^2 for regression. At most `maxRows` rows (a seeded sample)
// are used; each feature is shuffled `repeats` times with seeded permutations.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/common/progress.h"
#include "core/ml/model.h"

namespace geih::ml {

struct FeatureImportance {
  std::string feature;
  double mean = 0;  // baseline score minus the shuffled score, averaged over the repeats
  double std = 0;   // population standard deviation over the repeats
};

struct PermutationOptions {
  int repeats = 5;
  std::size_t maxRows = 20000;
  std::uint64_t seed = 42;
};

// Sorted by mean, largest first. Throws InputError when labels and rows differ in number.
std::vector<FeatureImportance> permutationImportance(const Model& model, const table::Table& data,
                                                     std::span<const double> labels,
                                                     const PermutationOptions& options,
                                                     Progress& progress);

// "roc_auc" or "r2".
const char* permutationMetric(Task task);

}  // namespace geih::ml
