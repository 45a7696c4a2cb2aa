// INPE's Risco de Fogo and multi-date aggregates. Expected values are computed by hand from the
// method's formulas (core/geo/fire_risk_index.h), e.g. 10 mm yesterday on dense forest at 60 % RH
// and 30 °C: PSE = 105·e^−1.4 = 25.8926812, RB = 0.9·(1 + sin(1.5·PSE − 90)°)/2 = 0.0994900,
// FU = 1.3 − 0.36 = 0.94, FT = 0.4 + 0.6 = 1.0, RF = 0.0935206 (mínimo).
#include <gtest/gtest.h>

#include <unistd.h>

#include <cmath>
#include <filesystem>

#include "core/common/error.h"
#include "core/geo/fire_risk_index.h"
#include "core/geo/raster_evaluation.h"
#include "core/geo/raster_stack.h"
#include "core/geo/temporal_aggregates.h"
#include "tests/support/temp_folder.h"

namespace geih::geo {
namespace {

namespace fs = std::filesystem;

TEST(FireRiskFormulas, DaysOfDrynessWeighsRainByAge) {
  std::vector<float> days(150, 0.0f);
  EXPECT_DOUBLE_EQ(daysOfDryness(days.data(), 120), 105.0);
  days[0] = 10;  // yesterday: a = 0.14
  EXPECT_NEAR(daysOfDryness(days.data(), 120), 25.89268121386868, 1e-9);
  EXPECT_NEAR(daysOfDryness(days.data(), 3), 25.89268121386868, 1e-9);  // short history, same rain
  days[0] = 0;
  days[6] = 20;  // 7 days ago, window 6–10: a = 0.01
  EXPECT_NEAR(daysOfDryness(days.data(), 120), 105.0 * std::exp(-0.2), 1e-9);
  days[6] = 0;
  days[99] = 50;  // 100 days ago, window 91–120: a = 0.0007
  EXPECT_NEAR(daysOfDryness(days.data(), 120), 105.0 * std::exp(-0.035), 1e-9);
  days[99] = 0;
  days[140] = 500;  // beyond 120 days: does not count
  EXPECT_DOUBLE_EQ(daysOfDryness(days.data(), 150), 105.0);
  days[3] = std::nanf("");
  EXPECT_TRUE(std::isnan(daysOfDryness(days.data(), 120)));
  int total = 0;
  for (int length : dryDayWindowLengths()) total += length;
  EXPECT_EQ(total, 120);
}

TEST(FireRiskFormulas, BasicAndObservedRisk) {
  EXPECT_DOUBLE_EQ(basicFireRisk(30, 3.0), 0.45);    // 90°: sin 0
  EXPECT_DOUBLE_EQ(basicFireRisk(105, 6.0), 0.9);    // 630° capped at the 180° crest
  EXPECT_NEAR(basicFireRisk(0, 6.0), 0.0, 1e-15);    // rain every day: no risk
  EXPECT_NEAR(basicFireRisk(25.89268121386868, 1.5), 0.09949003654681508, 1e-12);
  EXPECT_DOUBLE_EQ(observedFireRisk(0.45, 50, 30), 0.45);  // FU = FT = 1
  EXPECT_NEAR(observedFireRisk(0.09949003654681508, 60, 30), 0.09352063435400619, 1e-12);
  EXPECT_DOUBLE_EQ(observedFireRisk(0.9, 30, 35), 1.0);  // 0.9·1.12·1.1 = 1.1088, clipped
  EXPECT_DOUBLE_EQ(observedFireRisk(0.45, 100, 30), 0.45 * 0.7);
}

TEST(FireRiskFormulas, FlammabilityTables) {
  EXPECT_EQ(inpeFlammability().size(), 7u);
  EXPECT_DOUBLE_EQ(inpeFlammability().at(7), 6.0);
  const auto custom = parseFlammability("3=2.0,15=6");
  EXPECT_DOUBLE_EQ(custom.at(15), 6.0);
  EXPECT_THROW(parseFlammability("3:2"), InputError);
  EXPECT_THROW(parseFlammability("x=2"), InputError);
  EXPECT_THROW(parseFlammability("3=-1"), InputError);
  try {
    parseFlammability("4=2.4,5=abc");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("5=abc"), std::string::npos);
  }
}

class FireRiskRasterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    m_grid.width = 3;
    m_grid.height = 2;
    m_grid.geoTransform = {500000, 1000, 0, 9100000, 0, -1000};
    m_grid.projectionWkt = wktForEpsg(31985);
  }

  fs::path single(const std::string& name, const std::vector<double>& values) {
    const fs::path path = m_folder / (name + ".tif");
    writeGeoTiff(path, m_grid, {name}, {values}, -9999.0);
    return path;
  }

  testing::TempFolder m_folder{"fire_index"};
  Grid m_grid;
};

