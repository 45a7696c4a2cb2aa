// Regularised linear regression ("linear"): ordinary least squares, ridge, lasso and elastic net,
// with scikit-learn's objectives so the coefficients can be compared:
//   none        min ||y - Xw - b||^2
//   ridge       min ||y - Xw - b||^2 + alpha ||w||^2                       (closed form)
//   lasso       min 1/(2n) ||y - Xw - b||^2 + alpha ||w||_1                (coordinate descent)
//   elasticnet  min 1/(2n) ||y - Xw - b||^2 + alpha l1_ratio ||w||_1
//                                           + alpha (1 - l1_ratio) / 2 ||w||^2
// over the model's FeaturePipeline outputs (standardised numeric features and one-hot categories
// by default), intercept b not penalised. Coordinate descent runs on the Gram matrix X'X/n (one
// pass over the rows, then O(p^2) per sweep) until the largest coefficient change is below
// tol x the largest coefficient. The Gram matrix is summed over fixed row blocks, so the model is
// the same bits on any number of threads.
// Model body JSON: {"intercept": b, "coefficients": [w...] (per preprocessing output, on the
// standardised scale), "iterations": n}.
#pragma once

#include "core/ml/learner.h"

namespace geih::ml {

class LinearRegressionLearner : public Learner {
 public:
  explicit LinearRegressionLearner(const ParamMap& params = {});
  std::string kind() const override { return "linear"; }
  std::vector<ParamSpec> paramsSchema() const override { return schema(); }
  const ParamMap& params() const override { return m_params; }
  bool supports(Task task) const override { return task == Task::Regression; }
  std::unique_ptr<Model> fit(const TrainingData& data, Progress& progress) const override;
  static std::vector<ParamSpec> schema();

 private:
  ParamMap m_params;
};

class LinearRegressionModel : public Model {
 public:
  LinearRegressionModel(std::string target, FeaturePipeline pipeline, ParamMap params,
                        double intercept, Eigen::VectorXd coefficients, int iterations);
  std::string kind() const override { return "linear"; }
  Task task() const override { return Task::Regression; }
  const std::string& target() const override { return m_target; }
  const FeaturePipeline& pipeline() const override { return m_pipeline; }
  const ParamMap& params() const override { return m_params; }

  double intercept() const { return m_intercept; }
  const Eigen::VectorXd& coefficients() const { return m_coefficients; }
  std::optional<LinearForm> linearForm() const override;
  int iterations() const { return m_iterations; }

  static std::unique_ptr<LinearRegressionModel> fromJson(const nlohmann::json& document);

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
