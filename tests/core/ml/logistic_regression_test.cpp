#include "core/ml/logistic_regression.h"

#include <gtest/gtest.h>
#include <omp.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/common/error.h"
#include "core/common/rng.h"
#include "core/ml/learner_registry.h"

namespace geih::ml {
namespace {

using table::Column;
using table::Table;

// tests/data/breast_cancer.csv: a header of column names, 30 numeric features, then `target`.
Table loadBreastCancer() {
  std::ifstream file(std::string(GEIH_TEST_DATA_DIR) + "/breast_cancer.csv");
  EXPECT_TRUE(file.good());
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
  for (std::size_t j = 0; j < names.size(); ++j)
    data.addColumn(Column::numeric(names[j], values[j]));
  return data;
}

std::unique_ptr<LogisticRegressionModel> fitLogistic(const Table& data, const ParamMap& params,
                                                     Progress& progress = Progress::none()) {
  const LogisticRegressionLearner learner(params);
  std::unique_ptr<Model> model =
      learner.fit({&data, "target", {}, Task::BinaryClassification}, progress);
  return std::unique_ptr<LogisticRegressionModel>(
      dynamic_cast<LogisticRegressionModel*>(model.release()));
}

// Scikit-learn 1.2.1 reference on tests/data/breast_cancer.csv (Debian python3-sklearn):
//   import numpy as np
//   from sklearn.linear_model import LogisticRegression
//   from sklearn.preprocessing import StandardScaler
//   d = np.loadtxt('tests/data/breast_cancer.csv', delimiter=',', skiprows=1)
//   X, y = d[:, :30], d[:, 30]
//   scaler = StandardScaler().fit(X)
//   m = LogisticRegression(C=1.0, tol=1e-10, max_iter=10000, solver='newton-cholesky')
//   m.fit(scaler.transform(X), y)   # 9 iterations
//   m.intercept_, m.coef_, m.predict_proba(scaler.transform(X[[0, 1, 19, 100, 568]]))[:, 1]
// newton-cholesky, not the default lbfgs: lbfgs stops on its relative-objective test (ftol =
// 64 eps) however small tol is, 1.1e-4 away from the optimum (kLbfgs* below). newton-cholesky
// agrees with a plain numpy Newton solve to 2e-11.
constexpr double kSklearnIntercept = 0.2145027173973694;
const double kSklearnCoefficients[30] = {
    -0.36309253190647306, -0.38767544240859414, -0.3510621186677121,  -0.4356098032751117,
    -0.16183110280313265, 0.5626540337053755,   -0.8599171195795219,  -0.9622802234768028,
    0.0762090314770187,   0.3222262369502907,   -1.2909422896656912,  0.2689219013860397,
    -0.6599745965524896,  -1.0125577321734933,  -0.27721295891285475, 0.736324012782121,
    0.11053932078344778,  -0.3334076188727382,  0.2957930258946484,   0.6809196730549378,
    -1.0292622616340468,  -1.314607634438031,   -0.8233473825619092,  -1.01070683210127,
    -0.6706819627714259,  0.04456425178974286,  -0.8733339165121518,  -0.9120031219156363,
    -0.8878373243044494,  -0.4798189080384455};
const std::size_t kProbabilityRows[5] = {0, 1, 19, 100, 568};
const double kSklearnProbabilities[5] = {1.2077509572116162e-09, 3.2004393387129994e-05,
                                         0.9261280385063192, 0.037604701375047206,
                                         0.999980250565429};
// Same with the default solver: LogisticRegression(C=1.0, tol=1e-10, max_iter=10000).
constexpr double kLbfgsIntercept = 0.21456573094272424;
const double kLbfgsCoefficients[30] = {
    -0.36317071884090774, -0.3877029910407365, -0.3511144376100305, -0.43555896063910515,
    -0.16176493207812057, 0.5625954840416829,  -0.8598975867219127, -0.9622217513118494,
    0.0761677471355842,   0.3221858530367734,  -1.2910347918784928, 0.2689252641804764,
    -0.6598868525570384,  -1.012500874474523,  -0.2771704613832219, 0.7362824023082615,
    0.11052646668586182,  -0.3335098977035484, 0.29590225042708557, 0.6809152776928097,
    -1.0293611407742045,  -1.3145931189361164, -0.8233170629441875, -1.0105935570538405,
    -0.6707313505248372,  0.04465887679997917, -0.8733006390309547, -0.9119581542296836,
    -0.8878969365930759,  -0.47983137114300745};

TEST(LogisticRegressionTest, MatchesScikitLearnOnBreastCancer) {
  const Table data = loadBreastCancer();
  ASSERT_EQ(data.rowCount(), 569u);
  const auto model = fitLogistic(data, {{"C", "1"}, {"tol", "1e-10"}});
  ASSERT_TRUE(model);
  EXPECT_LT(model->iterations(), 30);
  EXPECT_NEAR(model->intercept(), kSklearnIntercept, 1e-8);
  ASSERT_EQ(model->coefficients().size(), 30);
  for (int j = 0; j < 30; ++j) {
    EXPECT_NEAR(model->coefficients()[j], kSklearnCoefficients[j], 1e-8) << "coefficient " << j;
    EXPECT_NEAR(model->coefficients()[j], kLbfgsCoefficients[j], 2e-4) << "coefficient " << j;
  }
  EXPECT_NEAR(model->intercept(), kLbfgsIntercept, 2e-4);
  const std::vector<double> scores = model->predict(data);
  for (int i = 0; i < 5; ++i) {
    const double expected = kSklearnProbabilities[i];
    EXPECT_NEAR(scores[kProbabilityRows[i]], expected, 1e-6 * std::max(expected, 1e-3)) << i;
  }
}

TEST(LogisticRegressionTest, BalancedWeightsAndUnscaledInputsMatchScikitLearn) {
  // class_weight='balanced' and, separately, raw (unscaled) features, both with
  // solver='newton-cholesky', tol=1e-10 as above: intercept_ and coef_[:5].
  const Table data = loadBreastCancer();
  const auto balanced = fitLogistic(data, {{"class_weight", "balanced"}, {"tol", "1e-10"}});
  const double balancedCoefficients[5] = {-0.30144035554600224, -0.3353055874258669,
                                          -0.2946102342734627, -0.3905063881213786,
                                          -0.168494796543297};
  EXPECT_NEAR(balanced->intercept(), -0.2277124064243235, 1e-6);
  for (int j = 0; j < 5; ++j)
    EXPECT_NEAR(balanced->coefficients()[j], balancedCoefficients[j], 1e-6);

  // Raw features (areas in the thousands, fractal dimensions near 0.05): Newton still converges.
  const auto raw = fitLogistic(data, {{"standardise", "false"}, {"tol", "1e-10"}});
  const double rawCoefficients[5] = {1.0145620739975116, 0.18138242795038637, -0.2756971245955432,
                                     0.022650714260029244, -0.17839594836453102};
  EXPECT_LT(raw->iterations(), 50);
  EXPECT_NEAR(raw->intercept(), 28.08899762191684, 1e-5);
  for (int j = 0; j < 5; ++j) EXPECT_NEAR(raw->coefficients()[j], rawCoefficients[j], 1e-6);
}

// n rows from logit = -4.5 + 0.8 x1 + 0.002 x2 - 150 x3 + 0.7 wet with x2 in the thousands and x3
// in the thousandths, so the raw coefficients span five orders of magnitude.
Table knownModelData(std::size_t n, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<double> x1(n), x2(n), x3(n), y(n);
  std::vector<std::int8_t> wet(n);
  for (std::size_t i = 0; i < n; ++i) {
    x1[i] = rng.normal();
    x2[i] = rng.normal(2000.0, 500.0);
    x3[i] = rng.uniform(0.0, 0.01);
    wet[i] = rng.bernoulli(0.3) ? 1 : 0;
    const double logit = -4.5 + 0.8 * x1[i] + 0.002 * x2[i] - 150.0 * x3[i] + 0.7 * wet[i];
    y[i] = rng.bernoulli(1.0 / (1.0 + std::exp(-logit))) ? 1 : 0;
  }
  Table data;
  data.addColumn(Column::numeric("x1", std::move(x1)));
  data.addColumn(Column::numeric("x2", std::move(x2)));
  data.addColumn(Column::numeric("x3", std::move(x3)));
  data.addColumn(Column::boolean("wet", std::move(wet)));
  data.addColumn(Column::numeric("target", std::move(y)));
  return data;
}

TEST(LogisticRegressionTest, RecoversKnownCoefficients) {
  const Table data = knownModelData(200000, 42);
  const auto model = fitLogistic(data, {{"C", "1e6"}});
  const Eigen::VectorXd raw = model->rawCoefficients();
  const double truth[4] = {0.8, 0.002, -150.0, 0.7};
  const double spread[4] = {1.0, 500.0, 0.01 / std::sqrt(12.0), std::sqrt(0.21)};
  // Compared on the scale of one standard deviation of each feature (sampling error ~0.01).
  for (int j = 0; j < 4; ++j) {
    EXPECT_NEAR(raw[j] * spread[j], truth[j] * spread[j], 0.05) << "coefficient " << j;
  }
  EXPECT_NEAR(model->rawIntercept(), -4.5, 0.15);
  // The raw parameters give the same logit as the standardised ones.
  Table row;
  row.addColumn(Column::numeric("x1", {0.3}));
  row.addColumn(Column::numeric("x2", {2500}));
  row.addColumn(Column::numeric("x3", {0.004}));
  row.addColumn(Column::boolean("wet", {1}));
  const double logit =
      model->rawIntercept() + raw[0] * 0.3 + raw[1] * 2500 + raw[2] * 0.004 + raw[3];
  EXPECT_NEAR(model->predict(row)[0], 1.0 / (1.0 + std::exp(-logit)), 1e-12);
}

TEST(LogisticRegressionTest, SaveLoadGivesBitIdenticalPredictions) {
  const Table data = knownModelData(5000, 7);
  const auto model = fitLogistic(data, {{"C", "0.5"}});
  model->trainingInfo() = {"abc123", "run-1", data.rowCount(), "2026-01-02T03:04:05.000Z"};
  const nlohmann::json document = model->toJson();
  EXPECT_EQ(document["format"], "geih-model");
  EXPECT_EQ(document["version"], 1);
  EXPECT_EQ(document["kind"], "logistic");
  EXPECT_EQ(document["task"], "binary");
  EXPECT_EQ(document["target"], "target");
  EXPECT_EQ(document["features"].size(), 4u);
  EXPECT_EQ(document["features"][3], (nlohmann::json{{"name", "wet"}, {"type", "boolean"}}));
  EXPECT_EQ(document["params"]["C"], "0.5");
  EXPECT_EQ(document["training"]["run_id"], "run-1");

  const std::vector<double> expected = model->predict(data);
  const auto fromJson = loadModel(document);
  const auto fromText = loadModelText(document.dump(2), "model.json");
  const std::filesystem::path path = std::filesystem::temp_directory_path() /
                                     ("geih_logistic_" + std::to_string(::getpid()) + ".json");
  std::ofstream(path) << document.dump();
  const auto fromFile = loadModelFile(path);
  std::filesystem::remove(path);
  for (const Model* loaded : {fromJson.get(), fromText.get(), fromFile.get()}) {
    EXPECT_EQ(loaded->kind(), "logistic");
    EXPECT_EQ(loaded->target(), "target");
    EXPECT_EQ(loaded->trainingInfo().datasetSha256, "abc123");
    EXPECT_EQ(loaded->trainingInfo().rows, data.rowCount());
    EXPECT_EQ(loaded->params(), model->params());
    const std::vector<double> scores = loaded->predict(data);
    ASSERT_EQ(scores.size(), expected.size());
    for (std::size_t i = 0; i < scores.size(); ++i)
      ASSERT_EQ(scores[i], expected[i]) << "row " << i;
    EXPECT_EQ(loaded->toJson(), document);
  }
}

void expectCorrupt(const nlohmann::json& document, const std::string& needle) {
  try {
    loadModel(document, "models/m.json");
    ADD_FAILURE() << "accepted a corrupt model; expected a message with " << needle;
  } catch (const Corrupt& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find(needle), std::string::npos) << message;
    EXPECT_EQ(message.rfind("models/m.json: ", 0), 0u) << message;
  }
}

TEST(LogisticRegressionTest, CorruptDocumentsThrowNamingTheField) {
  const Table data = loadBreastCancer();
  const nlohmann::json good = fitLogistic(data, {})->toJson();
  nlohmann::json bad = good;
  bad["body"].erase("coefficients");
  expectCorrupt(bad, "body.coefficients: missing");
  bad = good;
  bad["body"]["coefficients"].erase(0);
  expectCorrupt(bad, "model JSON: body.coefficients has 29 values, preprocessing has 30 outputs");
  bad = good;
  bad["body"]["intercept"] = "zero";
  expectCorrupt(bad, "body.intercept");
  bad = good;
  bad["kind"] = "neural_net";
  expectCorrupt(bad, "unknown model kind 'neural_net' (known: logistic, ");
  bad = good;
  bad["format"] = "onnx";
  expectCorrupt(bad, "format");
  bad = good;
  bad["version"] = 2;
  expectCorrupt(bad, "version: 2 is not supported");
  bad = good;
  bad.erase("preprocessing");
  expectCorrupt(bad, "preprocessing: missing");
  bad = good;
  bad["features"][2]["name"] = "other";
  expectCorrupt(bad, "features[2]");
  bad = good;
  bad["params"]["C"] = "-3";
  expectCorrupt(bad, "params: invalid parameter: C: must be > 0, got -3");
  expectCorrupt(nlohmann::json::array(), "expected an object");

  try {
    loadModelText("{\"format\": \"geih-model\",\n oops}", "models/m.json");
    FAIL();
  } catch (const Corrupt& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("models/m.json"), std::string::npos) << message;
    EXPECT_NE(message.find("not valid JSON"), std::string::npos) << message;
    EXPECT_NE(message.find("line 2"), std::string::npos) << message;
  }
  EXPECT_THROW(loadModelFile("/nonexistent/model.json"), Error);
}

