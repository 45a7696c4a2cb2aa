// Drift maps: a 128 x 128 pair of rasters in 2 x 2 tiles of 64 px where only the top-right tile of
// band "temperature" changed (+3 °C). Expected per-tile statistics are those of drift/psi.h and a
// hand-checked KS D on the same tile values (the tile is a plain sample: the map must give exactly
// what the tested statistics give on it); unchanged tiles have PSI 0 and D 0.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "core/common/error.h"
#include "core/common/rng.h"
#include "core/drift/psi.h"
#include "core/geo/raster_drift.h"
#include "core/geo/raster_stack.h"
#include "tests/support/temp_folder.h"

namespace geih::geo {
namespace {

namespace fs = std::filesystem;

class RasterDriftTest : public ::testing::Test {
 protected:
  void SetUp() override {
    m_grid.width = 128;
    m_grid.height = 128;
    m_grid.geoTransform = {290000, 30, 0, 9110000, 0, -30};
    m_grid.projectionWkt = wktForEpsg(31985);
    Rng rng(5);
    m_temperature.resize(128 * 128);
    m_humidity.resize(128 * 128);
    for (std::size_t p = 0; p < m_temperature.size(); ++p) {
      // Whole degrees / percent, so float storage keeps the values exactly.
      m_temperature[p] = std::round(rng.normal(28, 3));
      m_humidity[p] = std::round(rng.uniform(20, 90));
    }
  }

  static std::vector<double> tileValues(const std::vector<double>& band, int tx, int ty) {
    std::vector<double> out;
    for (int r = ty * 64; r < ty * 64 + 64; ++r) {
      for (int c = tx * 64; c < tx * 64 + 64; ++c) out.push_back(band[std::size_t(r) * 128 + std::size_t(c)]);
    }
    return out;
  }

