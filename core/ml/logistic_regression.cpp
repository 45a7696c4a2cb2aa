#include "core/ml/logistic_regression.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <sstream>

#include "core/common/error.h"
#include "core/common/huge_pages.h"

namespace geih::ml {
namespace {

// Rows are reduced in a fixed number of contiguous blocks, summed in block order, so the result
// is the same bits whatever the number of threads or their scheduling.
constexpr Eigen::Index kBlocks = 16;
constexpr Eigen::Index kRankUpdateRows = 512;
constexpr Eigen::Index kParallelRows = 16384;
constexpr int kMaxHalvings = 50;
constexpr double kArmijo = 1e-4;

double softplus(double z) { return z > 0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z)); }

std::string describe(double value) {
  std::ostringstream text;
  text << value;
  return text.str();
}

// 0/1 labels from a numeric or boolean target; InputError naming column, row and value otherwise.
Eigen::VectorXd binaryLabels(const table::Table& data, const std::string& target) {
  if (!data.hasColumn(target)) {
    std::string names;
    for (const std::string& name : data.columnNames()) names += (names.empty() ? "" : ", ") + name;
    throw InputError("target column '" + target + "' not found (columns: " + names + ")");
  }
  const table::Column& column = data.column(target);
  if (column.type() == table::ColumnType::Categorical) {
    std::string example;
    for (std::size_t row = 0; row < column.size() && example.empty(); ++row) {
      if (!column.isMissing(row)) {
        example = ", e.g. '" + column.textAt(row) + "' at data row " + std::to_string(row + 1);
      }
    }
    throw InputError("target column '" + target + "' holds text (categorical" + example +
                     "); a binary target must be 0/1 or true/false");
  }
  Eigen::VectorXd labels(static_cast<Eigen::Index>(column.size()));
  std::size_t positives = 0;
  for (std::size_t row = 0; row < column.size(); ++row) {
    const double value = column.numberAt(row);
    if (std::isnan(value)) {
      throw InputError("target column '" + target + "' is missing at data row " +
                       std::to_string(row + 1));
    }
    if (value != 0.0 && value != 1.0) {
      throw InputError("target column '" + target + "' must be 0/1, found " + describe(value) +
                       " at data row " + std::to_string(row + 1));
    }
    labels[Eigen::Index(row)] = value;
    positives += value == 1.0;
  }
  if (labels.size() == 0) throw InputError("no training rows");
  if (positives == 0 || positives == column.size()) {
    throw InputError("target column '" + target + "' holds only one class (every row is " +
                     (positives == 0 ? "0" : "1") + "); a binary model needs both");
  }
  return labels;
}

// The penalised objective C * sum_i s_i logloss_i + 0.5 |w|^2 over the design matrix A = [X | 1]
// (intercept last, unpenalised), its gradient and Hessian.
class Objective {
 public:
  Objective(const Eigen::MatrixXd& design, const Eigen::VectorXd& labels,
            const Eigen::VectorXd& weights, double c)
      : m_a(design), m_y(labels), m_s(weights), m_c(c) {
    const Eigen::Index n = m_a.rows();
    m_blocks = std::clamp<Eigen::Index>(n / 1024, 1, kBlocks);
  }

  double value(const Eigen::VectorXd& theta) const {
    std::vector<double> partial(std::size_t(m_blocks), 0.0);
#pragma omp parallel for schedule(static) if (m_a.rows() >= kParallelRows)
    for (Eigen::Index block = 0; block < m_blocks; ++block) {
      const auto [start, length] = rangeOf(block);
      const Eigen::VectorXd z = m_a.middleRows(start, length) * theta;
      double sum = 0;
      for (Eigen::Index i = 0; i < length; ++i) {
        sum += m_s[start + i] * (softplus(z[i]) - m_y[start + i] * z[i]);
      }
      partial[std::size_t(block)] = sum;
    }
    double loss = 0;
    for (const double p : partial) loss += p;
    const Eigen::Index p = theta.size() - 1;
    return m_c * loss + 0.5 * theta.head(p).squaredNorm();
  }

