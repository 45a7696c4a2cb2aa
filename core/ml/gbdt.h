// Histogram gradient-boosted trees ("gbdt") for binary classification (logistic loss) and
// regression (squared error), in the XGBoost/LightGBM family.
//
// Features are binned once (quantiles, <= max_bins, missing in its own bin; categoricals split by
// sets natively); each round fits one tree best-first (max_leaves, max_depth) to the gradients and
// hessians of the loss, with split gain G_L^2/(H_L+l2) + G_R^2/(H_R+l2) - G^2/(H+l2), leaves
// -G/(H+l2) times learning_rate, min_child_samples / min_child_weight limits, row subsampling and
// per-tree column subsampling. With early_stopping_rounds > 0 a validation_fraction of the rows is
// held out (seeded) and boosting stops when its loss has not improved for that many rounds; the
// model keeps the best round's trees.
// Seeded and deterministic: the same data, params and seed give the same model bits on any number
// of threads (TrainingData.threads; histograms are summed per feature in row order).
// Progress is reported per tree; Cancel stops between trees.
#pragma once

#include "core/ml/learner.h"

namespace geih::ml {

class GbdtLearner : public Learner {
 public:
  // Throws InputError listing every invalid parameter.
  explicit GbdtLearner(const ParamMap& params = {});
  std::string kind() const override { return "gbdt"; }
  std::vector<ParamSpec> paramsSchema() const override { return schema(); }
  const ParamMap& params() const override { return m_params; }
  std::unique_ptr<Model> fit(const TrainingData& data, Progress& progress) const override;

  static std::vector<ParamSpec> schema();

 private:
  ParamMap m_params;
};

}  // namespace geih::ml
