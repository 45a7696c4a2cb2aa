// Trains one of GEIH's tree learners on data that a bench/compare script wrote as raw float64
// (numpy .tofile): X row-major n x d and y of length n; the first TRAIN rows train, the rest are
// scored. Building the table is not timed; fitting (binning included) and batch prediction on the
// held-out rows are. Prints one JSON object: fit and predict seconds, test ROC AUC, peak RSS.
//   tool_trees KIND X.f64 Y.f64 D TRAIN [key=value ...]     (KIND: gbdt | forest | tree)
#include <sys/resource.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/eval/binary_metrics.h"
#include "core/ml/learner_registry.h"

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

geih::table::Table tableOf(const std::vector<double>& x, const std::vector<double>& y,
                           std::size_t d, std::size_t begin, std::size_t end) {
  geih::table::Table table;
  for (std::size_t j = 0; j < d; ++j) {
    std::vector<double> column(end - begin);
    for (std::size_t i = begin; i < end; ++i) column[i - begin] = x[i * d + j];
    table.addColumn(geih::table::Column::numeric("x" + std::to_string(j), std::move(column)));
  }
  table.addColumn(geih::table::Column::numeric(
      "target", std::vector<double>(y.begin() + std::ptrdiff_t(begin), y.begin() + std::ptrdiff_t(end))));
  return table;
}

double seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 6) {
    std::cerr << "usage: tool_trees KIND X.f64 Y.f64 D TRAIN [key=value ...]\n";
    return 2;
  }
  try {
    const std::string kind = argv[1];
    std::vector<double> y = readDoubles(argv[3]);
    const std::size_t d = std::stoul(argv[4]);
    const std::size_t train = std::stoul(argv[5]);
    geih::ml::ParamMap params;
    for (int i = 6; i < argc; ++i) params.insert(geih::ml::parseParamAssignment(argv[i]));
    const std::size_t n = y.size();
    geih::table::Table trainTable, testTable;
    {
      const std::vector<double> x = readDoubles(argv[2]);
      if (x.size() != n * d || train >= n) throw std::runtime_error("X does not hold n x d values");
      trainTable = tableOf(x, y, d, 0, train);
      testTable = tableOf(x, y, d, train, n);
    }
    const auto learner = geih::ml::makeLearner(kind, params);
    const geih::ml::TrainingData training{&trainTable, "target", {},
                                          geih::ml::Task::BinaryClassification};
    auto start = std::chrono::steady_clock::now();
    const auto model = learner->fit(training, geih::Progress::none());
    const double fitSeconds = seconds(start);
    start = std::chrono::steady_clock::now();
    const std::vector<double> scores = model->predict(testTable);
    const double predictSeconds = seconds(start);
    const std::vector<double> labels(y.begin() + std::ptrdiff_t(train), y.end());
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    std::cout << nlohmann::json{{"kind", kind},
                                {"train_rows", train},
                                {"test_rows", n - train},
                                {"fit_seconds", fitSeconds},
                                {"predict_seconds", predictSeconds},
                                {"test_roc_auc", geih::eval::rocAuc(labels, scores)},
                                {"peak_rss_mb", double(usage.ru_maxrss) / 1024.0}}
                     .dump()
              << "\n";
  } catch (const std::exception& error) {
    std::cerr << "tool_trees: " << error.what() << "\n";
    return 1;
  }
  return 0;
}
