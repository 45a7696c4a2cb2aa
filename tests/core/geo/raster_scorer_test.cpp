// Scoring a small real GeoTIFF (written here through GDAL: 70 x 40 pixels of 30 m in SIRGAS 2000 /
// UTM 25S, with nodata) with a trained logistic model: every valid pixel's probability equals the
// model's prediction for that pixel's values, nodata stays nodata, classes follow the bounds, and
// the sidecar's areas are pixels x 0.0009 km².
#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <cmath>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <functional>
#include <tuple>
#include <nlohmann/json.hpp>

#include "core/common/atomic_file.h"
#include "core/common/error.h"
#include "core/common/rng.h"
#include "core/geo/raster_scorer.h"
#include "core/geo/raster_stack.h"
#include "core/geo/risk_classes.h"
#include "core/ml/learner_registry.h"
#include "tests/support/float_stack.h"
#include "tests/support/two_feature_fire.h"
#include "tests/support/temp_folder.h"

namespace geih::geo {
namespace {

namespace fs = std::filesystem;
constexpr int kWidth = 70;
constexpr int kHeight = 40;
constexpr double kNodata = -1.0;

class RasterScorerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Training data: fire when 0.8 x1 - 0.5 x2 is large.
    testing::TwoFeatureFire spec;
    spec.a = "x1";
    spec.b = "x2";
    const table::Table data = testing::twoFeatureFireTable(spec);
    Progress progress;
    m_model = ml::makeLearner("logistic")->fit({&data, "fire", {"x1", "x2"}}, progress);

    // The raster: band order differs from the model's features, plus an unused band.
    m_grid.width = kWidth;
    m_grid.height = kHeight;
    m_grid.geoTransform = {288000, 30, 0, 9120000, 0, -30};
    m_grid.projectionWkt = wktForEpsg(31985);
    std::vector<double> extra(kWidth * kHeight), b1(kWidth * kHeight), b2(kWidth * kHeight);
    for (int r = 0; r < kHeight; ++r) {
      for (int c = 0; c < kWidth; ++c) {
        const std::size_t p = std::size_t(r * kWidth + c);
        b1[p] = 10.0 * c / (kWidth - 1);
        b2[p] = 10.0 * r / (kHeight - 1);
        extra[p] = 7;
      }
    }
    b1[5] = kNodata;   // row 0
    b2[kWidth * 39 + 69] = kNodata;  // the last pixel
    m_input = m_folder / "stack.tif";
    writeGeoTiff(m_input, m_grid, {"x2", "extra", "x1"}, {b2, extra, b1}, kNodata);
    m_x1 = b1;
    m_x2 = b2;
  }

  // A stack of bands x1 and x2, `width` x `height` pixels on the fixture's grid, pixel p holding
  // `values(p)`; its values are returned in `x1` and `x2` when asked.
  fs::path writeTwoBands(const std::string& name, int width, int height,
                         const std::function<std::pair<double, double>(std::size_t)>& values,
                         std::vector<double>* x1 = nullptr, std::vector<double>* x2 = nullptr) {
    Grid grid = m_grid;
    grid.width = width;
    grid.height = height;
    std::vector<double> a(std::size_t(width) * std::size_t(height)), b(a.size());
    for (std::size_t p = 0; p < a.size(); ++p) std::tie(a[p], b[p]) = values(p);
    const fs::path path = m_folder / name;
    writeGeoTiff(path, grid, {"x1", "x2"}, {a, b});
    if (x1) *x1 = std::move(a);
    if (x2) *x2 = std::move(b);
    return path;
  }

  testing::TempFolder m_folder{"geo"};
  fs::path m_input;
  Grid m_grid;
  std::unique_ptr<ml::Model> m_model;
  std::vector<double> m_x1, m_x2;
};