  // Objective value, gradient and (lower triangle of the) Hessian at theta.
  double derivatives(const Eigen::VectorXd& theta, Eigen::VectorXd& gradient,
                     Eigen::MatrixXd& hessian) const {
    const Eigen::Index k = theta.size();
    std::vector<Eigen::VectorXd> gradients(std::size_t(m_blocks), Eigen::VectorXd::Zero(k));
    std::vector<Eigen::MatrixXd> hessians(std::size_t(m_blocks), Eigen::MatrixXd::Zero(k, k));
    std::vector<double> losses(std::size_t(m_blocks), 0.0);
#pragma omp parallel for schedule(static) if (m_a.rows() >= kParallelRows)
    for (Eigen::Index block = 0; block < m_blocks; ++block) {
      const auto [start, length] = rangeOf(block);
      const auto rows = m_a.middleRows(start, length);
      const Eigen::VectorXd z = rows * theta;
      Eigen::VectorXd residual(length), root(length);
      double loss = 0;
      for (Eigen::Index i = 0; i < length; ++i) {
        const double s = m_s[start + i], y = m_y[start + i];
        // One exp serves both the loss and the probability, stably for either sign of z.
        const double e = std::exp(-std::abs(z[i]));
        const double mu = z[i] >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
        loss += s * (std::max(z[i], 0.0) + std::log1p(e) - y * z[i]);
        residual[i] = s * (mu - y);
        root[i] = std::sqrt(s * mu * (1.0 - mu));
      }
      losses[std::size_t(block)] = loss;
      gradients[std::size_t(block)].noalias() = rows.transpose() * residual;
      Eigen::MatrixXd& h = hessians[std::size_t(block)];
      Eigen::MatrixXd scaled;
      for (Eigen::Index chunk = 0; chunk < length; chunk += kRankUpdateRows) {
        const Eigen::Index size = std::min(kRankUpdateRows, length - chunk);
        scaled = root.segment(chunk, size).asDiagonal() * rows.middleRows(chunk, size);
        h.selfadjointView<Eigen::Lower>().rankUpdate(scaled.transpose());
      }
    }
    double loss = 0;
    gradient = Eigen::VectorXd::Zero(k);
    hessian = Eigen::MatrixXd::Zero(k, k);
    for (std::size_t block = 0; block < std::size_t(m_blocks); ++block) {
      loss += losses[block];
      gradient += gradients[block];
      hessian.triangularView<Eigen::Lower>() += hessians[block];
    }
    const Eigen::Index p = k - 1;
    gradient *= m_c;
    gradient.head(p) += theta.head(p);
    hessian.triangularView<Eigen::Lower>() *= m_c;
    hessian.diagonal().head(p).array() += 1.0;
    return m_c * loss + 0.5 * theta.head(p).squaredNorm();
  }

 private:
  std::pair<Eigen::Index, Eigen::Index> rangeOf(Eigen::Index block) const {
    const Eigen::Index n = m_a.rows();
    const Eigen::Index start = n * block / m_blocks;
    return {start, n * (block + 1) / m_blocks - start};
  }

  const Eigen::MatrixXd& m_a;
  const Eigen::VectorXd& m_y;
  const Eigen::VectorXd& m_s;
  double m_c;
  Eigen::Index m_blocks = 1;
};

// Proximal Newton for the non-smooth penalties (scikit-learn's convention, the loss scaled by C):
//   P(w) + C * sum_i s_i logloss_i,  P = l1 |w|_1 + l2 / 2 |w|^2
// Each iteration fits the quadratic model of the smooth part (loss + L2) plus the L1 term by
// cyclic coordinate descent on the (p + 1) x (p + 1) Hessian, then backtracks on the full
// objective. Stops when no coefficient moves more than tol.
int proximalNewton(const Objective& objective, Eigen::VectorXd& theta, Eigen::Index p, double l1,
                   double l2, int maxIter, double tol, Progress& progress) {
  auto smooth = [&](const Eigen::VectorXd& point) {
    // objective.value() holds the loss and 0.5 |w|^2; swap in l2 / 2 |w|^2.
    return objective.value(point) + 0.5 * (l2 - 1.0) * point.head(p).squaredNorm();
  };
  auto full = [&](const Eigen::VectorXd& point) {
    return smooth(point) + l1 * point.head(p).lpNorm<1>();
  };
  Eigen::VectorXd gradient;
  Eigen::MatrixXd hessian;
  int iterations = 0;
  for (; iterations < maxIter; ++iterations) {
    progress.checkCancelled();
    objective.derivatives(theta, gradient, hessian);
    gradient.head(p) += (l2 - 1.0) * theta.head(p);
    hessian.diagonal().head(p).array() += l2 - 1.0;
    const Eigen::MatrixXd h = hessian.selfadjointView<Eigen::Lower>();
    // Coordinate descent on q(d) = g.d + d'Hd/2 + l1 |w + d|_1.
    Eigen::VectorXd d = Eigen::VectorXd::Zero(p + 1), hd = Eigen::VectorXd::Zero(p + 1);
    for (int sweep = 0; sweep < 10000; ++sweep) {
      double largest = 0;
      for (Eigen::Index j = 0; j <= p; ++j) {
        const double a = h(j, j);
        if (!(a > 0)) continue;
        const double b = gradient[j] + hd[j] - a * d[j];
        double updated;
        if (j == p) {
          updated = -b / a;  // the intercept is not penalised
        } else {
          const double w = theta[j];
          const double u = a * w - b;
          const double shrunk = u > l1 ? u - l1 : (u < -l1 ? u + l1 : 0.0);
          updated = shrunk / a - w;
        }
        const double change = updated - d[j];
        if (change != 0) {
          hd += h.col(j) * change;
          d[j] = updated;
        }
        largest = std::max(largest, std::abs(change));
      }
      if (largest <= 1e-3 * tol) break;
    }
    if (d.lpNorm<Eigen::Infinity>() <= tol) break;
    // Backtracking on the full objective with the model's predicted decrease.
    const double current = full(theta);
    const double decrease = gradient.dot(d) + l1 * ((theta + d).head(p).lpNorm<1>() -
                                                    theta.head(p).lpNorm<1>());
    const double noise = 64 * std::numeric_limits<double>::epsilon() * std::abs(current);
    double t = 1.0;
    bool accepted = false;
    for (int halving = 0; halving < kMaxHalvings; ++halving, t *= 0.5) {
      const Eigen::VectorXd candidate = theta + t * d;
      if (full(candidate) <= current + kArmijo * t * decrease + noise) {
        theta = candidate;
        accepted = true;
        break;
      }
    }
    progress.report(double(iterations + 1) / maxIter,
                    "proximal Newton iteration " + std::to_string(iterations + 1));
    if (!accepted) break;
  }
  return iterations;
}

