// Logistic regression with the L1 and elastic-net penalties against scikit-learn.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/common/error.h"
#include "core/ml/learner_registry.h"
#include "core/ml/logistic_regression.h"

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

TEST(LogisticPenaltiesTest, L1AndElasticNetEqualScikitLearn) {
  // Reference: /usr/bin/python3, scikit-learn 1.2.1, tests/data/breast_cancer.csv,
  //   X = StandardScaler().fit_transform(d[features]); y = d['target']
  //   LogisticRegression(penalty='l1', C=0.1, solver='saga', tol=1e-14, max_iter=1000000)
  //   LogisticRegression(penalty='elasticnet', l1_ratio=0.5, C=0.5, solver='saga', tol=1e-14,
  //                      max_iter=1000000)
  const std::vector<std::string> features = {
      "mean_radius",    "mean_texture",  "mean_smoothness", "mean_compactness",
      "mean_concavity", "mean_symmetry", "worst_texture",   "worst_smoothness"};
  std::vector<std::string> columns = features;
  columns.push_back("target");
  const Table data = breastCancer(columns);
  const struct {
    ParamMap params;
    double intercept;
    std::vector<double> coefficients;
  } cases[] = {
      {{{"penalty", "l1"}, {"C", "0.1"}},
       0.7334284678852824,
       {-2.6902789438205312, 0.0, 0.0, 0.0, -0.875762414991704, -0.10997302508258652,
        -0.8235185708530528, -0.8863854485508003}},
      {{{"penalty", "elasticnet"}, {"l1_ratio", "0.5"}, {"C", "0.5"}},
       0.8102463878804506,
       {-3.738211759637552, -0.042753863337592964, 0.0, 0.1099371021466219, -1.219062767251363,
        -0.44814822597943066, -1.276720460184836, -1.2820764798271518}},
  };
  for (const auto& c : cases) {
    const auto model =
        makeLearner("logistic", c.params)->fit({&data, "target", features}, Progress::none());
    const auto& logistic = dynamic_cast<const LogisticRegressionModel&>(*model);
    const std::string penalty = c.params.at("penalty");
    EXPECT_NEAR(logistic.intercept(), c.intercept, 1e-6) << penalty;
    for (std::size_t j = 0; j < features.size(); ++j) {
      EXPECT_NEAR(logistic.coefficients()[Eigen::Index(j)], c.coefficients[j], 1e-6)
          << penalty << " " << features[j];
      // The L1 penalty zeroes exactly where scikit-learn does.
      if (c.coefficients[j] == 0.0) {
        EXPECT_EQ(logistic.coefficients()[Eigen::Index(j)], 0.0);
      }
    }
  }
  EXPECT_THROW(makeLearner("logistic", {{"penalty", "l3"}}), InputError);
}

}  // namespace
}  // namespace geih::ml
