// Hot paths of the histogram tree learners: histogram building over all rows and over a node's
// rows (exact double bins, and gbdt's quantised gradients over row-major bins), gradient
// quantisation, a whole gbdt fit, and batch prediction.
#include <benchmark/benchmark.h>

#include <cmath>
#include <numeric>

#include "core/common/rng.h"
#include "core/ml/feature_binning.h"
#include "core/ml/gbdt.h"
#include "core/ml/quantized_gradients.h"
#include "core/ml/quantized_histogram.h"
#include "core/ml/tree_histogram.h"

namespace {

using namespace geih;

constexpr std::size_t kFeatures = 20;

table::Table riskTable(std::size_t n) {
  Rng rng(5);
  std::vector<std::vector<double>> x(kFeatures, std::vector<double>(n));
  std::vector<double> y(n);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < kFeatures; ++j) x[j][i] = rng.normal();
    const double logit = -2.3 + 0.9 * x[0][i] - 0.7 * x[1][i] + 0.5 * x[2][i] * x[3][i] +
                         0.6 * std::sin(2 * x[4][i]);
    y[i] = rng.uniform() < 1 / (1 + std::exp(-logit)) ? 1.0 : 0.0;
  }
  table::Table table;
  for (std::size_t j = 0; j < kFeatures; ++j) {
    table.addColumn(table::Column::numeric("x" + std::to_string(j), std::move(x[j])));
  }
  table.addColumn(table::Column::numeric("fire", std::move(y)));
  return table;
}

struct Binned {
  table::Table table;
  ml::BinnedMatrix matrix;
  std::vector<ml::GradientPair> gradients;
  ml::RowMajorBins rowMajor;
  ml::QuantizedGradients quantized;
};

const Binned& binned() {
  static const Binned data = [] {
    Binned b{riskTable(800000), {}, {}, {}, {}};
    std::vector<std::string> features;
    for (std::size_t j = 0; j < kFeatures; ++j) features.push_back("x" + std::to_string(j));
    const auto pipeline = ml::FeaturePipeline::fitForTrees(b.table, features);
    b.matrix = ml::BinnedMatrix::fit(pipeline, b.table, 255, 1, 1, Progress::none());
    Rng rng(9);
    b.gradients.resize(b.matrix.rows());
    for (auto& g : b.gradients) g = {float(rng.uniform() - 0.2), float(0.2 * rng.uniform())};
    b.rowMajor = ml::RowMajorBins(b.matrix, 1);
    std::vector<std::uint32_t> all(b.matrix.rows());
    std::iota(all.begin(), all.end(), 0u);
    ml::quantizeGradients(b.gradients.data(), all, all.size(), 1, 1, b.quantized);
    return b;
  }();
  return data;
}

std::vector<std::uint32_t> nodeRows(std::size_t n) {
  std::vector<std::uint32_t> rows;
  for (std::uint32_t i = 0; i < n; ++i) {
    if (i % 10 < 3) rows.push_back(i);  // a node holding 30% of the rows
  }
  return rows;
}

void BM_HistogramAllRows(benchmark::State& state) {
  const Binned& data = binned();
  std::vector<std::uint32_t> rows(data.matrix.rows());
  std::iota(rows.begin(), rows.end(), 0u);
  std::vector<std::int32_t> features(kFeatures);
  std::iota(features.begin(), features.end(), 0);
  std::vector<ml::HistBin> out(kFeatures * ml::kHistBins);
  for (auto _ : state) {
    ml::buildHistograms(data.matrix, rows, true, data.gradients.data(), features, out.data(),
                        int(state.range(0)));
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * std::int64_t(rows.size() * kFeatures));
}
BENCHMARK(BM_HistogramAllRows)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);

void BM_HistogramNodeRows(benchmark::State& state) {
  const Binned& data = binned();
  const std::vector<std::uint32_t> rows = nodeRows(data.matrix.rows());
  std::vector<std::int32_t> features(kFeatures);
  std::iota(features.begin(), features.end(), 0);
  std::vector<ml::HistBin> out(kFeatures * ml::kHistBins);
  for (auto _ : state) {
    ml::buildHistograms(data.matrix, rows, false, data.gradients.data(), features, out.data(),
                        int(state.range(0)));
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * std::int64_t(rows.size() * kFeatures));
}
BENCHMARK(BM_HistogramNodeRows)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);

void BM_QuantizedHistogram(benchmark::State& state, bool allRows) {
  const Binned& data = binned();
  std::vector<std::uint32_t> rows(data.matrix.rows());
  std::iota(rows.begin(), rows.end(), 0u);
  if (!allRows) rows = nodeRows(data.matrix.rows());
  std::vector<std::int32_t> features(kFeatures);
  std::iota(features.begin(), features.end(), 0);
  std::vector<ml::HistBin> out(kFeatures * ml::kHistBins);
  for (auto _ : state) {
    ml::buildQuantizedHistograms(data.rowMajor, rows, allRows, data.quantized, features,
                                 out.data(), int(state.range(0)));
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * std::int64_t(rows.size() * kFeatures));
}
BENCHMARK_CAPTURE(BM_QuantizedHistogram, all_rows, true)
    ->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_QuantizedHistogram, node_rows, false)
    ->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);

void BM_QuantizeGradients(benchmark::State& state) {
  const Binned& data = binned();
  std::vector<std::uint32_t> rows(data.matrix.rows());
  std::iota(rows.begin(), rows.end(), 0u);
  ml::QuantizedGradients out;
  std::uint64_t stream = 0;
  for (auto _ : state) {
    ml::quantizeGradients(data.gradients.data(), rows, rows.size(), ++stream, 1, out);
    benchmark::DoNotOptimize(out.packed.data());
  }
  state.SetItemsProcessed(state.iterations() * std::int64_t(rows.size()));
}
BENCHMARK(BM_QuantizeGradients)->Unit(benchmark::kMillisecond);

void BM_GbdtFit(benchmark::State& state) {
  const table::Table table = riskTable(std::size_t(state.range(0)));
  const ml::GbdtLearner learner(ml::ParamMap{{"n_estimators", "20"}});
  const ml::TrainingData training{&table, "fire", {}, ml::Task::BinaryClassification, 2};
  for (auto _ : state) benchmark::DoNotOptimize(learner.fit(training, Progress::none()));
  state.SetItemsProcessed(state.iterations() * state.range(0) * 20);
}
BENCHMARK(BM_GbdtFit)->Arg(200000)->Unit(benchmark::kMillisecond);

void BM_GbdtPredict(benchmark::State& state) {
  const table::Table table = riskTable(200000);
  const ml::GbdtLearner learner(ml::ParamMap{{"n_estimators", "100"}});
  const ml::TrainingData training{&table, "fire", {}, ml::Task::BinaryClassification, 2};
  const auto model = learner.fit(training, Progress::none());
  std::vector<double> out(table.rowCount());
  for (auto _ : state) model->predict(table, out);
  state.SetItemsProcessed(state.iterations() * std::int64_t(table.rowCount()));
}
BENCHMARK(BM_GbdtPredict)->Unit(benchmark::kMillisecond);

}  // namespace
