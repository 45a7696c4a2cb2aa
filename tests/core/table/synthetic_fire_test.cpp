#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "core/table/synthetic_fire.h"

namespace geih::table {
namespace {

Table fireTable(std::size_t rows, std::uint64_t seed = 42) {
  SyntheticFireOptions options;
  options.rows = rows;
  options.seed = seed;
  return makeSyntheticFireTable(options);
}

bool sameValues(const Table& a, const Table& b) {
  if (a.columnNames() != b.columnNames() || a.rowCount() != b.rowCount()) return false;
  for (std::size_t c = 0; c < a.columnCount(); ++c) {
    for (std::size_t row = 0; row < a.rowCount(); ++row) {
      if (a.column(c).textAt(row) != b.column(c).textAt(row)) return false;
    }
  }
  return true;
}

TEST(SyntheticFireTest, DeterministicBySeed) {
  EXPECT_TRUE(sameValues(fireTable(3000), fireTable(3000)));
  EXPECT_FALSE(sameValues(fireTable(3000), fireTable(3000, 43)));
}

TEST(SyntheticFireTest, ColumnsTypesAndRanges) {
  const Table t = fireTable(20000);
  const std::vector<std::string> expected = {"temperature_c",
                                             "relative_humidity",
                                             "wind_speed_ms",
                                             "precipitation_mm",
                                             "days_without_rain",
                                             "ndvi",
                                             "slope_deg",
                                             "elevation_m",
                                             "distance_to_road_km",
                                             "population_density",
                                             "land_cover",
                                             "x",
                                             "y",
                                             "day_of_year",
                                             "fire"};
  EXPECT_EQ(t.columnNames(), expected);
  ASSERT_EQ(t.rowCount(), 20000u);
  EXPECT_EQ(t.column("land_cover").type(), ColumnType::Categorical);
  EXPECT_EQ(t.column("land_cover").dictionary(),
            (std::vector<std::string>{"forest", "savanna", "grassland", "cropland", "urban"}));
  EXPECT_EQ(t.column("fire").type(), ColumnType::Numeric);
  for (const Column& column : t.columns()) EXPECT_EQ(column.missingCount(), 0u) << column.name();
  for (double v : t.column("fire").numbers()) ASSERT_TRUE(v == 0.0 || v == 1.0);
  for (const char* name : {"x", "y"}) {
    for (double v : t.column(name).numbers()) ASSERT_TRUE(v >= 0 && v <= 200) << name;
  }
  for (double v : t.column("day_of_year").numbers()) ASSERT_TRUE(v >= 1 && v <= 365);
  for (double v : t.column("relative_humidity").numbers()) ASSERT_TRUE(v >= 0 && v <= 100);
  // Every coefficient and land cover offset of the risk function names generated data.
  for (const auto& [name, coefficient] : fireRiskFunction().coefficients) {
    EXPECT_TRUE(t.hasColumn(name)) << name;
  }
  for (const auto& [cover, offset] : fireRiskFunction().landCoverOffsets) {
    const auto& dictionary = t.column("land_cover").dictionary();
    EXPECT_NE(std::find(dictionary.begin(), dictionary.end(), cover), dictionary.end()) << cover;
  }
}

TEST(SyntheticFireTest, RealisticWeatherAndLabelsFollowTheRiskFunction) {
  const Table t = fireTable(20000);
  const auto fire = t.column("fire").numbers();
  double positives = 0;
  for (double v : fire) positives += v;
  EXPECT_GT(positives / 20000, 0.10);
  EXPECT_LT(positives / 20000, 0.20);

  std::size_t dryDays = 0;
  for (double v : t.column("precipitation_mm").numbers()) dryDays += v == 0.0;
  EXPECT_GT(double(dryDays) / 20000, 0.6);  // most days are dry, rainy days a minority
  EXPECT_LT(double(dryDays) / 20000, 0.85);

  // Fire is more frequent on hot days: the label follows the function, not noise.
  double hot = 0, hotFires = 0, cool = 0, coolFires = 0;
  const auto temperature = t.column("temperature_c").numbers();
  for (std::size_t i = 0; i < t.rowCount(); ++i) {
    (temperature[i] > 28 ? hot : cool) += 1;
    (temperature[i] > 28 ? hotFires : coolFires) += fire[i];
  }
  EXPECT_GT(hotFires / hot, 2 * coolFires / cool);

  // Vegetation is greener in forest than in town.
  double forest = 0, forestCount = 0, urban = 0, urbanCount = 0;
  const Column& cover = t.column("land_cover");
  const auto ndvi = t.column("ndvi").numbers();
  for (std::size_t i = 0; i < t.rowCount(); ++i) {
    if (cover.textAt(i) == "forest") forest += ndvi[i], forestCount += 1;
    if (cover.textAt(i) == "urban") urban += ndvi[i], urbanCount += 1;
  }
  ASSERT_GT(urbanCount, 0);
  EXPECT_GT(forest / forestCount, urban / urbanCount + 0.3);
}

TEST(SyntheticFireTest, MissingShareBlanksOnlyWeatherCells) {
  SyntheticFireOptions options;
  options.rows = 5000;
  options.missingShare = 0.1;
  const Table gaps = makeSyntheticFireTable(options);
  for (const char* name : {"temperature_c", "relative_humidity", "wind_speed_ms",
                           "precipitation_mm", "days_without_rain"}) {
    EXPECT_NEAR(double(gaps.column(name).missingCount()) / 5000, 0.1, 0.02) << name;
  }
  for (const char* name : {"ndvi", "land_cover", "fire", "x"}) {
    EXPECT_EQ(gaps.column(name).missingCount(), 0u) << name;
  }
}

TEST(SyntheticFireTest, TemperatureShiftAddsToEveryTemperature) {
  SyntheticFireOptions options;
  options.rows = 2000;
  const Table base = makeSyntheticFireTable(options);
  options.temperatureShift = 3.0;
  const Table warm = makeSyntheticFireTable(options);
  const auto a = base.column("temperature_c").numbers();
  const auto b = warm.column("temperature_c").numbers();
  for (std::size_t i = 0; i < a.size(); ++i) ASSERT_NEAR(b[i] - a[i], 3.0, 1e-9);
  const auto xa = base.column("x").numbers();
  const auto xb = warm.column("x").numbers();
  EXPECT_TRUE(std::equal(xa.begin(), xa.end(), xb.begin()));
}

}  // namespace
}  // namespace geih::table
