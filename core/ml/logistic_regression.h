// L2-regularised logistic regression for binary classification.
//
// Objective (scikit-learn's convention): minimise C * sum_i logloss(y_i, sigmoid(b + w.x_i))
// + 0.5 * |w|^2 over standardised features (the FeaturePipeline inside the model), intercept not
// penalised. Solved by Newton's method with a backtracking line search (IRLS), so it converges in a
// few iterations on unscaled inputs. Class weights "balanced" reweight rows as n / (2 * n_class).
// Params: C (>0, default 1), max_iter (default 100), tol (gradient inf-norm, default 1e-8),
// class_weight none|balanced, standardise (default true), penalty l2|l1|elasticnet|none and
// l1_ratio. The non-L2 penalties follow scikit-learn too (l1: |w|_1 + C sum loss; elasticnet:
// l1_ratio |w|_1 + (1 - l1_ratio) / 2 |w|^2 + C sum loss) and are solved by proximal Newton
// (coordinate descent on each Newton model, backtracking on the full objective; tol then bounds
// the largest coefficient step).
// tol applies to the gradient of the objective divided by C * (sum of row weights), i.e. of the
// mean log loss plus penalty, so it does not depend on the number of rows. Rows are reduced in a
// fixed number of blocks (OpenMP over blocks), so the model is the same bits on any thread count.
// Model body JSON: {"intercept": b, "coefficients": [w...] (one per preprocessing output, on the
// standardised scale), "iterations": n}.
#pragma once

#include "core/ml/learner.h"

namespace geih::ml {

class LogisticRegressionLearner : public Learner {
 public:
  // Throws InputError listing every invalid parameter.
  explicit LogisticRegressionLearner(const ParamMap& params = {});
  std::string kind() const override { return "logistic"; }
  std::vector<ParamSpec> paramsSchema() const override;
  const ParamMap& params() const override { return m_params; }
  bool supports(Task task) const override { return task == Task::BinaryClassification; }
  std::unique_ptr<Model> fit(const TrainingData& data, Progress& progress) const override;

  static std::vector<ParamSpec> schema();

 private:
  ParamMap m_params;
};

class LogisticRegressionModel : public Model {
 public:
  LogisticRegressionModel(std::string target, FeaturePipeline pipeline, ParamMap params,
                          double intercept, Eigen::VectorXd coefficients, int iterations);

  std::string kind() const override { return "logistic"; }
  Task task() const override { return Task::BinaryClassification; }
  const std::string& target() const override { return m_target; }
  const FeaturePipeline& pipeline() const override { return m_pipeline; }
  const ParamMap& params() const override { return m_params; }

  // On the standardised scale (what was optimised).
  double intercept() const { return m_intercept; }
  const Eigen::VectorXd& coefficients() const { return m_coefficients; }
  // On the original feature scale: logit = rawIntercept + rawCoefficients . x_raw
  // (for numeric/boolean inputs; one-hot outputs are unscaled so unchanged).
  double rawIntercept() const;
  Eigen::VectorXd rawCoefficients() const;
  int iterations() const { return m_iterations; }
  std::optional<LinearForm> linearForm() const override;

  // Throws Corrupt naming the field.
  static std::unique_ptr<LogisticRegressionModel> fromJson(const nlohmann::json& document);

 protected:
  nlohmann::json bodyJson() const override;
  void predictPrepared(const table::Table& data, std::span<double> out) const override;
  void predictTransformed(const double* x, std::size_t rows, double* out) const override;

 private:
  std::string m_target;
  FeaturePipeline m_pipeline;
  ParamMap m_params;
  double m_intercept;
  Eigen::VectorXd m_coefficients;
  int m_iterations;
};

}  // namespace geih::ml
