// Random forest ("forest") and a single CART decision tree ("tree") on the histogram machinery,
// for binary classification and regression.
//
// A tree splits on binned features (<= max_bins quantile bins, missing values in their own bin and
// routed to the better side, categoricals by sets) with the Gini or entropy criterion (binary) or
// squared error (regression), grows until max_depth / max_leaf_nodes / min_samples_split /
// min_samples_leaf / min_impurity_decrease stop it, and predicts the class-1 share or mean of its
// leaf. min_impurity_decrease follows scikit-learn: the weighted impurity decrease
// N_t / N * (impurity - N_L / N_t * impurity_L - N_R / N_t * impurity_R) must reach it.
// The forest grows n_estimators such trees in parallel, each on a bootstrap sample (max_samples
// of the rows) choosing among max_features random features at every node, and averages them;
// with bootstrap on it reports the out-of-bag score (ROC AUC, or R^2 for regression) in the
// model's info. Tree t draws from its own seeded stream, so the forest is the same bits on any
// number of threads.
#pragma once

#include "core/ml/learner.h"

namespace geih::ml {

class RandomForestLearner : public Learner {
 public:
  explicit RandomForestLearner(const ParamMap& params = {});
  std::string kind() const override { return "forest"; }
  std::vector<ParamSpec> paramsSchema() const override { return schema(); }
  const ParamMap& params() const override { return m_params; }
  std::unique_ptr<Model> fit(const TrainingData& data, Progress& progress) const override;
  static std::vector<ParamSpec> schema();

 private:
  ParamMap m_params;
};

class DecisionTreeLearner : public Learner {
 public:
  explicit DecisionTreeLearner(const ParamMap& params = {});
  std::string kind() const override { return "tree"; }
  std::vector<ParamSpec> paramsSchema() const override { return schema(); }
  const ParamMap& params() const override { return m_params; }
  std::unique_ptr<Model> fit(const TrainingData& data, Progress& progress) const override;
  static std::vector<ParamSpec> schema();

 private:
  ParamMap m_params;
};

}  // namespace geih::ml