void expectInputError(const Table& data, const std::string& needle) {
  try {
    fitLogistic(data, {});
    ADD_FAILURE() << "fit accepted bad labels; expected " << needle;
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find(needle), std::string::npos) << error.what();
  }
}

TEST(LogisticRegressionTest, BadLabelsThrowNamingColumnRowAndValue) {
  auto withTarget = [](Column target) {
    Table data;
    data.addColumn(Column::numeric("x", {1, 2, 3, 4}));
    data.addColumn(std::move(target));
    return data;
  };
  expectInputError(withTarget(Column::numeric("target", {0, 1, 2, 0})),
                   "target column 'target' must be 0/1, found 2 at data row 3");
  expectInputError(withTarget(Column::numeric("target", {0, 0.5, 1, 0})),
                   "found 0.5 at data row 2");
  expectInputError(withTarget(Column::numeric("target", {0, 1, std::nan(""), 0})),
                   "missing at data row 3");
  expectInputError(withTarget(Column::categoricalFromStrings("target", {"yes", "no", "yes", "no"})),
                   "'yes' at data row 1");
  expectInputError(withTarget(Column::numeric("target", {1, 1, 1, 1})), "only one class");
  expectInputError(withTarget(Column::numeric("label", {1, 0, 1, 0})),
                   "target column 'target' not found");
  // Booleans are fine.
  EXPECT_NO_THROW(fitLogistic(withTarget(Column::boolean("target", {1, 0, 0, 1})), {}));
}