  testing::TempFolder m_folder{"raster_drift"};
  Grid m_grid;
  std::vector<double> m_temperature, m_humidity;
};

TEST_F(RasterDriftTest, OnlyTheChangedTileDrifts) {
  std::vector<double> warmer = m_temperature;
  for (int r = 0; r < 64; ++r) {
    for (int c = 64; c < 128; ++c) warmer[std::size_t(r) * 128 + std::size_t(c)] += 3;
  }
  writeGeoTiff(m_folder / "before.tif", m_grid, {"temperature", "humidity"}, {m_temperature, m_humidity});
  // The current raster names its bands in another order and has one more: matched by name.
  writeGeoTiff(m_folder / "after.tif", m_grid, {"humidity", "wind", "temperature"},
               {m_humidity, m_humidity, warmer});
  const RasterStack before = RasterStack::open(m_folder / "before.tif");
  const RasterStack after = RasterStack::open(m_folder / "after.tif");

  const RasterDriftSummary psi = writeRasterDriftMap(before, after, {}, m_folder / "psi.tif", Progress::none());
  EXPECT_EQ(psi.tilesX, 2);
  EXPECT_EQ(psi.tilesY, 2);
  EXPECT_EQ(psi.validTiles, 4u);
  ASSERT_EQ(psi.features.size(), 2u);
  EXPECT_EQ(psi.features[0].name, "temperature");
  EXPECT_EQ(psi.features[0].driftedTiles, 1u);
  EXPECT_EQ(psi.features[1].driftedTiles, 0u);
  EXPECT_DOUBLE_EQ(psi.meanShareDrifted, 0.5 / 4);

  const RasterStack map = RasterStack::open(psi.path);
  EXPECT_EQ(map.bandNames(), (std::vector<std::string>{"temperature_psi", "humidity_psi", "share_drifted"}));
  EXPECT_EQ(map.grid().width, 2);
  EXPECT_DOUBLE_EQ(map.grid().geoTransform[1], 30.0 * 64);
  EXPECT_DOUBLE_EQ(map.grid().geoTransform[0], 290000.0);
  EXPECT_TRUE(sameCrs(map.grid().projectionWkt, m_grid.projectionWkt));
  std::vector<double> temperaturePsi(4), share(4), humidityPsi(4);
  map.readRows(0, 0, 2, temperaturePsi.data());
  map.readRows(1, 0, 2, humidityPsi.data());
  map.readRows(2, 0, 2, share.data());
  const double expected =
      drift::populationStabilityIndex(tileValues(m_temperature, 1, 0), tileValues(warmer, 1, 0)).psi;
  EXPECT_GT(expected, 0.25);
  EXPECT_FLOAT_EQ(float(temperaturePsi[1]), float(expected));
  for (int t : {0, 2, 3}) EXPECT_EQ(temperaturePsi[std::size_t(t)], 0.0);
  for (int t = 0; t < 4; ++t) EXPECT_EQ(humidityPsi[std::size_t(t)], 0.0);
  EXPECT_EQ(share, (std::vector<double>{0, 0.5, 0, 0}));

  RasterDriftOptions ks;
  ks.test = TileDriftTest::Ks;
  ks.features = {"temperature"};
  const RasterDriftSummary d = writeRasterDriftMap(before, after, ks, m_folder / "ks.tif", Progress::none());
  const RasterStack ksMap = RasterStack::open(d.path);
  EXPECT_EQ(ksMap.bandNames(), (std::vector<std::string>{"temperature_ks", "share_drifted"}));
  std::vector<double> ksValues(4);
  ksMap.readRows(0, 0, 2, ksValues.data());
  auto a = tileValues(m_temperature, 1, 0);
  auto b = tileValues(warmer, 1, 0);
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  EXPECT_FLOAT_EQ(float(ksValues[1]), float(ksStatisticSorted(a, b)));
  EXPECT_GT(ksValues[1], 0.3);
  EXPECT_EQ(ksValues[0], 0.0);
}

TEST(KsStatistic, HandComputed) {
  // F_a jumps at 1,2,3 by 1/3; F_b at 2,4 by 1/2: |F_a − F_b| is 1/3 at 1, 1/6 at 2, 1/2 at 3, 0 at 4.
  EXPECT_DOUBLE_EQ(ksStatisticSorted({1, 2, 3}, {2, 4}), 0.5);
  EXPECT_DOUBLE_EQ(ksStatisticSorted({1, 2, 3}, {1, 2, 3}), 0.0);
  EXPECT_DOUBLE_EQ(ksStatisticSorted({1, 1}, {5, 6}), 1.0);
}

TEST_F(RasterDriftTest, NodataTilesAndBadInput) {
  std::vector<double> holes = m_temperature;
  for (int r = 64; r < 128; ++r) {
    for (int c = 0; c < 64; ++c) holes[std::size_t(r) * 128 + std::size_t(c)] = -9999;
  }
  writeGeoTiff(m_folder / "before.tif", m_grid, {"temperature"}, {m_temperature}, -9999.0);
  writeGeoTiff(m_folder / "after.tif", m_grid, {"temperature"}, {holes}, -9999.0);
  const RasterStack before = RasterStack::open(m_folder / "before.tif");
  const RasterStack after = RasterStack::open(m_folder / "after.tif");
  const RasterDriftSummary s = writeRasterDriftMap(before, after, {}, m_folder / "map.tif", Progress::none());
  EXPECT_EQ(s.validTiles, 3u);
  std::vector<double> share(4);
  RasterStack::open(s.path).readRows(1, 0, 2, share.data());
  EXPECT_EQ(share[2], -9999.0);

  RasterDriftOptions missing;
  missing.features = {"ndvi"};
  try {
    writeRasterDriftMap(before, after, missing, m_folder / "bad.tif", Progress::none());
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("'ndvi'"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(m_folder / "bad.tif"));
  Grid other = m_grid;
  other.geoTransform[0] += 30;
  writeGeoTiff(m_folder / "shifted.tif", other, {"temperature"}, {m_temperature});
  EXPECT_THROW(writeRasterDriftMap(before, RasterStack::open(m_folder / "shifted.tif"), {}, m_folder / "bad.tif",
                                   Progress::none()),
               InputError);
  RasterDriftOptions tiny;
  tiny.tileSize = 2;
  EXPECT_THROW(writeRasterDriftMap(before, after, tiny, m_folder / "bad.tif", Progress::none()), InputError);
}

}  // namespace
}  // namespace geih::geo