TEST_F(RasterScorerTest, ProbabilitiesClassesAndSidecar) {
  const RasterStack stack = RasterStack::open(m_input);
  EXPECT_EQ(stack.bandNames(), (std::vector<std::string>{"x2", "extra", "x1"}));
  EXPECT_EQ(stack.nodata(0), kNodata);
  ScoreOptions options;
  options.output = m_folder / "out" / "risk.tif";
  options.threads = 2;
  options.modelDescription = "test model";
  Progress progress;
  const ScoreSummary summary = scoreRaster(*m_model, stack, options, progress);
  EXPECT_EQ(summary.validPixels, std::size_t(kWidth * kHeight - 2));
  EXPECT_EQ(summary.nodataPixels, 2u);

  // Expected: the model on the same values, pixel by pixel.
  table::Table pixels;
  pixels.addColumn(table::Column::numeric("x1", m_x1));
  pixels.addColumn(table::Column::numeric("x2", m_x2));
  const std::vector<double> expected = m_model->predict(pixels);

  const RasterStack probability = RasterStack::open(summary.probabilityPath);
  EXPECT_EQ(probability.grid().width, kWidth);
  EXPECT_EQ(probability.grid().geoTransform, m_grid.geoTransform);
  EXPECT_EQ(probability.nodata(0), -9999.0);
  std::vector<double> scored(kWidth * kHeight);
  probability.readRows(0, 0, kHeight, scored.data());
  const RasterStack classes = RasterStack::open(summary.classesPath);
  EXPECT_EQ(classes.nodata(0), 255.0);
  // The palette is in the file (set before the first pixel) and names the classes.
  const auto palette = classes.colourTable(0);
  ASSERT_GE(palette.size(), defaultRiskClasses().size());
  for (std::size_t k = 0; k < defaultRiskClasses().size(); ++k) {
    EXPECT_EQ(palette[k][0], defaultRiskClasses()[k].rgb[0]);
    EXPECT_EQ(palette[k][2], defaultRiskClasses()[k].rgb[2]);
  }
  EXPECT_EQ(classes.categoryNames(0).at(3), "critical");
  std::vector<double> classCodes(kWidth * kHeight);
  classes.readRows(0, 0, kHeight, classCodes.data());
  const auto bounds = defaultRiskClasses();
  std::vector<std::size_t> counts(bounds.size(), 0);
  for (std::size_t p = 0; p < scored.size(); ++p) {
    if (p == 5 || p == std::size_t(kWidth * kHeight - 1)) {
      EXPECT_EQ(scored[p], -9999.0);
      EXPECT_EQ(classCodes[p], 255.0);
      continue;
    }
    EXPECT_EQ(scored[p], double(float(expected[p]))) << p;
    const std::size_t k = classify(bounds, double(float(expected[p])));
    EXPECT_EQ(classCodes[p], double(k)) << p;
    counts[k] += 1;
  }

  const nlohmann::json sidecar = nlohmann::json::parse(readFile(summary.sidecarPath));
  EXPECT_EQ(sidecar["model"], "test model");
  EXPECT_EQ(sidecar["valid_pixels"], kWidth * kHeight - 2);
  double shares = 0;
  for (std::size_t k = 0; k < bounds.size(); ++k) {
    const auto& entry = sidecar["classes"][k];
    EXPECT_EQ(entry["name"], bounds[k].name);
    EXPECT_EQ(entry["pixels"], counts[k]);
    EXPECT_NEAR(entry["area_km2"].get<double>(), double(counts[k]) * 0.0009, 1e-9);
    shares += entry["share"].get<double>();
  }
  EXPECT_NEAR(shares, 1.0, 1e-12);
  EXPECT_EQ(sidecar["bands"][0]["feature"], "x1");
  EXPECT_EQ(sidecar["bands"][0]["band"], 3);
  EXPECT_EQ(sidecar["input"]["sha256"].get<std::string>().size(), 64u);
  EXPECT_TRUE(fs::exists(summary.previewPath));
  EXPECT_NE(readFile(summary.stylePath).find("label=\"critical\""), std::string::npos);
  for (const auto& entry : fs::directory_iterator(m_folder / "out")) {
    EXPECT_EQ(entry.path().filename().string().rfind(".tmp-", 0), std::string::npos) << entry.path();
  }
}

