// Risk-map hot paths: a logistic model's score over band arrays (LinearForm::predictColumns),
// classifying a row of scores (classifyRun), reading a tiled float32 stack window by window
// straight from the file or through GDAL (StackWindows), writing a map's two compressed GeoTIFFs
// with their overviews (GeoTiffOutput), and a whole map of a 2048² x 6 stack
// (scoreRaster: read, score, classify, two compressed GeoTIFFs with overviews, preview).
// The stack is written once under the system's temporary folder (tests/support/float_stack.h).
#include <benchmark/benchmark.h>

#include <cmath>
#include <filesystem>

#include "core/common/rng.h"
#include "core/geo/geotiff_output.h"
#include "core/geo/raster_scorer.h"
#include "core/geo/risk_classes.h"
#include "core/geo/stack_windows.h"
#include "core/ml/learner_registry.h"
#include "core/ml/linear_form.h"
#include "tests/support/float_stack.h"

namespace {

namespace fs = std::filesystem;
constexpr std::size_t kBands = 6;
constexpr int kSide = 2048;

const geih::ml::Model& logisticModel() {
  static const std::unique_ptr<geih::ml::Model> model = [] {
    constexpr std::size_t kRows = 20'000;
    geih::Rng rng(3);
    geih::table::Table data;
    std::vector<std::vector<double>> x(kBands, std::vector<double>(kRows));
    std::vector<double> y(kRows);
    for (std::size_t i = 0; i < kRows; ++i) {
      double logit = -1.0;
      for (std::size_t j = 0; j < kBands; ++j) {
        x[j][i] = rng.uniform(0, 10);
        logit += (j % 2 == 0 ? 0.3 : -0.2) * x[j][i];
      }
      y[i] = rng.bernoulli(1.0 / (1.0 + std::exp(-logit))) ? 1.0 : 0.0;
    }
    for (std::size_t j = 0; j < kBands; ++j) data.addColumn(geih::table::Column::numeric("b" + std::to_string(j), x[j]));
    data.addColumn(geih::table::Column::numeric("fire", y));
    return geih::ml::makeLearner("logistic")->fit({&data, "fire", {}}, geih::Progress::none());
  }();
  return *model;
}

// 2048² x 6 float32, tiled 256², band interleaved, uncompressed: the layout read straight.
const fs::path& stackPath() {
  static const fs::path path = [] {
    const fs::path made = fs::temp_directory_path() / "geih_bench_raster_stack.tif";
    geih::testing::FloatStackSpec spec;
    spec.width = kSide;
    spec.height = kSide;
    spec.bands = int(kBands);
    for (std::size_t j = 0; j < kBands; ++j) spec.names.push_back("b" + std::to_string(j));
    spec.options = {"TILED=YES", "BLOCKXSIZE=256", "BLOCKYSIZE=256", "INTERLEAVE=BAND"};
    spec.value = [](int band, int row, int col) {
      return float(std::fmod(std::sin(row * 0.013 + band) * 5 + std::cos(col * 0.007 - band) * 5 + 10.0, 10.0));
    };
    geih::testing::writeFloatStack(made.string(), spec);
    return made;
  }();
  return path;
}

void BM_LinearFormColumns(benchmark::State& state) {
  const auto form = logisticModel().linearForm();
  constexpr std::size_t kPixels = 8192;
  geih::Rng rng(1);
  std::vector<std::vector<float>> columns(kBands, std::vector<float>(kPixels));
  std::vector<const float*> pointers;
  for (auto& column : columns) {
    for (float& value : column) value = float(rng.uniform(0, 10));
    pointers.push_back(column.data());
  }
  std::vector<double> out(kPixels);
  for (auto _ : state) {
    form->predictColumns(pointers, kPixels, out.data());
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * std::int64_t(kPixels));
}

void BM_ClassifyRun(benchmark::State& state) {
  const std::size_t length = std::size_t(state.range(0));
  const geih::geo::ClassBounds bounds(geih::geo::defaultRiskClasses());
  geih::Rng rng(2);
  std::vector<double> scores(length), work(length);
  for (double& score : scores) score = rng.uniform();
  std::vector<std::uint8_t> valid(length, 1), classes(length);
  std::vector<float> probability(length);
  std::vector<std::size_t> counts(4);
  for (auto _ : state) {
    work = scores;
    benchmark::DoNotOptimize(geih::geo::classifyRun(bounds, work, valid.data(), -9999.0f, 255,
                                                     probability.data(), classes.data(), counts));
  }
  state.SetItemsProcessed(state.iterations() * std::int64_t(length));
}

void BM_StackWindowsRead(benchmark::State& state) {
  const bool direct = state.range(0) != 0;
  // score-raster's block cache (GDAL's default, 5% of the RAM, would hold this whole stack and
  // turn the GDAL reads into copies from memory).
  GDALSetCacheMax64(std::int64_t(32) << 20);
  const auto stack = geih::geo::RasterStack::open(stackPath());
  const geih::geo::StackWindows windows(stack, {0, 1, 2, 3, 4, 5}, std::vector<char>(kBands, 0), 1, direct);
  std::vector<std::vector<float>> buffers(kBands, std::vector<float>(std::size_t(windows.width()) * windows.height()));
  std::vector<float*> floats;
  for (auto& buffer : buffers) floats.push_back(buffer.data());
  std::vector<double*> doubles(kBands, nullptr);
  for (auto _ : state) {
    for (int row = 0; row < windows.down(); ++row) {
      for (int column = 0; column < windows.across(); ++column) windows.read(0, column, row, floats.data(), doubles.data());
    }
    benchmark::DoNotOptimize(floats[0][0]);
  }
  state.SetLabel(windows.direct() ? "pread" : "GDAL");
  state.SetItemsProcessed(state.iterations() * std::int64_t(kSide) * kSide);
}

// The two files of a map written from memory (no input, no model): the probability (float32)
// and the classes (uint8), Zstandard, overviews made as the strips come; 4096², 256-row strips.
void BM_WriteMapOutputs(benchmark::State& state) {
  constexpr int kMapSide = 4096, kStrip = 256;
  std::vector<float> probability(std::size_t(kMapSide) * kStrip);
  std::vector<std::uint8_t> classes(probability.size());
  geih::Rng rng(5);
  for (std::size_t p = 0; p < probability.size(); ++p) {
    probability[p] = float(0.5 + 0.3 * std::sin(double(p % kMapSide) * 0.01) + 0.1 * rng.uniform());
    classes[p] = std::uint8_t(probability[p] * 4);
  }
  geih::geo::Grid grid;
  grid.width = kMapSide;
  grid.height = kMapSide;
  grid.geoTransform = {288000, 30, 0, 9120000, 0, -30};
  const fs::path folder = fs::temp_directory_path();
  GDALSetCacheMax64(std::int64_t(32) << 20);
  for (auto _ : state) {
    geih::geo::PendingFiles files;
    geih::geo::GeoTiffOutput probabilityFile(files, folder / "geih_bench_outputs.tif", grid, 1,
                                             geih::geo::PixelType::Float32, 2);
    geih::geo::GeoTiffOutput classFile(files, folder / "geih_bench_outputs_classes.tif", grid, 1,
                                       geih::geo::PixelType::Byte, 2);
    for (int row = 0; row < kMapSide; row += kStrip) {
      probabilityFile.writeRows(0, row, kStrip, probability.data());
      classFile.writeRows(0, row, kStrip, classes.data());
    }
    probabilityFile.finish();
    classFile.finish();
    files.publish();
  }
  state.SetItemsProcessed(state.iterations() * std::int64_t(kMapSide) * kMapSide);
}

void BM_ScoreRasterLogistic(benchmark::State& state) {
  const auto stack = geih::geo::RasterStack::open(stackPath());
  geih::geo::ScoreOptions options;
  options.output = fs::temp_directory_path() / "geih_bench_raster_map.tif";
  options.threads = int(state.range(0));
  options.inputSha256 = std::string(64, '0');  // the workspace's remembered hash
  for (auto _ : state) {
    const auto summary = geih::geo::scoreRaster(logisticModel(), stack, options, geih::Progress::none());
    benchmark::DoNotOptimize(summary.meanProbability);
  }
  state.SetItemsProcessed(state.iterations() * std::int64_t(kSide) * kSide);
}

}  // namespace

BENCHMARK(BM_LinearFormColumns);
BENCHMARK(BM_ClassifyRun)->Arg(256)->Arg(8192);
BENCHMARK(BM_StackWindowsRead)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_WriteMapOutputs)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ScoreRasterLogistic)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
