#include "core/pipeline/deforestation_demo.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/common/error.h"
#include "core/common/rng.h"
#include "core/geo/burn_severity.h"
#include "core/geo/raster_scorer.h"
#include "core/geo/raster_stack.h"
#include "core/geo/risk_classes.h"
#include "core/geo/sample_extraction.h"
#include "core/geo/spectral_indices.h"
#include "core/pipeline/data_source.h"
#include "core/pipeline/model_source.h"
#include "core/store/registry.h"
#include "core/table/csv_writer.h"

namespace geih::pipeline {
namespace {

namespace fs = std::filesystem;
constexpr double kForestNdvi = 0.25;
constexpr double kSeedRate = 0.04;
constexpr double kEdgeScaleM = 40.0;
constexpr double kNdviWeight = 12.0;  // sparser (lower NDVI) forest is cleared first
constexpr double kNdviCentre = 0.35;
constexpr std::size_t kMaxPixels = 4'000'000;
const std::vector<std::string> kBandNames = {"blue", "green", "red", "nir", "swir1", "swir2"};
// Bare soil in Landsat 7 digital numbers (bright in red and SWIR, dull in NIR).
constexpr double kBareSoil[6] = {95, 90, 100, 70, 125, 105};

struct Scene {
  geo::Grid grid;
  std::vector<std::vector<double>> bands;  // the six reflective bands, NaN where nodata
  std::size_t pixels() const { return std::size_t(grid.width) * std::size_t(grid.height); }
};

void requireSixBandsOfAtMost4Mpx(const geo::RasterStack& stack) {
  const std::string name = "'" + stack.path().string() + "'";
  if (stack.bandNames().size() < 6) {
    throw InputError(name + " has " + std::to_string(stack.bandNames().size()) +
                     " bands; the Olinda scenario needs the six reflective Landsat 7 bands (L7_ETMs.tif)");
  }
  const std::size_t pixels = std::size_t(stack.grid().width) * std::size_t(stack.grid().height);
  if (pixels > kMaxPixels) {
    throw InputError(name + " has " + std::to_string(pixels) + " pixels; the demo scenario takes scenes of at most 4 Mpx");
  }
}

Scene readScene(const fs::path& path) {
  const geo::RasterStack stack = geo::RasterStack::open(path);
  requireSixBandsOfAtMost4Mpx(stack);
  Scene scene;
  scene.grid = stack.grid();
  for (int b = 0; b < 6; ++b) {
    std::vector<double> band(scene.pixels());
    stack.readRows(b, 0, scene.grid.height, band.data());
    if (const auto nodata = stack.nodata(b)) {
      for (double& v : band) {
        if (v == *nodata) v = std::numeric_limits<double>::quiet_NaN();
      }
    }
    scene.bands.push_back(std::move(band));
  }
  return scene;
}

// Distance of each forest pixel to the nearest non-forest pixel (3-4 chamfer, two passes), metres.
std::vector<double> edgeDistance(const std::vector<std::uint8_t>& forest, int width, int height, double pixelM) {
  const double far = 3.0 * (width + height);
  std::vector<double> d(forest.size());
  for (std::size_t p = 0; p < forest.size(); ++p) d[p] = forest[p] ? far : 0.0;
  auto at = [&](int x, int y) -> double& { return d[std::size_t(y) * std::size_t(width) + std::size_t(x)]; };
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      double& v = at(x, y);
      if (x > 0) v = std::min(v, at(x - 1, y) + 3);
      if (y > 0) {
        v = std::min(v, at(x, y - 1) + 3);
        if (x > 0) v = std::min(v, at(x - 1, y - 1) + 4);
        if (x + 1 < width) v = std::min(v, at(x + 1, y - 1) + 4);
      }
    }
  }
  for (int y = height - 1; y >= 0; --y) {
    for (int x = width - 1; x >= 0; --x) {
      double& v = at(x, y);
      if (x + 1 < width) v = std::min(v, at(x + 1, y) + 3);
      if (y + 1 < height) {
        v = std::min(v, at(x, y + 1) + 3);
        if (x + 1 < width) v = std::min(v, at(x + 1, y + 1) + 4);
        if (x > 0) v = std::min(v, at(x - 1, y + 1) + 4);
      }
    }
  }
  for (double& v : d) v = v / 3.0 * pixelM;
  return d;
}

}  // namespace

void requireDemoScene(const fs::path& scene) { requireSixBandsOfAtMost4Mpx(geo::RasterStack::open(scene)); }