std::string scientific(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2e", value);
  return text;
}

}  // namespace

// ---- learner ---------------------------------------------------------------------------------

std::vector<ParamSpec> LogisticRegressionLearner::schema() {
  ParamSpec c{"C", ParamType::Double,
              "1", "inverse regularisation strength: larger C fits the training data more closely",
              0.0, std::nullopt,
              {}};
  c.minExclusive = true;
  ParamSpec maxIter{"max_iter", ParamType::Int, "100", "maximum Newton iterations", 1.0, 1e6, {}};
  ParamSpec tol{"tol",  ParamType::Double,
                "1e-8", "stop when the largest gradient entry of the mean objective is below this",
                0.0,    std::nullopt,
                {}};
  tol.minExclusive = true;
  ParamSpec classWeight{"class_weight",
                        ParamType::Choice,
                        "none",
                        "balanced reweights rows as n / (2 * n_class)",
                        std::nullopt,
                        std::nullopt,
                        {"none", "balanced"}};
  ParamSpec standardise{"standardise",
                        ParamType::Bool,
                        "true",
                        "standardise numeric features before fitting (coefficients are also "
                        "reported on the original scale)",
                        std::nullopt,
                        std::nullopt,
                        {}};
  ParamSpec penalty = choiceParam(
      "penalty", "l2",
      "l2 (ridge), l1 (lasso: sparse coefficients), elasticnet (l1_ratio of each), none",
      {"l2", "l1", "elasticnet", "none"});
  ParamSpec l1Ratio = doubleParam("l1_ratio", 0.5, "share of L1 in the elastic net penalty", 0, 1);
  return {c, maxIter, tol, classWeight, standardise, penalty, l1Ratio};
}

LogisticRegressionLearner::LogisticRegressionLearner(const ParamMap& params)
    : m_params(resolveParams(schema(), params)) {}

std::vector<ParamSpec> LogisticRegressionLearner::paramsSchema() const { return schema(); }

