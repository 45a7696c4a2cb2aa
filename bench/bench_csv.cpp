// CSV parsing throughput: 200k rows x 21 numeric columns parsed from memory.
#include <benchmark/benchmark.h>

#include <string>

#include "core/common/rng.h"
#include "core/table/csv_reader.h"

namespace {

std::string makeCsv(std::size_t rows, std::size_t columns) {
  geih::Rng rng(1);
  std::string text;
  for (std::size_t c = 0; c < columns; ++c) text += (c ? ",f" : "f") + std::to_string(c);
  text += '\n';
  char buffer[32];
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t c = 0; c < columns; ++c) {
      const int n = std::snprintf(buffer, sizeof buffer, "%.6g", rng.normal(100.0, 50.0));
      if (c) text += ',';
      text.append(buffer, std::size_t(n));
    }
    text += '\n';
  }
  return text;
}

void BM_ParseNumericCsv(benchmark::State& state) {
  const std::string text = makeCsv(200000, 21);
  geih::table::CsvOptions options;
  options.threads = int(state.range(0));
  for (auto _ : state) {
    auto result = geih::table::parseCsv(text, "bench.csv", options);
    benchmark::DoNotOptimize(result.table.rowCount());
  }
  state.SetBytesProcessed(std::int64_t(state.iterations()) * std::int64_t(text.size()));
}
BENCHMARK(BM_ParseNumericCsv)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);

void BM_ParseMixedCsv(benchmark::State& state) {
  std::string text = "a,b,c,label\n";
  for (int i = 0; i < 200000; ++i) {
    text += std::to_string(i * 0.5) + ",\"" + (i % 3 ? "forest" : "urban, dense") + "\"," +
            (i % 2 ? "true" : "false") + "," + std::to_string(i % 2) + "\n";
  }
  for (auto _ : state) {
    auto result = geih::table::parseCsv(text, "bench.csv");
    benchmark::DoNotOptimize(result.table.rowCount());
  }
  state.SetBytesProcessed(std::int64_t(state.iterations()) * std::int64_t(text.size()));
}
BENCHMARK(BM_ParseMixedCsv)->Unit(benchmark::kMillisecond);

}  // namespace
