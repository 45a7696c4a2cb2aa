// Drift statistics on 1M vs 1M values: the two-sample Kolmogorov-Smirnov test (asymptotic path,
// dominated by two radix sorts and one merge walk) and the population stability index with 10
// reference-quantile bins (one sort of the reference, two binning sweeps).
#include <benchmark/benchmark.h>

#include <vector>

#include "core/common/rng.h"
#include "core/drift/ks_test.h"
#include "core/drift/psi.h"

namespace {

struct Data {
  std::vector<double> reference;
  std::vector<double> current;
};

const Data& data(std::size_t n) {
  static std::vector<std::pair<std::size_t, Data>> cache;
  for (const auto& [size, cached] : cache) {
    if (size == n) return cached;
  }
  geih::Rng rng(2024);
  Data made{std::vector<double>(n), std::vector<double>(n)};
  for (std::size_t i = 0; i < n; ++i) made.reference[i] = rng.normal();
  for (std::size_t i = 0; i < n; ++i) made.current[i] = rng.normal() * 1.05 + 0.02;
  cache.emplace_back(n, std::move(made));
  return cache.back().second;
}

void BM_KsTwoSample(benchmark::State& state) {
  const Data& d = data(std::size_t(state.range(0)));
  for (auto _ : state) {
    benchmark::DoNotOptimize(geih::drift::ksTwoSample(d.reference, d.current).pValue);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0) * 2);
}

void BM_PopulationStabilityIndex(benchmark::State& state) {
  const Data& d = data(std::size_t(state.range(0)));
  for (auto _ : state) {
    benchmark::DoNotOptimize(geih::drift::populationStabilityIndex(d.reference, d.current).psi);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0) * 2);
}

}  // namespace

BENCHMARK(BM_KsTwoSample)->Arg(1'000'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PopulationStabilityIndex)->Arg(1'000'000)->Unit(benchmark::kMillisecond);