// The compression is a choice of file encoding only: zstd (default), deflate and none give the same
// pixels, and each file says which it is (GDAL's IMAGE_STRUCTURE metadata).
TEST_F(RasterScorerTest, EveryCompressionHoldsTheSamePixels) {
  const RasterStack stack = RasterStack::open(m_input);
  std::vector<double> reference;
  for (const auto& [compression, name] :
       {std::pair{Compression::Zstd, "ZSTD"}, std::pair{Compression::Deflate, "DEFLATE"},
        std::pair{Compression::None, ""}}) {
    ScoreOptions options;
    options.output = m_folder / (std::string("c") + name) / "risk.tif";
    options.compression = compression;
    Progress progress;
    const ScoreSummary summary = scoreRaster(*m_model, stack, options, progress);
    std::vector<double> pixels(kWidth * kHeight);
    RasterStack::open(summary.probabilityPath).readRows(0, 0, kHeight, pixels.data());
    if (reference.empty()) reference = pixels;
    EXPECT_EQ(pixels, reference) << name;
    for (const fs::path& file : {summary.probabilityPath, summary.classesPath}) {
      EXPECT_EQ(RasterStack::open(file).compression(), name) << file;
    }
  }
  EXPECT_EQ(compressionFromName("deflate"), Compression::Deflate);
  try {
    compressionFromName("lzma");
    ADD_FAILURE() << "lzma accepted";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("valid: zstd, deflate, none"), std::string::npos);
  }
}

// A Cloud Optimized GeoTIFF (tiles written directly, then copied into the COG layout by GDAL's COG
// driver) holds the same pixels and overviews as the plain file, says it is one, and leaves no
// temporary behind.
TEST_F(RasterScorerTest, CloudOptimizedOutputsHoldTheSamePixelsAndOverviews) {
  // One overview level (300 x 260).
  const RasterStack stack = RasterStack::open(writeTwoBands("wide.tif", 600, 520, [](std::size_t p) {
    return std::pair{double(p % 600) / 60.0, double(p / 600) / 52.0};
  }));
  std::vector<ScoreSummary> summaries;
  for (const bool cog : {false, true}) {
    ScoreOptions options;
    options.output = m_folder / (cog ? "cog" : "plain") / "risk.tif";
    options.cloudOptimized = cog;
    options.threads = 2;
    Progress progress;
    summaries.push_back(scoreRaster(*m_model, stack, options, progress));
  }
  const auto pixels = [](const fs::path& file, int overview) {
    GDALDataset* dataset = GDALDataset::FromHandle(GDALOpen(file.c_str(), GA_ReadOnly));
    EXPECT_NE(dataset, nullptr) << file;
    if (!dataset) return std::vector<float>();
    GDALRasterBand* band = dataset->GetRasterBand(1);
    if (overview > 0) band = band->GetOverview(overview - 1);
    EXPECT_NE(band, nullptr) << file << " overview " << overview;
    std::vector<float> values;
    if (band) {
      values.resize(std::size_t(band->GetXSize()) * std::size_t(band->GetYSize()));
      EXPECT_EQ(band->RasterIO(GF_Read, 0, 0, band->GetXSize(), band->GetYSize(), values.data(), band->GetXSize(),
                               band->GetYSize(), GDT_Float32, 0, 0),
                CE_None);
    }
    GDALClose(GDALDataset::ToHandle(dataset));
    return values;
  };
  for (const auto& path : {&ScoreSummary::probabilityPath, &ScoreSummary::classesPath}) {
    const fs::path plain = summaries[0].*path;
    const fs::path cog = summaries[1].*path;
    for (const int overview : {0, 1}) {
      const std::vector<float> expected = pixels(plain, overview);
      EXPECT_EQ(expected.size(), overview == 0 ? std::size_t(600 * 520) : std::size_t(300 * 260)) << plain;
      EXPECT_EQ(pixels(cog, overview), expected) << cog << " overview " << overview;
    }
    GDALDataset* dataset = GDALDataset::FromHandle(GDALOpen(cog.c_str(), GA_ReadOnly));
    ASSERT_NE(dataset, nullptr);
    const char* layout = dataset->GetMetadataItem("LAYOUT", "IMAGE_STRUCTURE");
    EXPECT_STREQ(layout ? layout : "", "COG") << cog;
    GDALClose(GDALDataset::ToHandle(dataset));
  }
  for (const auto& entry : fs::directory_iterator(m_folder / "cog")) {
    EXPECT_EQ(entry.path().filename().string().rfind(".tmp-", 0), std::string::npos) << entry.path();
  }
}