TEST_F(FireRiskRasterTest, PixelsEqualTheFormulasAndClassesFollowInpe) {
  // 130 days of precipitation (the oldest 10 must be ignored), oldest band first.
  // Pixels (row-major): 0 dry 120 days; 1 10 mm yesterday; 2 20 mm 7 days ago;
  // 3 nodata on one day; 4 unknown vegetation code; 5 dry, vegetation nodata.
  const int days = 130;
  std::vector<std::string> names;
  std::vector<std::vector<double>> bands;
  for (int b = 0; b < days; ++b) {
    const int age = days - b;  // the newest band is 1 day before
    names.push_back("day_" + std::to_string(b));
    std::vector<double> v(6, 0.0);
    v[0] = age > 120 ? 80.0 : 0.0;  // heavy rain, but more than 120 days ago
    if (age == 1) v[1] = 10;
    if (age == 7) v[2] = 20;
    if (age == 40) v[3] = -9999;
    bands.push_back(v);
  }
  const fs::path rainPath = m_folder / "rain.tif";
  writeGeoTiff(rainPath, m_grid, names, bands, -9999.0);
  const RasterStack rain = RasterStack::open(rainPath);
  const RasterStack humidity = RasterStack::open(single("rh", {30, 60, 50, 30, 30, 30}));
  const RasterStack temperature = RasterStack::open(single("tmax", {35, 30, 30, 35, 35, 35}));
  const RasterStack vegetation = RasterStack::open(single("veg", {7, 1, 3, 7, 9, -9999}));

  FireRiskInputs inputs{&rain, &humidity, &temperature, &vegetation};
  const FireRiskSummary summary = writeFireRiskIndex(inputs, m_folder / "rf.tif", Progress::none());
  EXPECT_EQ(summary.historyDays, 120);
  EXPECT_EQ(summary.validPixels, 3u);
  EXPECT_EQ(summary.unknownVegetationPixels, 1u);

  const RasterStack rf = RasterStack::open(summary.riskPath);
  ASSERT_EQ(rf.bandNames(), (std::vector<std::string>{"fire_risk", "dryness_days"}));
  std::vector<double> risk(6), dryness(6);
  rf.readRows(0, 0, 2, risk.data());
  rf.readRows(1, 0, 2, dryness.data());
  EXPECT_FLOAT_EQ(float(dryness[0]), 105.0f);
  EXPECT_FLOAT_EQ(float(risk[0]), 1.0f);  // 0.9·1.12·1.1 clipped
  EXPECT_FLOAT_EQ(float(dryness[1]), 25.892681f);
  EXPECT_FLOAT_EQ(float(risk[1]), 0.093520634f);
  const double pse2 = 105.0 * std::exp(-0.2);
  const double rb2 = 0.9 * (1 + std::sin((2.0 * pse2 - 90) * M_PI / 180)) / 2;
  EXPECT_FLOAT_EQ(float(risk[2]), float(rb2 * 1.0 * 1.0));
  for (int p : {3, 4, 5}) EXPECT_EQ(risk[std::size_t(p)], -9999.0) << "pixel " << p;
  EXPECT_EQ(rf.grid().geoTransform, m_grid.geoTransform);
  EXPECT_TRUE(sameCrs(rf.grid().projectionWkt, m_grid.projectionWkt));

  const RasterStack classes = RasterStack::open(summary.classesPath);
  std::vector<double> codes(6);
  classes.readRows(0, 0, 2, codes.data());
  EXPECT_EQ(codes[0], 4.0);  // crítico
  EXPECT_EQ(codes[1], 0.0);  // mínimo
  EXPECT_EQ(codes[3], 255.0);
  EXPECT_EQ(classes.categoryNames(0).at(4), "crítico");
  EXPECT_EQ(summary.classPixels[4], 1u);
  EXPECT_NEAR(summary.classAreaKm2[0], 1.0, 1e-9);  // 1 km pixels in UTM
}

