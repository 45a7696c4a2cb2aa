// ROC AUC and average precision on 1M and 10M scores (30% positives, scores on a 1e-4 grid so
// that ties occur as they do with real model outputs).
#include <benchmark/benchmark.h>

#include <cmath>
#include <vector>

#include "core/common/rng.h"
#include "core/eval/binary_metrics.h"
#include "core/eval/curves.h"

namespace {

struct Data {
  std::vector<double> labels;
  std::vector<double> scores;
};

const Data& data(std::size_t n) {
  static std::vector<std::pair<std::size_t, Data>> cache;
  for (const auto& [size, cached] : cache) {
    if (size == n) return cached;
  }
  geih::Rng rng(2024);
  Data made{std::vector<double>(n), std::vector<double>(n)};
  for (std::size_t i = 0; i < n; ++i) {
    made.labels[i] = rng.bernoulli(0.3) ? 1.0 : 0.0;
    const double logit = rng.normal() + 1.5 * made.labels[i] - 1.0;
    made.scores[i] = std::round(1e4 / (1.0 + std::exp(-logit))) / 1e4;
  }
  cache.emplace_back(n, std::move(made));
  return cache.back().second;
}

void BM_RocAuc(benchmark::State& state) {
  const Data& d = data(std::size_t(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(geih::eval::rocAuc(d.labels, d.scores));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void BM_AveragePrecision(benchmark::State& state) {
  const Data& d = data(std::size_t(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(geih::eval::averagePrecision(d.labels, d.scores));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void BM_EvaluateBinary(benchmark::State& state) {
  const Data& d = data(std::size_t(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(geih::eval::evaluateBinary(d.labels, d.scores));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void BM_RocCurveDownsampled(benchmark::State& state) {
  const Data& d = data(std::size_t(state.range(0)));
  for (auto _ : state) {
    benchmark::DoNotOptimize(geih::eval::downsample(geih::eval::rocCurve(d.labels, d.scores), 500));
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

}  // namespace

BENCHMARK(BM_RocAuc)->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AveragePrecision)->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_EvaluateBinary)->Arg(1'000'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RocCurveDownsampled)->Arg(1'000'000)->Unit(benchmark::kMillisecond);