// A write that fails in the middle of a map (here: the process may not write files past 64 KB,
// as on a disk that fills up) is an IoError naming the output, on the compressing threads or
// not, and leaves no file behind.
TEST_F(RasterScorerTest, AWriteFailureMidMapLeavesNothingBehind) {
  Rng rng(3);
  // Noise: the tiles do not compress to nothing.
  const RasterStack stack = RasterStack::open(writeTwoBands("noisy.tif", 600, 520, [&rng](std::size_t) {
    const double a = rng.uniform(0, 10);
    return std::pair{a, rng.uniform(0, 10)};
  }));

  struct FileSizeLimit {
    rlimit before{};
    void (*handler)(int) = nullptr;
    explicit FileSizeLimit(rlim_t bytes) {
      getrlimit(RLIMIT_FSIZE, &before);
      handler = std::signal(SIGXFSZ, SIG_IGN);  // a write past the limit fails with EFBIG instead
      rlimit limited = before;
      limited.rlim_cur = bytes;
      setrlimit(RLIMIT_FSIZE, &limited);
    }
    ~FileSizeLimit() {
      setrlimit(RLIMIT_FSIZE, &before);
      std::signal(SIGXFSZ, handler);
    }
  };
  for (const int threads : {1, 2}) {
    SCOPED_TRACE(threads);
    const fs::path folder = m_folder / ("full" + std::to_string(threads));
    ScoreOptions options;
    options.output = folder / "risk.tif";
    options.threads = threads;
    options.inputSha256 = std::string(64, '0');  // no hashing thread reading while limited
    Progress progress;
    {
      const FileSizeLimit limit(64 << 10);
      try {
        scoreRaster(*m_model, stack, options, progress);
        ADD_FAILURE() << "a map of 1.2 MB was written under a 64 KB limit";
      } catch (const IoError& error) {
        EXPECT_NE(std::string(error.what()).find("risk"), std::string::npos) << error.what();
      }
    }
    for (const auto& entry : fs::directory_iterator(folder)) ADD_FAILURE() << "left behind: " << entry.path();
  }
}

// Cancelling between strips (while the next strip is being read and the previous one written on
// their own threads) stops the scoring with Cancelled and leaves no file behind, not even the
// temporaries; an uncancelled run of the same raster writes every strip and its overview.
TEST_F(RasterScorerTest, CancelBetweenStripsLeavesNothingBehind) {
  // Several strips, and one overview level (350 rows).
  std::vector<double> x1, x2;
  const RasterStack stack = RasterStack::open(writeTwoBands(
      "tall.tif", 300, 700, [](std::size_t p) { return std::pair{double(p % 300) / 30.0, double(p / 300) / 70.0}; },
      &x1, &x2));
  ASSERT_LT(std::max(64, stack.blockHeight()), stack.grid().height);

  Progress* self = nullptr;
  Progress progress([&self](double fraction, const std::string& stage) {
    if (stage == "scoring" && fraction > 0) self->cancel();
  });
  self = &progress;
  ScoreOptions options;
  options.output = m_folder / "cancelled" / "risk.tif";
  options.threads = 2;
  EXPECT_THROW(scoreRaster(*m_model, stack, options, progress), Cancelled);
  for (const auto& entry : fs::directory_iterator(m_folder / "cancelled")) {
    ADD_FAILURE() << "left behind: " << entry.path();
  }

  options.output = m_folder / "whole" / "risk.tif";
  Progress quiet;
  const ScoreSummary summary = scoreRaster(*m_model, stack, options, quiet);
  EXPECT_EQ(summary.validPixels, x1.size());
  const RasterStack written = RasterStack::open(summary.probabilityPath);
  EXPECT_EQ(written.overviewCount(), 1);
  std::vector<double> last(300);
  written.readRows(0, 699, 1, last.data());
  table::Table row;
  row.addColumn(table::Column::numeric("x1", std::vector<double>(x1.end() - 300, x1.end())));
  row.addColumn(table::Column::numeric("x2", std::vector<double>(x2.end() - 300, x2.end())));
  const std::vector<double> expected = m_model->predict(row);
  for (std::size_t c = 0; c < 300; ++c) EXPECT_EQ(last[c], double(float(expected[c]))) << c;
}

