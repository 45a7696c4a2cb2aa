#include "core/ml/linear_model.h"

#include <cmath>

#include "core/common/error.h"
#include "core/ml/training_labels.h"

namespace geih::ml {
namespace {

constexpr Eigen::Index kRowBlocks = 64;

double softThreshold(double value, double threshold) {
  if (value > threshold) return value - threshold;
  if (value < -threshold) return value + threshold;
  return 0.0;
}

// X'X and X'y of the centred design over fixed row blocks (summed in block order).
void gram(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, Eigen::MatrixXd& xtx,
          Eigen::VectorXd& xty) {
  const Eigen::Index n = x.rows(), p = x.cols();
  std::vector<Eigen::MatrixXd> partsXtx(kRowBlocks, Eigen::MatrixXd::Zero(p, p));
  std::vector<Eigen::VectorXd> partsXty(kRowBlocks, Eigen::VectorXd::Zero(p));
#pragma omp parallel for schedule(static)
  for (Eigen::Index b = 0; b < kRowBlocks; ++b) {
    const Eigen::Index start = n * b / kRowBlocks, rows = n * (b + 1) / kRowBlocks - start;
    if (rows == 0) continue;
    const auto block = x.middleRows(start, rows);
    partsXtx[std::size_t(b)].selfadjointView<Eigen::Lower>().rankUpdate(block.transpose());
    partsXty[std::size_t(b)] = block.transpose() * y.segment(start, rows);
  }
  xtx = Eigen::MatrixXd::Zero(p, p);
  xty = Eigen::VectorXd::Zero(p);
  for (Eigen::Index b = 0; b < kRowBlocks; ++b) {
    xtx += partsXtx[std::size_t(b)];
    xty += partsXty[std::size_t(b)];
  }
  xtx = xtx.selfadjointView<Eigen::Lower>();
}

}  // namespace

std::vector<ParamSpec> LinearRegressionLearner::schema() {
  return {
      choiceParam("penalty", "ridge", "none (least squares), ridge (L2), lasso (L1), elasticnet",
                  {"none", "ridge", "lasso", "elasticnet"}),
      doubleParam("alpha", 1.0, "regularisation strength (scikit-learn's alpha)", 0),
      doubleParam("l1_ratio", 0.5, "share of L1 in the elastic net penalty", 0, 1),
      intParam("max_iter", 1000, "maximum coordinate-descent sweeps (lasso, elasticnet)", 1, 1e7),
      doubleParam("tol", 1e-10, "stop when no coefficient moves more than tol x the largest", 0,
                  std::nullopt, true),
      boolParam("standardise", true, "standardise numeric features before fitting"),
  };
}

LinearRegressionLearner::LinearRegressionLearner(const ParamMap& params)
    : m_params(resolveParams(schema(), params)) {}

std::unique_ptr<Model> LinearRegressionLearner::fit(const TrainingData& data,
                                                    Progress& progress) const {
  if (data.task != Task::Regression) {
    throw InputError("linear regression fits regression targets only, not " +
                     std::string(taskName(data.task)) + " (use logistic)");
  }
  const std::vector<double> labels = trainingLabels(data);
  const std::vector<std::string> features = trainingFeatures(data);
  progress.report(0.0, "preparing features");
  FeaturePipeline pipeline =
      FeaturePipeline::fit(*data.table, features, paramBool(m_params, "standardise"));
  Eigen::MatrixXd x = pipeline.transform(*data.table);
  const Eigen::Index n = x.rows(), p = x.cols();
  const Eigen::VectorXd y = Eigen::Map<const Eigen::VectorXd>(labels.data(), n);
  // Centre so the intercept drops out: b = mean(y) - mean(x) . w.
  const Eigen::VectorXd xMean = x.colwise().mean();
  const double yMean = y.mean();
  x.rowwise() -= xMean.transpose();
  const Eigen::VectorXd yc = y.array() - yMean;
  progress.checkCancelled();
  Eigen::MatrixXd xtx;
  Eigen::VectorXd xty;
  gram(x, yc, xtx, xty);
  x.resize(0, 0);

  const std::string penalty = m_params.at("penalty");
  const double alpha = paramDouble(m_params, "alpha");
  Eigen::VectorXd w = Eigen::VectorXd::Zero(p);
  int iterations = 0;
  if (penalty == "none" || penalty == "ridge") {
    Eigen::MatrixXd a = xtx;
    if (penalty == "ridge") a.diagonal().array() += alpha;
    // Minimum-norm solution when X'X is singular (collinear or constant outputs).
    w = a.completeOrthogonalDecomposition().solve(xty);
    iterations = 1;
  } else {
    const double l1Ratio = penalty == "lasso" ? 1.0 : paramDouble(m_params, "l1_ratio");
    const double l1 = alpha * l1Ratio, l2 = alpha * (1.0 - l1Ratio);
    const Eigen::MatrixXd g = xtx / double(n);
    const Eigen::VectorXd c = xty / double(n);
    const int maxIter = int(paramInt(m_params, "max_iter"));
    const double tol = paramDouble(m_params, "tol");
    Eigen::VectorXd gw = Eigen::VectorXd::Zero(p);  // G w, kept up to date
    for (iterations = 1; iterations <= maxIter; ++iterations) {
      double largestChange = 0, largestWeight = 0;
      for (Eigen::Index j = 0; j < p; ++j) {
        const double old = w[j];
        const double denominator = g(j, j) + l2;
        const double updated =
            denominator > 0 ? softThreshold(c[j] - (gw[j] - g(j, j) * old), l1) / denominator : 0.0;
        if (updated != old) {
          gw += g.col(j) * (updated - old);
          w[j] = updated;
        }
        largestChange = std::max(largestChange, std::abs(updated - old));
        largestWeight = std::max(largestWeight, std::abs(updated));
      }
      if (largestChange <= tol * std::max(largestWeight, 1e-300)) break;
      if (iterations % 50 == 0) {
        progress.checkCancelled();
        progress.report(double(iterations) / maxIter, "coordinate descent");
      }
    }
    iterations = std::min(iterations, maxIter);
  }
  const double intercept = yMean - xMean.dot(w);
  return std::make_unique<LinearRegressionModel>(data.target, std::move(pipeline), m_params,
                                                 intercept, std::move(w), iterations);
}

LinearRegressionModel::LinearRegressionModel(std::string target, FeaturePipeline pipeline,
                                             ParamMap params, double intercept,
                                             Eigen::VectorXd coefficients, int iterations)
    : m_target(std::move(target)), m_pipeline(std::move(pipeline)), m_params(std::move(params)),
      m_intercept(intercept), m_coefficients(std::move(coefficients)), m_iterations(iterations) {}

void LinearRegressionModel::predictTransformed(const double* x, std::size_t rows, double* out) const {
  const std::size_t width = std::size_t(m_coefficients.size());
  for (std::size_t row = 0; row < rows; ++row) {
    double z = 0;
    for (std::size_t j = 0; j < width; ++j) z += x[row * width + j] * m_coefficients[Eigen::Index(j)];
    out[row] = z + m_intercept;
  }
}

std::optional<LinearForm> LinearRegressionModel::linearForm() const {
  return LinearForm::of(m_pipeline, !derivedFeatures().empty(),
                        std::span<const double>(m_coefficients.data(), std::size_t(m_coefficients.size())),
                        m_intercept, LinearForm::Link::Identity);
}

void LinearRegressionModel::predictPrepared(const table::Table& data, std::span<double> out) const {
  if (out.size() != data.rowCount()) {
    throw InputError("predict: output has room for " + std::to_string(out.size()) +
                     " values, the table has " + std::to_string(data.rowCount()) + " rows");
  }
  m_pipeline.checkInputs(data);
  // Blocks of rows through the same arithmetic as dense (raster) scoring.
  constexpr std::size_t kBlock = 4096;
  std::vector<double> block(kBlock * m_pipeline.outputCount());
  for (std::size_t begin = 0; begin < out.size(); begin += kBlock) {
    const std::size_t end = std::min(out.size(), begin + kBlock);
    m_pipeline.transformRows(data, begin, end, block.data());
    predictTransformed(block.data(), end - begin, out.data() + begin);
  }
}

nlohmann::json LinearRegressionModel::bodyJson() const {
  return {{"intercept", m_intercept},
          {"coefficients", std::vector<double>(m_coefficients.data(),
                                               m_coefficients.data() + m_coefficients.size())},
          {"iterations", m_iterations}};
}

std::unique_ptr<LinearRegressionModel> LinearRegressionModel::fromJson(
    const nlohmann::json& document) {
  ModelDocumentCommon common = readModelDocumentCommon(document, "linear", Task::Regression);
  ParamMap params;
  try {
    params = resolveParams(LinearRegressionLearner::schema(), common.params);
  } catch (const InputError& error) {
    throw Corrupt(std::string("model JSON: params: ") + error.what());
  }
  const auto body = document.find("body");
  if (body == document.end() || !body->is_object()) {
    throw Corrupt("model JSON: body: missing or not an object");
  }
  const auto intercept = body->find("intercept");
  if (intercept == body->end() || !intercept->is_number() ||
      !std::isfinite(intercept->get<double>())) {
    throw Corrupt("model JSON: body.intercept: missing or not a finite number");
  }
  const auto coefficients = body->find("coefficients");
  const std::size_t outputs = common.pipeline.outputCount();
  if (coefficients == body->end() || !coefficients->is_array() ||
      coefficients->size() != outputs) {
    throw Corrupt("model JSON: body.coefficients: must be an array of " + std::to_string(outputs) +
                  " numbers (one per preprocessing output)");
  }
  Eigen::VectorXd values(static_cast<Eigen::Index>(outputs));
  for (std::size_t j = 0; j < outputs; ++j) {
    const nlohmann::json& value = (*coefficients)[j];
    if (!value.is_number() || !std::isfinite(value.get<double>())) {
      throw Corrupt("model JSON: body.coefficients[" + std::to_string(j) +
                    "]: must be a finite number");
    }
    values[Eigen::Index(j)] = value.get<double>();
  }
  const auto iterations = body->find("iterations");
  const int count = iterations != body->end() && iterations->is_number_integer()
                        ? iterations->get<int>()
                        : 0;
  auto model = std::make_unique<LinearRegressionModel>(common.target, std::move(common.pipeline),
                                                       std::move(params), intercept->get<double>(),
                                                       std::move(values), count);
  model->trainingInfo() = common.training;
  model->setDerivedFeatures(std::move(common.derived));
  return model;
}

}  // namespace geih::ml
