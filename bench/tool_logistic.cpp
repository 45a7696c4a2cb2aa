// Times a logistic regression fit (C = 1, standardised features, class_weight none) on data that
// bench/compare/logistic_vs_sklearn.py wrote as raw float64 (numpy .tofile): X row-major n x d,
// y of length n. Building the table is not timed; the fit (standardisation + Newton) is, best of
// N runs. Prints one JSON object with the time, iterations, intercept and coefficients (on the
// standardised scale).
//   tool_logistic X.f64 Y.f64 D [REPEATS]
#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/ml/logistic_regression.h"

namespace {

std::vector<double> readDoubles(const char* path) {
  std::ifstream file(path, std::ios::binary | std::ios::ate);
  if (!file) throw std::runtime_error(std::string("cannot open ") + path);
  std::vector<double> values(std::size_t(file.tellg()) / sizeof(double));
  file.seekg(0);
  file.read(reinterpret_cast<char*>(values.data()),
            std::streamsize(values.size() * sizeof(double)));
  return values;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: tool_logistic X.f64 Y.f64 D [REPEATS]\n";
    return 2;
  }
  try {
    const std::vector<double> x = readDoubles(argv[1]);
    std::vector<double> y = readDoubles(argv[2]);
    const std::size_t d = std::stoul(argv[3]);
    const int repeats = argc > 4 ? std::stoi(argv[4]) : 3;
    const std::size_t n = y.size();
    if (x.size() != n * d) throw std::runtime_error("X does not hold n x d values");

    geih::table::Table table;
    for (std::size_t j = 0; j < d; ++j) {
      std::vector<double> column(n);
      for (std::size_t i = 0; i < n; ++i) column[i] = x[i * d + j];
      std::string name = "x";
      name += std::to_string(j);
      table.addColumn(geih::table::Column::numeric(std::move(name), std::move(column)));
    }
    table.addColumn(geih::table::Column::numeric("target", std::move(y)));

    const geih::ml::LogisticRegressionLearner learner(geih::ml::ParamMap{{"C", "1"}});
    const geih::ml::TrainingData training{
        &table, "target", {}, geih::ml::Task::BinaryClassification};
    double best = 1e300;
    std::unique_ptr<geih::ml::Model> model;
    for (int r = 0; r < repeats; ++r) {
      const auto start = std::chrono::steady_clock::now();
      model = learner.fit(training, geih::Progress::none());
      const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
      best = std::min(best, elapsed.count());
    }
    const auto& logistic = dynamic_cast<const geih::ml::LogisticRegressionModel&>(*model);
    const Eigen::VectorXd& w = logistic.coefficients();
    std::cout << nlohmann::json{{"n", n},
                                {"d", d},
                                {"seconds", best},
                                {"iterations", logistic.iterations()},
                                {"intercept", logistic.intercept()},
                                {"coefficients",
                                 std::vector<double>(w.data(), w.data() + w.size())}}
                     .dump()
              << "\n";
  } catch (const std::exception& error) {
    std::cerr << "tool_logistic: " << error.what() << "\n";
    return 1;
  }
  return 0;
}