// A GBDT scores the raster through the dense path: every pixel equals the model's prediction
// for a table of the same values, and 1 or 2 threads give the same map and the same summary.
// A model with a categorical input goes through the table path and gets the band's class names.
TEST_F(RasterScorerTest, TreesAndCategoricalBandsWhateverTheThreadCount) {
  Rng rng(9);
  std::vector<double> x1(3000), x2(3000), cover(3000), y(3000);
  for (std::size_t i = 0; i < x1.size(); ++i) {
    x1[i] = rng.uniform(0, 10);
    x2[i] = rng.uniform(0, 10);
    cover[i] = double(rng.below(2));
    y[i] = rng.uniform() < (x1[i] > 5 ? 0.8 : 0.2) ? 1 : 0;
  }
  table::Table data;
  data.addColumn(table::Column::numeric("x1", x1));
  data.addColumn(table::Column::numeric("x2", x2));
  data.addColumn(table::Column::numeric("fire", y));
  Progress progress;
  ml::ParamMap params{{"n_estimators", "20"}, {"max_leaves", "8"}};
  const auto gbdt = ml::makeLearner("gbdt", params)->fit({&data, "fire", {"x1", "x2"}}, progress);
  ASSERT_TRUE(gbdt->acceptsDenseInput());
  const RasterStack stack = RasterStack::open(m_input);
  std::vector<std::vector<double>> maps;
  std::vector<double> means;
  for (int threads : {1, 2}) {
    ScoreOptions options;
    options.output = m_folder / ("gbdt_" + std::to_string(threads) + ".tif");
    options.threads = threads;
    const ScoreSummary summary = scoreRaster(*gbdt, stack, options, progress);
    std::vector<double> scored(kWidth * kHeight);
    RasterStack::open(summary.probabilityPath).readRows(0, 0, kHeight, scored.data());
    maps.push_back(scored);
    means.push_back(summary.meanProbability);
  }
  EXPECT_EQ(maps[0], maps[1]);
  EXPECT_EQ(means[0], means[1]);
  table::Table pixels;
  pixels.addColumn(table::Column::numeric("x1", m_x1));
  pixels.addColumn(table::Column::numeric("x2", m_x2));
  const std::vector<double> expected = gbdt->predict(pixels);
  for (std::size_t p = 0; p < expected.size(); ++p) {
    if (p == 5 || p == std::size_t(kWidth * kHeight - 1)) continue;
    ASSERT_EQ(maps[0][p], double(float(expected[p]))) << p;
  }

  // Categorical: a land-cover band with class names; the model learnt "forest" burns.
  std::vector<std::string> coverText;
  for (std::size_t i = 0; i < cover.size(); ++i) {
    coverText.push_back(cover[i] == 1 ? "forest" : "water");
    y[i] = rng.uniform() < (cover[i] == 1 ? 0.9 : 0.1) ? 1 : 0;
  }
  table::Table covered;
  covered.addColumn(table::Column::categoricalFromStrings("cover", coverText));
  covered.addColumn(table::Column::numeric("fire", y));
  const auto byCover = ml::makeLearner("logistic")->fit({&covered, "fire", {"cover"}}, progress);
  ASSERT_FALSE(byCover->acceptsDenseInput());
  std::vector<double> coverBand(kWidth * kHeight);
  for (std::size_t p = 0; p < coverBand.size(); ++p) coverBand[p] = double(p % 2);  // 0 water, 1 forest
  const fs::path coverPath = m_folder / "cover.tif";
  writeGeoTiff(coverPath, m_grid, {"cover"}, {coverBand}, std::nullopt, {{"water", "forest"}});
  ScoreOptions options;
  options.output = m_folder / "cover_risk.tif";
  const ScoreSummary summary = scoreRaster(*byCover, RasterStack::open(coverPath), options, progress);
  std::vector<double> scored(kWidth * kHeight);
  RasterStack::open(summary.probabilityPath).readRows(0, 0, kHeight, scored.data());
  table::Table two;
  two.addColumn(table::Column::categoricalFromStrings("cover", {"water", "forest"}));
  const std::vector<double> reference = byCover->predict(two);
  EXPECT_EQ(scored[0], double(float(reference[0])));
  EXPECT_EQ(scored[1], double(float(reference[1])));
  EXPECT_GT(scored[1], 0.8);
  EXPECT_LT(scored[0], 0.2);
}

