#include "core/eval/regression_metrics.h"

#include <cmath>
#include <limits>

#include "core/common/error.h"

namespace geih::eval {
namespace {

void check(std::span<const double> actual, std::span<const double> predicted) {
  if (actual.size() != predicted.size()) {
    throw InputError("regression metrics: " + std::to_string(actual.size()) + " actual values but " +
                     std::to_string(predicted.size()) + " predictions");
  }
  if (actual.empty()) throw InputError("regression metrics: no values");
  for (std::size_t i = 0; i < actual.size(); ++i) {
    if (std::isnan(actual[i]) || std::isnan(predicted[i])) {
      throw InputError("regression metrics: missing value at row " + std::to_string(i + 1));
    }
  }
}

}  // namespace

double meanAbsoluteError(std::span<const double> actual, std::span<const double> predicted) {
  check(actual, predicted);
  double sum = 0;
  for (std::size_t i = 0; i < actual.size(); ++i) sum += std::abs(actual[i] - predicted[i]);
  return sum / double(actual.size());
}

double rootMeanSquaredError(std::span<const double> actual, std::span<const double> predicted) {
  check(actual, predicted);
  double sum = 0;
  for (std::size_t i = 0; i < actual.size(); ++i) {
    sum += (actual[i] - predicted[i]) * (actual[i] - predicted[i]);
  }
  return std::sqrt(sum / double(actual.size()));
}

double rSquared(std::span<const double> actual, std::span<const double> predicted) {
  check(actual, predicted);
  double mean = 0;
  for (const double value : actual) mean += value;
  mean /= double(actual.size());
  double residual = 0, total = 0;
  for (std::size_t i = 0; i < actual.size(); ++i) {
    residual += (actual[i] - predicted[i]) * (actual[i] - predicted[i]);
    total += (actual[i] - mean) * (actual[i] - mean);
  }
  if (total == 0) return residual == 0 ? 1.0 : 0.0;
  return 1.0 - residual / total;
}

double meanAbsolutePercentageError(std::span<const double> actual,
                                   std::span<const double> predicted) {
  check(actual, predicted);
  constexpr double kEpsilon = std::numeric_limits<double>::epsilon();
  double sum = 0;
  for (std::size_t i = 0; i < actual.size(); ++i) {
    sum += std::abs(actual[i] - predicted[i]) / std::max(std::abs(actual[i]), kEpsilon);
  }
  return sum / double(actual.size());
}

std::vector<std::pair<std::string, double>> RegressionMetrics::named() const {
  return {{"mae", mae}, {"rmse", rmse}, {"r2", r2}, {"mape", mape}};
}

RegressionMetrics evaluateRegression(std::span<const double> actual,
                                     std::span<const double> predicted) {
  return {meanAbsoluteError(actual, predicted), rootMeanSquaredError(actual, predicted),
          rSquared(actual, predicted), meanAbsolutePercentageError(actual, predicted)};
}

}  // namespace geih::eval
