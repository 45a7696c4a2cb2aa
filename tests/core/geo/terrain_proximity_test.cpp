// Terrain from a DEM and distance to vector features, checked against geometry worked out by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "core/common/error.h"
#include "core/geo/proximity.h"
#include "core/geo/raster_stack.h"
#include "core/geo/terrain.h"
#include "tests/support/temp_folder.h"

namespace geih::geo {
namespace {

namespace fs = std::filesystem;

class TerrainProximityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    m_grid.width = 10;
    m_grid.height = 10;
    m_grid.geoTransform = {0, 10, 0, 100, 0, -10};
    m_grid.projectionWkt = wktForEpsg(31985);
  }

  static double pixel(const RasterStack& stack, int band, int row, int col) {
    std::vector<double> values(std::size_t(stack.grid().width));
    stack.readRows(band, row, 1, values.data());
    return values[std::size_t(col)];
  }

  testing::TempFolder m_folder{"terrain"};
  Grid m_grid;
};

TEST_F(TerrainProximityTest, PlaneRisingEastwardsFacesWest) {
  // z = 0.5 x: slope atan(0.5) = 26.565°; downhill is west, so aspect 270°.
  std::vector<double> z(100);
  for (int r = 0; r < 10; ++r) {
    for (int c = 0; c < 10; ++c) z[std::size_t(r * 10 + c)] = 0.5 * (10.0 * c + 5);
  }
  const fs::path dem = m_folder / "dem.tif";
  writeGeoTiff(dem, m_grid, {"z"}, {z});
  const fs::path output = m_folder / "terrain.tif";
  writeTerrainRaster(dem, output, Progress::none());
  const RasterStack terrain = RasterStack::open(output);
  ASSERT_EQ(terrain.bandNames(),
            (std::vector<std::string>{"elevation", "slope", "aspect", "northness", "eastness"}));
  EXPECT_EQ(terrain.grid().projectionWkt, m_grid.projectionWkt);
  for (int row : {1, 4, 8}) {
    for (int col : {1, 5, 8}) {
      EXPECT_NEAR(pixel(terrain, 1, row, col), std::atan(0.5) * 180 / M_PI, 1e-4) << row << "," << col;
      EXPECT_NEAR(pixel(terrain, 2, row, col), 270.0, 1e-4);
      EXPECT_NEAR(pixel(terrain, 3, row, col), 0.0, 1e-6);
      EXPECT_NEAR(pixel(terrain, 4, row, col), -1.0, 1e-6);
    }
  }
  EXPECT_DOUBLE_EQ(pixel(terrain, 0, 3, 7), 37.5);
  // Edges are estimated from the pixels there are (-compute_edges), not left empty.
  EXPECT_GT(pixel(terrain, 1, 0, 0), 0.0);
  EXPECT_NEAR(pixel(terrain, 2, 0, 0), 270.0, 1e-4);
}

TEST_F(TerrainProximityTest, FlatGroundHasNoAspectAndNodataStays) {
  std::vector<double> z(100, 12.0);
  z[55] = -1;  // nodata
  const fs::path dem = m_folder / "flat.tif";
  writeGeoTiff(dem, m_grid, {"z"}, {z}, -1.0);
  const fs::path output = m_folder / "terrain.tif";
  writeTerrainRaster(dem, output, Progress::none());
  const RasterStack terrain = RasterStack::open(output);
  EXPECT_DOUBLE_EQ(pixel(terrain, 1, 1, 1), 0.0);
  EXPECT_DOUBLE_EQ(pixel(terrain, 2, 1, 1), -1.0);
  EXPECT_DOUBLE_EQ(pixel(terrain, 3, 1, 1), 0.0);
  EXPECT_DOUBLE_EQ(pixel(terrain, 0, 5, 5), -9999.0);
}

TEST_F(TerrainProximityTest, RealOlindaDemKeepsItsGrid) {
  const fs::path dem = fs::path(GEIH_TEST_DATA_DIR) / "olinda_dem_utm25s.tif";
  const fs::path output = m_folder / "olinda_terrain.tif";
  writeTerrainRaster(dem, output, Progress::none());
  const RasterStack input = RasterStack::open(dem);
  const RasterStack terrain = RasterStack::open(output);
  EXPECT_EQ(terrain.grid().width, 111);
  EXPECT_EQ(terrain.grid().height, 111);
  for (std::size_t i = 0; i < 6; ++i) {
    EXPECT_DOUBLE_EQ(terrain.grid().geoTransform[i], input.grid().geoTransform[i]);
  }
  EXPECT_EQ(terrain.grid().projectionWkt, input.grid().projectionWkt);
  // Slopes are angles; northness² + eastness² = 1 where not flat.
  for (int row = 0; row < 111; row += 10) {
    const double slope = pixel(terrain, 1, row, 50);
    EXPECT_GE(slope, 0.0);
    EXPECT_LT(slope, 90.0);
    if (pixel(terrain, 2, row, 50) >= 0) {
      EXPECT_NEAR(std::hypot(pixel(terrain, 3, row, 50), pixel(terrain, 4, row, 50)), 1.0, 1e-6);
    }
  }
  EXPECT_THROW(writeTerrainRaster(m_folder / "missing.tif", m_folder / "t.tif", Progress::none()),
               InputError);
}

TEST_F(TerrainProximityTest, DistanceToACsvPointInMetres) {
  const fs::path csv = m_folder / "hotspots.csv";
  std::ofstream(csv) << "id,x,y\n1,25,75\n";  // the centre of row 2, column 2
  const fs::path output = m_folder / "dist.tif";
  const ProximitySummary summary =
      writeProximityRaster({csv, "", ""}, m_grid, output, 0, Progress::none());
  EXPECT_EQ(summary.featurePixels, 1u);
  const RasterStack distance = RasterStack::open(output);
  EXPECT_EQ(distance.bandNames()[0], "dist_hotspots");
  EXPECT_DOUBLE_EQ(pixel(distance, 0, 2, 2), 0.0);
  EXPECT_NEAR(pixel(distance, 0, 5, 6), 50.0, 1e-4);  // 40 m east, 30 m south
  EXPECT_NEAR(pixel(distance, 0, 9, 9), std::hypot(70.0, 70.0), 1e-3);
  // A cap.
  writeProximityRaster({csv, "", ""}, m_grid, output, 30, Progress::none());
  EXPECT_NEAR(pixel(RasterStack::open(output), 0, 9, 9), 30.0, 1e-4);
}

TEST_F(TerrainProximityTest, VectorBadInputIsNamed) {
  const fs::path csv = m_folder / "far.csv";
  std::ofstream(csv) << "x,y\n5000,5000\n";
  try {
    writeProximityRaster({csv, "", ""}, m_grid, m_folder / "d.tif", 0, Progress::none());
    FAIL();
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("falls on the raster's grid"), std::string::npos) << error.what();
  }
  EXPECT_THROW(writeProximityRaster({csv, "roads", ""}, m_grid, m_folder / "d.tif", 0, Progress::none()),
               InputError);
  const fs::path text = m_folder / "notes.txt";
  std::ofstream(text) << "not a vector\n";
  EXPECT_THROW(writeProximityRaster({text, "", ""}, m_grid, m_folder / "d.tif", 0, Progress::none()),
               InputError);
  fs::remove(csv);
  fs::remove(text);
  EXPECT_TRUE(fs::is_empty(m_folder));
}

}  // namespace
}  // namespace geih::geo
