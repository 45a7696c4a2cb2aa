#include "core/ml/linear_model.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/common/error.h"
#include "core/common/rng.h"
#include "core/ml/learner_registry.h"

namespace geih::ml {
namespace {

using table::Column;
using table::Table;

Table breastCancer(const std::vector<std::string>& keep) {
  std::ifstream file(std::string(GEIH_TEST_DATA_DIR) + "/breast_cancer.csv");
  std::string line, cell;
  std::getline(file, line);
  std::vector<std::string> names;
  for (std::istringstream header(line); std::getline(header, cell, ',');) names.push_back(cell);
  std::vector<std::vector<double>> values(names.size());
  while (std::getline(file, line)) {
    std::istringstream row(line);
    for (std::size_t j = 0; j < names.size(); ++j) {
      std::getline(row, cell, ',');
      values[j].push_back(std::stod(cell));
    }
  }
  Table data;
  for (const std::string& name : keep) {
    const auto at = std::find(names.begin(), names.end(), name) - names.begin();
    data.addColumn(Column::numeric(name, values[std::size_t(at)]));
  }
  return data;
}

TEST(LinearModelTest, CoefficientsEqualScikitLearnForEveryPenalty) {
  // Reference: /usr/bin/python3, scikit-learn 1.2.1, tests/data/breast_cancer.csv,
  //   X = StandardScaler().fit_transform(d[features]); y = d['mean_radius']
  //   LinearRegression(); Ridge(alpha=10); Lasso(alpha=0.1, tol=1e-12, max_iter=100000);
  //   ElasticNet(alpha=0.2, l1_ratio=0.3, tol=1e-12, max_iter=100000)
  // Every intercept is 14.127291739894552 (the mean of y: the features are centred).
  const std::vector<std::string> features = {"mean_texture",   "mean_smoothness",
                                             "mean_compactness", "mean_concavity",
                                             "mean_symmetry",  "worst_texture"};
  std::vector<std::string> columns = features;
  columns.push_back("mean_radius");
  const Table data = breastCancer(columns);
  const struct {
    ParamMap params;
    std::vector<double> coefficients;
  } cases[] = {
      {{{"penalty", "none"}},
       {0.40161949744237213, -0.39202433792645464, -0.6487773227298506, 3.3536410543375026,
        -0.5688781306066379, -0.09953857960437329}},
      {{{"penalty", "ridge"}, {"alpha", "10"}},
       {0.3807753839350684, -0.4154748310272103, -0.3823285554424993, 3.0697913288838787,
        -0.5664121067907173, -0.05984780452099586}},
      {{{"penalty", "lasso"}, {"alpha", "0.1"}},
       {0.25964776022345887, -0.40205464524281936, 0.0, 2.66996300196576, -0.5108548658223614,
        0.0}},
      {{{"penalty", "elasticnet"}, {"alpha", "0.2"}, {"l1_ratio", "0.3"}},
       {0.33538720945122497, -0.28802743187745083, 0.17210804363977555, 2.1071477124325133,
        -0.3911096447788505, 0.0448337330093259}},
  };
  for (const auto& c : cases) {
    const auto model = makeLearner("linear", c.params)
                           ->fit({&data, "mean_radius", features, Task::Regression},
                                 Progress::none());
    const auto& linear = dynamic_cast<const LinearRegressionModel&>(*model);
    EXPECT_NEAR(linear.intercept(), 14.127291739894552, 1e-9) << c.params.at("penalty");
    for (std::size_t j = 0; j < features.size(); ++j) {
      EXPECT_NEAR(linear.coefficients()[Eigen::Index(j)], c.coefficients[j], 1e-7)
          << c.params.at("penalty") << " " << features[j];
    }
    // Lasso's zeros are exact zeros.
    if (c.params.at("penalty") == "lasso") {
      EXPECT_EQ(linear.coefficients()[2], 0.0);
      EXPECT_EQ(linear.coefficients()[5], 0.0);
    }
    const auto loaded = loadModelText(model->toJson().dump(), "linear.json");
    EXPECT_EQ(loaded->predict(data), model->predict(data));
  }
}

TEST(LinearModelTest, RecoversAKnownLinearFunctionAndRefusesBadInput) {
  Rng rng(3);
  std::vector<double> a(5000), b(5000), y(5000);
  for (std::size_t i = 0; i < a.size(); ++i) {
    a[i] = rng.uniform(0, 10);
    b[i] = rng.normal();
    y[i] = 3.0 + 2.0 * a[i] - 5.0 * b[i] + 0.01 * rng.normal();
  }
  Table data;
  data.addColumn(Column::numeric("a", a));
  data.addColumn(Column::numeric("b", b));
  data.addColumn(Column::numeric("y", y));
  const auto model = makeLearner("linear", {{"penalty", "none"}, {"standardise", "false"}})
                         ->fit({&data, "y", {}, Task::Regression}, Progress::none());
  const auto& linear = dynamic_cast<const LinearRegressionModel&>(*model);
  EXPECT_NEAR(linear.intercept(), 3.0, 0.002);
  EXPECT_NEAR(linear.coefficients()[0], 2.0, 0.001);
  EXPECT_NEAR(linear.coefficients()[1], -5.0, 0.001);

  EXPECT_THROW(LinearRegressionLearner(ParamMap{{"alpha", "-1"}}), InputError);
  EXPECT_THROW(LinearRegressionLearner(ParamMap{{"penalty", "l3"}}), InputError);
  Table constant;
  constant.addColumn(Column::numeric("a", {1, 2, 3}));
  constant.addColumn(Column::numeric("y", {4, 4, 4}));
  EXPECT_THROW(LinearRegressionLearner().fit({&constant, "y", {}, Task::Regression},
                                             Progress::none()),
               InputError);
  EXPECT_THROW(LinearRegressionLearner().fit({&data, "y", {}, Task::BinaryClassification},
                                             Progress::none()),
               InputError);
}

}  // namespace
}  // namespace geih::ml