TEST(LogisticRegressionTest, CancellationThrowsCancelled) {
  const Table data = knownModelData(2000, 3);
  Progress progress([&](double, const std::string&) { progress.cancel(); });
  EXPECT_THROW(fitLogistic(data, {}, progress), Cancelled);

  std::vector<double> fractions;
  Progress watched([&](double fraction, const std::string&) { fractions.push_back(fraction); });
  fitLogistic(data, {}, watched);
  ASSERT_GE(fractions.size(), 3u);
  EXPECT_EQ(fractions.back(), 1.0);
}

TEST(LogisticRegressionTest, SameDataGivesSameBytesWhateverTheThreadCount) {
  // Large enough for the parallel row blocks.
  const Table data = knownModelData(60000, 9);
  const int threads = omp_get_max_threads();
  omp_set_num_threads(1);
  const std::string single = fitLogistic(data, {})->toJson().dump();
  omp_set_num_threads(std::max(threads, 2));
  const std::string parallel = fitLogistic(data, {})->toJson().dump();
  const std::string again = fitLogistic(data, {})->toJson().dump();
  omp_set_num_threads(threads);
  EXPECT_EQ(single, parallel);
  EXPECT_EQ(parallel, again);
}

TEST(LogisticRegressionTest, RegistryKnowsLogistic) {
  EXPECT_EQ(learnerKinds().front(), "logistic");
  const auto learner = makeLearner("logistic", {{"C", "2"}});
  EXPECT_EQ(learner->kind(), "logistic");
  EXPECT_EQ(learner->params().at("C"), "2");
  EXPECT_EQ(learner->params().at("max_iter"), "100");
  try {
    makeLearner("neural_net");
    FAIL();
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("known: logistic, "), std::string::npos);
  }
  EXPECT_THROW(makeLearner("logistic", {{"max_iter", "0"}}), InputError);
}

}  // namespace
}  // namespace geih::ml