// A float32 GeoTIFF without compression is read straight from its tiles (stack_windows.h); the
// map must be the one GDAL's reads give, for the linear path and the gather path, on any thread
// count, and equal the model's own predictions pixel by pixel.
TEST_F(RasterScorerTest, ReadingTilesStraightFromTheFileGivesTheSameMap) {
  testing::FloatStackSpec spec;
  spec.width = 300;
  spec.height = 200;
  spec.names = {"x2", "x1", "extra"};
  spec.options = {"TILED=YES", "BLOCKXSIZE=128", "BLOCKYSIZE=64", "INTERLEAVE=BAND"};
  spec.value = [](int band, int row, int col) {
    return band == 0 ? float(row % 40) / 4.0f : band == 1 ? float(col % 50) / 5.0f : 7.0f;
  };
  spec.hasNodata = true;
  spec.nodata = kNodata;
  spec.nodataPixels = {{0, 0}, {63, 127}, {64, 128}, {199, 299}};
  const fs::path path = m_folder / "float_stack.tif";
  testing::writeFloatStack(path.string(), spec);
  const RasterStack stack = RasterStack::open(path);

  Rng rng(4);
  std::vector<double> x1(2000), x2(2000), y(2000);
  for (std::size_t i = 0; i < x1.size(); ++i) {
    x1[i] = rng.uniform(0, 10);
    x2[i] = rng.uniform(0, 8);
    y[i] = rng.uniform() < (x1[i] > 5 && x2[i] < 4 ? 0.8 : 0.2) ? 1 : 0;
  }
  table::Table data;
  data.addColumn(table::Column::numeric("x1", x1));
  data.addColumn(table::Column::numeric("x2", x2));
  data.addColumn(table::Column::numeric("fire", y));
  Progress progress;
  const auto gbdt = ml::makeLearner("gbdt", {{"n_estimators", "10"}, {"max_leaves", "8"}})
                        ->fit({&data, "fire", {"x1", "x2"}}, progress);

  const std::size_t pixels = std::size_t(spec.width) * std::size_t(spec.height);
  table::Table values;
  std::vector<double> v1(pixels), v2(pixels);
  for (int r = 0; r < spec.height; ++r) {
    for (int c = 0; c < spec.width; ++c) {
      v1[std::size_t(r * spec.width + c)] = spec.value(1, r, c);
      v2[std::size_t(r * spec.width + c)] = spec.value(0, r, c);
    }
  }
  values.addColumn(table::Column::numeric("x1", v1));
  values.addColumn(table::Column::numeric("x2", v2));
  for (const ml::Model* model : {m_model.get(), gbdt.get()}) {
    const std::vector<double> expected = model->predict(values);
    std::vector<double> reference;
    ScoreSummary referenceSummary;
    for (const bool direct : {false, true}) {
      for (const int threads : {1, 3}) {
        ScoreOptions options;
        options.output = m_folder / ("direct_" + std::to_string(direct) + "_" + std::to_string(threads) + ".tif");
        options.threads = threads;
        options.directReads = direct;
        const ScoreSummary summary = scoreRaster(*model, stack, options, progress);
        std::vector<double> scored(pixels), codes(pixels);
        RasterStack::open(summary.probabilityPath).readRows(0, 0, spec.height, scored.data());
        RasterStack::open(summary.classesPath).readRows(0, 0, spec.height, codes.data());
        EXPECT_EQ(summary.validPixels, pixels - 4);
        if (reference.empty()) {
          reference = scored;
          referenceSummary = summary;
          for (std::size_t p = 0; p < pixels; ++p) {
            const bool nodata = p == 0 || p == 63 * 300 + 127 || p == 64 * 300 + 128 || p == pixels - 1;
            ASSERT_EQ(scored[p], nodata ? -9999.0 : double(float(expected[p]))) << p;
            ASSERT_EQ(codes[p], nodata ? 255.0 : double(classify(defaultRiskClasses(), double(float(expected[p]))))) << p;
          }
          continue;
        }
        EXPECT_EQ(scored, reference) << "direct " << direct << ", threads " << threads;
        EXPECT_EQ(summary.meanProbability, referenceSummary.meanProbability);
        for (std::size_t k = 0; k < summary.classes.size(); ++k) {
          EXPECT_EQ(summary.classes[k].pixels, referenceSummary.classes[k].pixels);
          EXPECT_EQ(summary.classes[k].areaKm2, referenceSummary.classes[k].areaKm2);
        }
      }
    }
  }
}

