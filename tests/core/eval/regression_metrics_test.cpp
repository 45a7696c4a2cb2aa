#include "core/eval/regression_metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "core/common/error.h"

namespace geih::eval {
namespace {

TEST(RegressionMetricsTest, EqualScikitLearnOnARecordedCase) {
  // Reference: /usr/bin/python3, scikit-learn 1.2.1:
  //   y = [3.0, -0.5, 2.0, 7.0, 4.2, 1.5]; p = [2.5, 0.0, 2.1, 7.8, 3.9, 1.2]
  //   mean_absolute_error 0.4166666666666667, mean_squared_error ** 0.5 0.47081489639418445,
  //   r2_score 0.9594923857868021, mean_absolute_percentage_error 0.26706349206349206
  const std::vector<double> y = {3.0, -0.5, 2.0, 7.0, 4.2, 1.5};
  const std::vector<double> p = {2.5, 0.0, 2.1, 7.8, 3.9, 1.2};
  const RegressionMetrics metrics = evaluateRegression(y, p);
  EXPECT_NEAR(metrics.mae, 0.4166666666666667, 1e-15);
  EXPECT_NEAR(metrics.rmse, 0.47081489639418445, 1e-15);
  EXPECT_NEAR(metrics.r2, 0.9594923857868021, 1e-15);
  EXPECT_NEAR(metrics.mape, 0.26706349206349206, 1e-15);
  EXPECT_EQ(metrics.named().size(), 4u);
  EXPECT_EQ(metrics.named()[2].first, "r2");
}

TEST(RegressionMetricsTest, HandComputedEdgeCases) {
  const std::vector<double> same = {2, 2, 2};
  EXPECT_EQ(rSquared(same, same), 1.0);                          // perfect on a constant
  EXPECT_EQ(rSquared(same, std::vector<double>{1, 2, 3}), 0.0);  // constant actuals, wrong guesses
  // Predicting the mean gives R^2 = 0; predicting the opposite around the mean gives -3.
  const std::vector<double> y = {1, 2, 3};
  EXPECT_DOUBLE_EQ(rSquared(y, std::vector<double>{2, 2, 2}), 0.0);
  EXPECT_DOUBLE_EQ(rSquared(y, std::vector<double>{3, 2, 1}), -3.0);
  EXPECT_DOUBLE_EQ(meanAbsoluteError(y, std::vector<double>{1, 1, 1}), 1.0);
  EXPECT_DOUBLE_EQ(rootMeanSquaredError(y, std::vector<double>{1, 1, 1}), std::sqrt(5.0 / 3.0));
}

TEST(RegressionMetricsTest, BadInputIsRefused) {
  EXPECT_THROW(evaluateRegression(std::vector<double>{}, std::vector<double>{}), InputError);
  EXPECT_THROW(evaluateRegression(std::vector<double>{1, 2}, std::vector<double>{1}), InputError);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW(evaluateRegression(std::vector<double>{1, nan}, std::vector<double>{1, 2}),
               InputError);
}

}  // namespace
}  // namespace geih::eval