DeforestationDemoSummary buildDeforestationDemo(store::Workspace& workspace, const fs::path& scenePath,
                                                std::uint64_t seed, Progress& progress) {
  progress.report(0.0, "simulating clearings on the Olinda scene");
  const Scene scene = readScene(scenePath);
  const int width = scene.grid.width;
  const int height = scene.grid.height;
  const std::size_t pixels = scene.pixels();
  const double pixelM = std::abs(scene.grid.geoTransform[1]);
  const auto& red = scene.bands[2];
  const auto& nir = scene.bands[3];
  const auto& swir2 = scene.bands[5];

  std::vector<double> ndviBefore(pixels), nbrBefore(pixels);
  std::vector<std::uint8_t> forest(pixels, 0);
  DeforestationDemoSummary summary;
  for (std::size_t p = 0; p < pixels; ++p) {
    ndviBefore[p] = geo::ndvi(red[p], nir[p]);
    nbrBefore[p] = geo::nbr(nir[p], swir2[p]);
    forest[p] = ndviBefore[p] > kForestNdvi;  // false for NaN
    summary.forestPixels += forest[p];
  }
  if (summary.forestPixels == 0) {
    throw InputError("'" + scenePath.string() + "' has no pixel with NDVI > 0.25 (band 3 red, band 4 NIR): no forest to clear");
  }
  const std::vector<double> edge = edgeDistance(forest, width, height, pixelM);

  // Seed probability of each forest pixel: the known risk function.
  std::vector<double> seedChance(pixels, 0.0);
  for (std::size_t p = 0; p < pixels; ++p) {
    if (!forest[p]) continue;
    const double logit = 1.0 - edge[p] / kEdgeScaleM - kNdviWeight * (ndviBefore[p] - kNdviCentre);
    seedChance[p] = kSeedRate / (1.0 + std::exp(-logit));
  }
  // The exact chance of being cleared: a pixel is cleared by its own seed (any radius) or by a
  // 4-neighbour's seed of radius 1 (half of them); the ceiling any model of these features reaches.
  std::vector<double> trueRisk(pixels, std::numeric_limits<double>::quiet_NaN());
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const std::size_t p = std::size_t(y) * std::size_t(width) + std::size_t(x);
      if (!forest[p]) continue;
      double untouched = 1.0 - seedChance[p];
      const int neighbours[4][2] = {{-1, 0}, {1, 0}, {0, -1}, {0, 1}};
      for (const auto& n : neighbours) {
        const int nx = x + n[0];
        const int ny = y + n[1];
        if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
        untouched *= 1.0 - 0.5 * seedChance[std::size_t(ny) * std::size_t(width) + std::size_t(nx)];
      }
      trueRisk[p] = 1.0 - untouched;
    }
  }

  Rng rng(seed);
  std::vector<std::uint8_t> cleared(pixels, 0);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const std::size_t p = std::size_t(y) * std::size_t(width) + std::size_t(x);
      if (!forest[p]) continue;
      if (!rng.bernoulli(seedChance[p])) continue;
      const int radius = int(rng.below(2));
      for (int dy = -radius; dy <= radius; ++dy) {
        for (int dx = -radius; dx <= radius; ++dx) {
          const int cx = x + dx;
          const int cy = y + dy;
          if (cx < 0 || cy < 0 || cx >= width || cy >= height || dx * dx + dy * dy > radius * radius) continue;
          const std::size_t q = std::size_t(cy) * std::size_t(width) + std::size_t(cx);
          if (forest[q]) cleared[q] = 1;
        }
      }
    }
  }
  std::vector<std::vector<double>> after = scene.bands;
  std::vector<double> labels(pixels, 255.0);
  for (std::size_t p = 0; p < pixels; ++p) {
    if (!forest[p]) continue;
    labels[p] = cleared[p];
    if (!cleared[p]) continue;
    ++summary.clearedPixels;
    for (int b = 0; b < 6; ++b) after[std::size_t(b)][p] = std::round(kBareSoil[b] + rng.normal(0.0, 4.0));
  }

  const fs::path external = workspace.root() / "data" / "external";
  fs::create_directories(external);
  summary.before = external / "olinda_before.tif";
  summary.after = external / "olinda_after.tif";
  summary.labels = external / "olinda_cleared.tif";
  summary.features = external / "olinda_features.tif";
  geo::writeGeoTiff(summary.before, scene.grid, kBandNames, scene.bands);
  geo::writeGeoTiff(summary.after, scene.grid, kBandNames, after);
  geo::writeGeoTiff(summary.labels, scene.grid, {"cleared"}, {labels}, 255.0);
  summary.trueRisk = external / "olinda_true_risk.tif";
  for (double& v : trueRisk) {
    if (std::isnan(v)) v = -9999.0;
  }
  geo::writeGeoTiff(summary.trueRisk, scene.grid, {"true_risk"}, {trueRisk}, -9999.0);
  // Features of forest pixels only (the model says where forest goes): the rest is nodata.
  std::vector<std::vector<double>> featureBands = {ndviBefore, nbrBefore, edge};
  for (auto& band : featureBands) {
    for (std::size_t p = 0; p < pixels; ++p) {
      if (!forest[p]) band[p] = -9999.0;
    }
  }
  geo::writeGeoTiff(summary.features, scene.grid, {"ndvi", "nbr", "edge_distance_m"}, featureBands, -9999.0);
  progress.checkCancelled();

  progress.report(0.2, "change between the dates");
  const geo::RasterStack beforeStack = geo::RasterStack::open(summary.before);
  const geo::RasterStack afterStack = geo::RasterStack::open(summary.after);
  geo::ChangeOptions change;
  change.index = geo::SpectralIndex::Ndvi;
  change.beforeRoles = geo::resolveBandRoles(beforeStack, {}, "");
  change.afterRoles = geo::resolveBandRoles(afterStack, {}, "");
  summary.change = workspace.root() / "maps" / "olinda_dndvi.tif";
  fs::create_directories(summary.change.parent_path());
  geo::writeChangeRaster(beforeStack, afterStack, change, summary.change, Progress::none());

  progress.report(0.3, "training samples");
  const geo::RasterStack featureStack = geo::RasterStack::open(summary.features);
  const geo::RasterStack labelStack = geo::RasterStack::open(summary.labels);
  geo::SampleOptions sampleOptions;
  sampleOptions.seed = seed;
  geo::SampleSummary sampled;
  const table::Table samples =
      geo::samplesFromLabelRaster(featureStack, labelStack, 0, sampleOptions, sampled, Progress::none());
  summary.samples = external / "olinda_deforestation.csv";
  table::writeCsv(samples, summary.samples);
  registerLoaded(workspace, loadData(workspace, summary.samples.string()), "olinda_deforestation");

  progress.report(0.4, "training the deforestation model");
  TrainRequest request;
  request.experiment = "deforestation-olinda";
  request.runName = "gbdt on first-date NDVI, NBR, edge distance";
  request.dataFile = summary.samples.string();
  request.datasetName = "olinda_deforestation";
  request.target = "label";
  request.features = {"ndvi", "nbr", "edge_distance_m"};
  request.model = "gbdt";
  request.params = {{"n_estimators", "100"}, {"learning_rate", "0.1"}, {"max_leaves", "15"}};
  request.seed = seed;
  ml::CvSpec cv;
  cv.kind = ml::CvKind::Spatial;
  cv.folds = 5;
  cv.xColumn = "x";
  cv.yColumn = "y";
  cv.seed = seed;
  request.cv = cv;
  request.tags = {{"geih.source", "demo"}, {"scene", scenePath.filename().string()}};
  ProgressSlice trainSlice(progress, 0.4, 0.8);
  summary.run = runTraining(workspace, request, trainSlice);

  store::Registry registry(workspace);
  summary.registeredModel = "deforestation-risk";
  summary.version = registry.registerVersion(summary.registeredModel, summary.run.runId, "model.json",
                                             "GBDT on first-date NDVI, NBR and distance to the forest edge")
                        .version;
  registry.transition(summary.registeredModel, summary.version, store::Stage::Production,
                      "first deforestation-risk model (Olinda demo)");

  progress.report(0.8, "deforestation risk map");
  const LoadedModel model = loadModelArgument(&workspace, summary.registeredModel + "@production");
  geo::ScoreOptions score;
  score.output = workspace.root() / "maps" / "deforestation_risk.tif";
  // Clearing chances are a few percent a pixel: classes on that scale, not the default quarters.
  score.classes = geo::parseRiskClasses("low:0.02,medium:0.04,high:0.07,critical");
  score.modelDescription = model.description;
  score.modelSha256 = model.sha256;
  score.runId = model.runId;
  summary.riskMap = geo::scoreRaster(*model.model, featureStack, score, Progress::none()).probabilityPath;
  progress.report(1.0, "deforestation scenario ready");
  return summary;
}

}  // namespace geih::pipeline