std::unique_ptr<Model> LogisticRegressionLearner::fit(const TrainingData& data,
                                                      Progress& progress) const {
  if (data.task != Task::BinaryClassification) {
    throw InputError("logistic regression fits binary classification only, not " +
                     std::string(taskName(data.task)));
  }
  if (data.table == nullptr) throw InputError("no training table given");
  const table::Table& table = *data.table;
  if (data.target.empty()) throw InputError("no target column given");
  progress.report(0.0, "preparing features");
  const Eigen::VectorXd labels = binaryLabels(table, data.target);

  std::vector<std::string> features = data.features;
  if (features.empty()) {
    for (const std::string& name : table.columnNames()) {
      if (name != data.target) features.push_back(name);
    }
  }
  if (std::find(features.begin(), features.end(), data.target) != features.end()) {
    throw InputError("the target '" + data.target + "' cannot also be a feature");
  }
  const double c = paramDouble(m_params, "C");
  const int maxIter = int(paramInt(m_params, "max_iter"));
  const double tol = paramDouble(m_params, "tol");
  const bool balanced = m_params.at("class_weight") == "balanced";
  FeaturePipeline pipeline =
      FeaturePipeline::fit(table, features, paramBool(m_params, "standardise"));

  const Eigen::Index n = Eigen::Index(table.rowCount()), p = Eigen::Index(pipeline.outputCount());
  Eigen::MatrixXd design(n, p + 1);
  adviseHugePages(design.data(), std::size_t(design.size()) * sizeof(double));
  pipeline.transformInto(table, design.leftCols(p));
  design.col(p).setOnes();
  progress.checkCancelled();

  const double positives = labels.sum();
  Eigen::VectorXd weights = Eigen::VectorXd::Ones(n);
  if (balanced) {
    const double w1 = double(n) / (2.0 * positives),
                 w0 = double(n) / (2.0 * (double(n) - positives));
    for (Eigen::Index i = 0; i < n; ++i) weights[i] = labels[i] == 1.0 ? w1 : w0;
  }
  const double weightSum = weights.sum();
  const Objective objective(design, labels, weights, c);

  // Start from the weighted base rate: w = 0, b = logit(mean y).
  Eigen::VectorXd theta = Eigen::VectorXd::Zero(p + 1);
  const double rate = weights.dot(labels) / weightSum;
  theta[p] = std::log(rate / (1.0 - rate));

  const std::string penalty = m_params.at("penalty");
  if (penalty != "l2") {
    const double ratio = penalty == "l1" ? 1.0 : paramDouble(m_params, "l1_ratio");
    const double l1 = penalty == "none" ? 0.0 : ratio;
    const double l2 = penalty == "none" ? 0.0 : 1.0 - ratio;
    const int iterations = proximalNewton(objective, theta, p, l1, l2, maxIter, tol, progress);
    auto model = std::make_unique<LogisticRegressionModel>(
        data.target, std::move(pipeline), m_params, theta[p], Eigen::VectorXd(theta.head(p)),
        iterations);
    model->trainingInfo().rows = std::size_t(n);
    progress.report(1.0, "done");
    return model;
  }

  Eigen::VectorXd gradient;
  Eigen::MatrixXd hessian;
  // The tolerance applies to the mean objective (divided by C * sum of weights) so it does not
  // depend on the number of rows or on C.
  const double normaliser = c * weightSum;
  double firstNorm = 0;
  int iterations = 0;
  for (;; ++iterations) {
    progress.checkCancelled();
    const double current = objective.derivatives(theta, gradient, hessian);
    const double norm = gradient.lpNorm<Eigen::Infinity>() / normaliser;
    if (iterations == 0) firstNorm = std::max(norm, tol);
    const double fraction =
        firstNorm > tol ? std::log(firstNorm / std::max(norm, tol)) / std::log(firstNorm / tol)
                        : 1.0;
    progress.report(
        std::max(fraction, double(iterations) / maxIter),
        "Newton iteration " + std::to_string(iterations) + ", gradient " + scientific(norm));
    if (norm <= tol || iterations >= maxIter) break;

    Eigen::LLT<Eigen::MatrixXd, Eigen::Lower> cholesky(hessian);
    Eigen::VectorXd step;
    if (cholesky.info() == Eigen::Success) {
      step = cholesky.solve(-gradient);
    } else {
      step = hessian.selfadjointView<Eigen::Lower>().ldlt().solve(-gradient);
    }
    const double slope = gradient.dot(step);
    if (!(slope < 0)) break;  // no descent direction left: converged to rounding
    // Accept rounding-level increases too: near the optimum the objective cannot resolve the
    // Newton decrease, but the gradient test above still decides convergence.
    const double noise = 64 * std::numeric_limits<double>::epsilon() * std::abs(current);
    double t = 1.0;
    bool accepted = false;
    for (int halving = 0; halving < kMaxHalvings; ++halving, t *= 0.5) {
      progress.checkCancelled();
      const Eigen::VectorXd candidate = theta + t * step;
      if (objective.value(candidate) <= current + kArmijo * t * slope + noise) {
        theta = candidate;
        accepted = true;
        break;
      }
    }
    if (!accepted) break;
  }

  auto model = std::make_unique<LogisticRegressionModel>(data.target, std::move(pipeline), m_params,
                                                         theta[p], Eigen::VectorXd(theta.head(p)),
                                                         iterations);
  model->trainingInfo().rows = std::size_t(n);
  progress.report(1.0, "done");
  return model;
}

// ---- model -----------------------------------------------------------------------------------