TEST_F(FireRiskRasterTest, OtherGridRefusedAndNothingWritten) {
  const RasterStack rain = RasterStack::open(single("rain", {0, 0, 0, 0, 0, 0}));
  const RasterStack humidity = RasterStack::open(single("rh", {30, 30, 30, 30, 30, 30}));
  const RasterStack temperature = RasterStack::open(single("tmax", {30, 30, 30, 30, 30, 30}));
  m_grid.geoTransform[0] += 5000;
  const RasterStack vegetation = RasterStack::open(single("veg", {7, 7, 7, 7, 7, 7}));
  FireRiskInputs inputs{&rain, &humidity, &temperature, &vegetation};
  try {
    writeFireRiskIndex(inputs, m_folder / "rf.tif", Progress::none());
    FAIL() << "expected a grid error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("veg.tif"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(m_folder / "rf.tif"));
  EXPECT_FALSE(fs::exists(m_folder / "rf_classes.tif"));
}

TEST_F(FireRiskRasterTest, TemporalAggregatesPerPixel) {
  // Five dates, oldest first; pixel 2 has nodata on date 1; pixel 5 is nodata on every date.
  const std::vector<std::vector<double>> dates = {
      {0, 5, 2, 0, 3, -9999},
      {0, 0, -9999, 0, 0, -9999},
      {4, 0, 0, 0, 0.5, -9999},
      {0, 0, 1, 0, 0, -9999},
      {0, 0, 0, 2, 0, -9999},
  };
  const fs::path path = m_folder / "series.tif";
  writeGeoTiff(path, m_grid, {"d0", "d1", "d2", "d3", "d4"}, dates, -9999.0);
  const RasterStack series = RasterStack::open(path);
  TemporalOptions options;
  options.stats = {TemporalStat::Mean, TemporalStat::Min, TemporalStat::Max, TemporalStat::Sum,
                   TemporalStat::DryDays, TemporalStat::DaysSinceRain};
  options.prefix = "precip";
  options.rainThreshold = 1.0;
  const TemporalSummary summary =
      writeTemporalAggregates(series, options, m_folder / "agg.tif", Progress::none());
  EXPECT_EQ(summary.dates, 5);
  EXPECT_EQ(summary.validPixels, 5u);
  EXPECT_EQ(summary.bandNames.front(), "precip_mean");
  EXPECT_EQ(summary.bandNames.back(), "precip_days_since_rain");
  const RasterStack out = RasterStack::open(summary.path);
  std::vector<std::vector<double>> got(6, std::vector<double>(6));
  for (int b = 0; b < 6; ++b) out.readRows(b, 0, 2, got[std::size_t(b)].data());
  // mean
  EXPECT_FLOAT_EQ(float(got[0][0]), 0.8f);
  EXPECT_FLOAT_EQ(float(got[0][2]), 0.75f);  // (2 + 0 + 1 + 0) / 4 valid dates
  EXPECT_FLOAT_EQ(float(got[0][4]), 0.7f);
  // min, max, sum
  EXPECT_EQ(got[1][4], 0.0);
  EXPECT_EQ(got[2][4], 3.0);
  EXPECT_FLOAT_EQ(float(got[3][4]), 3.5f);
  // dry days (< 1 mm): pixel 0 four, pixel 2 two (2 and 1 are rainy), pixel 4 four (0.5 is dry)
  EXPECT_EQ(got[4][0], 4.0);
  EXPECT_EQ(got[4][2], 2.0);
  EXPECT_EQ(got[4][4], 4.0);
  // days since rain: pixel 0 rained on date 2 → 2; pixel 1 on date 0 → 4; pixel 2 on date 3 → 1;
  // pixel 3 on the newest date → 0
  EXPECT_EQ(got[5][0], 2.0);
  EXPECT_EQ(got[5][1], 4.0);
  EXPECT_EQ(got[5][2], 1.0);
  EXPECT_EQ(got[5][3], 0.0);
  for (int b = 0; b < 6; ++b) EXPECT_EQ(got[std::size_t(b)][5], -9999.0);

  // Only the newest three dates: pixel 0 never rained → the window length.
  options.lastDates = 3;
  options.stats = {TemporalStat::DaysSinceRain, TemporalStat::Sum};
  options.prefix.clear();
  const TemporalSummary last =
      writeTemporalAggregates(series, options, m_folder / "last3.tif", Progress::none());
  EXPECT_EQ(last.bandNames, (std::vector<std::string>{"days_since_rain", "sum"}));
  const RasterStack lastOut = RasterStack::open(last.path);
  std::vector<double> since(6), sum(6);
  lastOut.readRows(0, 0, 2, since.data());
  lastOut.readRows(1, 0, 2, sum.data());
  EXPECT_EQ(since[0], 2.0);  // date 2 (4 mm) is the oldest of the three
  EXPECT_EQ(since[1], 3.0);
  EXPECT_FLOAT_EQ(float(sum[4]), 0.5f);

  options.lastDates = 6;
  EXPECT_THROW(writeTemporalAggregates(series, options, m_folder / "bad.tif", Progress::none()), InputError);
  EXPECT_FALSE(fs::exists(m_folder / "bad.tif"));
  EXPECT_THROW(parseTemporalStat("median"), InputError);
  EXPECT_EQ(parseTemporalStat("dry-days"), TemporalStat::DryDays);
}

TEST_F(FireRiskRasterTest, ScoreRasterRanksLabelPixels) {
  // scikit-learn's example (AUC 0.75, AP 0.8333) plus one pixel without a score, one without label.
  const RasterStack scores = RasterStack::open(single("score", {0.1, 0.4, 0.35, 0.8, -9999, 0.5}));
  const RasterStack labels = RasterStack::open(single("label", {0, 0, 1, 1, 1, -9999}));
  const RasterEvaluation e = evaluateScoreRaster(scores, 0, labels, 0, Progress::none());
  EXPECT_EQ(e.pixels, 4u);
  EXPECT_EQ(e.positives, 2u);
  EXPECT_DOUBLE_EQ(e.scoreMin, 0.1f);
  EXPECT_DOUBLE_EQ(e.scoreMax, 0.8f);
  EXPECT_NEAR(e.rocAuc, 0.75, 1e-12);
  EXPECT_NEAR(e.averagePrecision, 0.8333333333333333, 1e-12);
  EXPECT_THROW(evaluateScoreRaster(scores, 1, labels, 0, Progress::none()), InputError);
  const RasterStack empty = RasterStack::open(single("none", {-9999, -9999, -9999, -9999, -9999, -9999}));
  EXPECT_THROW(evaluateScoreRaster(empty, 0, labels, 0, Progress::none()), InputError);
}

}  // namespace
}  // namespace geih::geo
