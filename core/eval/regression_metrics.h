// Metrics for regression on spans of actual and predicted values. All functions throw InputError
// when the spans differ in length or are empty, or when a value is NaN.
#pragma once

#include <span>
#include <string>
#include <utility>
#include <vector>

namespace geih::eval {

double meanAbsoluteError(std::span<const double> actual, std::span<const double> predicted);
double rootMeanSquaredError(std::span<const double> actual, std::span<const double> predicted);
// 1 - SS_res / SS_tot; as scikit-learn: 1 when both are 0, 0 when only SS_tot is 0.
double rSquared(std::span<const double> actual, std::span<const double> predicted);
// Mean of |y - yhat| / max(|y|, machine epsilon), as scikit-learn's
// mean_absolute_percentage_error (so an actual 0 makes it huge: read it with care).
double meanAbsolutePercentageError(std::span<const double> actual,
                                   std::span<const double> predicted);

struct RegressionMetrics {
  double mae = 0, rmse = 0, r2 = 0, mape = 0;
  // {"mae", ...}, {"rmse", ...}, {"r2", ...}, {"mape", ...}
  std::vector<std::pair<std::string, double>> named() const;
};

RegressionMetrics evaluateRegression(std::span<const double> actual,
                                     std::span<const double> predicted);

}  // namespace geih::eval