LogisticRegressionModel::LogisticRegressionModel(std::string target, FeaturePipeline pipeline,
                                                 ParamMap params, double intercept,
                                                 Eigen::VectorXd coefficients, int iterations)
    : m_target(std::move(target)),
      m_pipeline(std::move(pipeline)),
      m_params(std::move(params)),
      m_intercept(intercept),
      m_coefficients(std::move(coefficients)),
      m_iterations(iterations) {}

void LogisticRegressionModel::predictTransformed(const double* x, std::size_t rows, double* out) const {
  const std::size_t width = std::size_t(m_coefficients.size());
  for (std::size_t row = 0; row < rows; ++row) {
    double z = 0;
    for (std::size_t j = 0; j < width; ++j) z += x[row * width + j] * m_coefficients[Eigen::Index(j)];
    out[row] = logisticSigmoid(z + m_intercept);
  }
}

void LogisticRegressionModel::predictPrepared(const table::Table& data, std::span<double> out) const {
  if (out.size() != data.rowCount()) {
    throw InputError("predict: output has room for " + std::to_string(out.size()) +
                     " scores, the table has " + std::to_string(data.rowCount()) + " rows");
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

std::optional<LinearForm> LogisticRegressionModel::linearForm() const {
  return LinearForm::of(m_pipeline, !derivedFeatures().empty(),
                        std::span<const double>(m_coefficients.data(), std::size_t(m_coefficients.size())),
                        m_intercept, LinearForm::Link::Logistic);
}

double LogisticRegressionModel::rawIntercept() const {
  double intercept = m_intercept;
  for (Eigen::Index j = 0; j < m_coefficients.size(); ++j) {
    intercept -= m_coefficients[j] * m_pipeline.centers()[std::size_t(j)] /
                 m_pipeline.scales()[std::size_t(j)];
  }
  return intercept;
}

Eigen::VectorXd LogisticRegressionModel::rawCoefficients() const {
  Eigen::VectorXd raw = m_coefficients;
  for (Eigen::Index j = 0; j < raw.size(); ++j) raw[j] /= m_pipeline.scales()[std::size_t(j)];
  return raw;
}

nlohmann::json LogisticRegressionModel::bodyJson() const {
  return {{"intercept", m_intercept},
          {"coefficients", std::vector<double>(m_coefficients.data(),
                                               m_coefficients.data() + m_coefficients.size())},
          {"iterations", m_iterations}};
}

std::unique_ptr<LogisticRegressionModel> LogisticRegressionModel::fromJson(
    const nlohmann::json& document) {
  ModelDocumentCommon common =
      readModelDocumentCommon(document, "logistic", Task::BinaryClassification);
  ParamMap params;
  try {
    params = resolveParams(LogisticRegressionLearner::schema(), common.params);
  } catch (const InputError& error) {
    throw Corrupt(std::string("model JSON: params: ") + error.what());
  }
  const auto body = document.find("body");
  if (body == document.end()) throw Corrupt("model JSON: body: missing");
  if (!body->is_object()) throw Corrupt("model JSON: body: must be an object");
  const auto intercept = body->find("intercept");
  if (intercept == body->end()) throw Corrupt("model JSON: body.intercept: missing");
  if (!intercept->is_number() || !std::isfinite(intercept->get<double>())) {
    throw Corrupt("model JSON: body.intercept: must be a finite number");
  }
  const auto coefficients = body->find("coefficients");
  if (coefficients == body->end()) throw Corrupt("model JSON: body.coefficients: missing");
  if (!coefficients->is_array()) throw Corrupt("model JSON: body.coefficients: must be an array");
  const std::size_t outputs = common.pipeline.outputCount();
  if (coefficients->size() != outputs) {
    throw Corrupt("model JSON: body.coefficients has " + std::to_string(coefficients->size()) +
                  " values, preprocessing has " + std::to_string(outputs) + " outputs");
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
  int iterations = 0;
  const auto storedIterations = body->find("iterations");
  if (storedIterations != body->end()) {
    if (!storedIterations->is_number_integer() || storedIterations->get<long long>() < 0) {
      throw Corrupt("model JSON: body.iterations: must be a non-negative integer");
    }
    iterations = int(storedIterations->get<long long>());
  }
  auto model = std::make_unique<LogisticRegressionModel>(
      std::move(common.target), std::move(common.pipeline), std::move(params),
      intercept->get<double>(), std::move(values), iterations);
  model->trainingInfo() = std::move(common.training);
  model->setDerivedFeatures(std::move(common.derived));
  return model;
}

}  // namespace geih::ml