TEST_F(RasterScorerTest, AMissingBandNamesWhatTheModelNeeds) {
  const RasterStack stack = RasterStack::open(m_input, {"a", "b", "c"});
  ScoreOptions options;
  options.output = m_folder / "never.tif";
  Progress progress;
  try {
    scoreRaster(*m_model, stack, options, progress);
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("no band for x1, x2"), std::string::npos) << message;
    EXPECT_NE(message.find("The stack has: a, b, c"), std::string::npos) << message;
  }
  EXPECT_FALSE(fs::exists(options.output));
  EXPECT_THROW(RasterStack::open(m_input, {"a", "b"}), InputError);
  EXPECT_THROW(RasterStack::open(m_input, {"a", "a", "b"}), InputError);
  EXPECT_THROW(RasterStack::open(m_folder / "missing.tif"), InputError);
}

TEST(RiskClassesTest, PresetsAndParsing) {
  EXPECT_EQ(defaultRiskClasses().size(), 4u);
  EXPECT_EQ(classify(defaultRiskClasses(), 0.25), 1u);   // bounds are exclusive
  EXPECT_EQ(classify(defaultRiskClasses(), 0.2499), 0u);
  EXPECT_EQ(classify(defaultRiskClasses(), 1.0), 3u);
  const auto inpe = inpeRiskClasses();
  ASSERT_EQ(inpe.size(), 5u);
  EXPECT_EQ(inpe[4].name, "crítico");
  EXPECT_EQ(classify(inpe, 0.96), 4u);
  const auto bounds = parseRiskClasses("0.2,0.4");
  ASSERT_EQ(bounds.size(), 3u);
  EXPECT_EQ(bounds[2].name, "class_3");
  const auto named = parseRiskClasses("low:0.3,medium:0.6,high");
  ASSERT_EQ(named.size(), 3u);
  EXPECT_EQ(named[1].upper, 0.6);
  EXPECT_EQ(named[2].name, "high");
  EXPECT_THROW(parseRiskClasses("0.5,0.4"), InputError);
  EXPECT_THROW(parseRiskClasses("0.5,abc"), InputError);
  EXPECT_THROW(parseRiskClasses("1.5"), InputError);
}

TEST(RiskClassesTest, ARunOfScoresBecomesProbabilitiesClassesAndCounts) {
  const ClassBounds bounds(defaultRiskClasses());  // 0.25, 0.5, 0.75
  std::vector<double> scores = {-0.1, 0.0, 0.25, 0.2499999, 0.5, 0.74, 0.75, 1.2, 0.3, 0.9};
  const std::vector<std::uint8_t> valid = {1, 1, 1, 1, 1, 1, 1, 1, 0, 1};
  std::vector<float> probability(scores.size());
  std::vector<std::uint8_t> classes(scores.size());
  std::vector<std::size_t> counts = {100, 0, 0, 0};  // counts add to what is there
  const RunTally tally = classifyRun(bounds, scores, valid.data(), -9999.0f, 255,
                                     probability.data(), classes.data(), counts);
  EXPECT_EQ(probability, (std::vector<float>{0.0f, 0.0f, 0.25f, float(0.2499999), 0.5f, 0.74f,
                                             0.75f, 1.0f, -9999.0f, 0.9f}));
  EXPECT_EQ(classes, (std::vector<std::uint8_t>{0, 0, 1, 0, 2, 2, 3, 3, 255, 3}));
  EXPECT_EQ(counts, (std::vector<std::size_t>{103, 1, 2, 3}));
  EXPECT_EQ(tally.valid, 9u);
  EXPECT_NEAR(tally.sum, 0.25 + 0.2499999 + 0.5 + 0.74 + 0.75 + 1.0 + 0.9, 1e-15);
  // A NaN score lands in the last class, as classify() puts it.
  std::vector<double> nan = {std::nan("")};
  const std::uint8_t one = 1;
  float p = 0;
  std::uint8_t code = 0;
  std::vector<std::size_t> nanCounts(4, 0);
  classifyRun(bounds, nan, &one, -9999.0f, 255, &p, &code, nanCounts);
  EXPECT_EQ(code, 3);
  EXPECT_EQ(code, classify(defaultRiskClasses(), std::nan("")));
}

}  // namespace
}  // namespace geih::geo
