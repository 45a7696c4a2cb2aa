// Logistic regression fit (Newton/IRLS with standardisation) on 200k rows x 20 numeric features.
#include <benchmark/benchmark.h>

#include <cmath>
#include <string>

#include "core/common/rng.h"
#include "core/ml/logistic_regression.h"

namespace {

using geih::table::Column;
using geih::table::Table;

const Table& data() {
  static const Table table = [] {
    constexpr std::size_t kRows = 200'000, kFeatures = 20;
    geih::Rng rng(99);
    std::vector<std::vector<double>> x(kFeatures, std::vector<double>(kRows));
    std::vector<double> y(kRows);
    for (std::size_t i = 0; i < kRows; ++i) {
      double logit = -0.5;
      for (std::size_t j = 0; j < kFeatures; ++j) {
        const double scale = std::pow(10.0, double(j % 5) - 2.0);  // 0.01 .. 100
        x[j][i] = rng.normal(0.0, scale);
        logit += (j % 3 == 0 ? 0.5 : -0.25) * x[j][i] / scale;
      }
      y[i] = rng.bernoulli(1.0 / (1.0 + std::exp(-logit))) ? 1.0 : 0.0;
    }
    Table made;
    for (std::size_t j = 0; j < kFeatures; ++j) {
      std::string name = "x";
      name += std::to_string(j);
      made.addColumn(Column::numeric(std::move(name), std::move(x[j])));
    }
    made.addColumn(Column::numeric("target", std::move(y)));
    return made;
  }();
  return table;
}

void BM_LogisticFit(benchmark::State& state) {
  const Table& table = data();
  const geih::ml::LogisticRegressionLearner learner(geih::ml::ParamMap{{"C", "1"}});
  const geih::ml::TrainingData training{&table, "target", {}, geih::ml::Task::BinaryClassification};
  int iterations = 0;
  for (auto _ : state) {
    auto model = learner.fit(training, geih::Progress::none());
    iterations = dynamic_cast<geih::ml::LogisticRegressionModel&>(*model).iterations();
    benchmark::DoNotOptimize(model);
  }
  state.counters["newton_iterations"] = iterations;
  state.SetItemsProcessed(state.iterations() * std::int64_t(table.rowCount()));
}

void BM_LogisticPredict(benchmark::State& state) {
  const Table& table = data();
  const geih::ml::LogisticRegressionLearner learner;
  const auto model = learner.fit({&table, "target", {}, geih::ml::Task::BinaryClassification},
                                 geih::Progress::none());
  std::vector<double> scores(table.rowCount());
  for (auto _ : state) {
    model->predict(table, scores);
    benchmark::DoNotOptimize(scores.data());
  }
  state.SetItemsProcessed(state.iterations() * std::int64_t(table.rowCount()));
}

}  // namespace

BENCHMARK(BM_LogisticFit)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LogisticPredict)->Unit(benchmark::kMillisecond);
