// Spectral indices and burn severity on a real Landsat 7 window of Olinda (tests/data/README.md).
// Expected values are computed by hand from the band values of named pixels, read with GDAL's
// Python bindings:
//   row 70, col 5  (vegetation): blue 65, green 56, red 40, nir 94, swir1 75, swir2 37
//   row 40, col 50 (water):      blue 94, green 84, red 62, nir 14, swir1 14, swir2 12
//   row 0,  col 0  (town):       blue 104, green 90, red 101, nir 59, swir1 116, swir2 98
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "core/common/error.h"
#include "core/geo/burn_severity.h"
#include "core/geo/raster_stack.h"
#include "core/geo/spectral_indices.h"
#include "tests/support/temp_folder.h"

namespace geih::geo {
namespace {

namespace fs = std::filesystem;
const fs::path kOlinda = fs::path(GEIH_TEST_DATA_DIR) / "olinda_l7_crop.tif";
const fs::path kDem = fs::path(GEIH_TEST_DATA_DIR) / "olinda_dem_utm25s.tif";

class SpectralIndicesTest : public ::testing::Test {
 protected:

  static double pixel(const RasterStack& stack, int band, int row, int col) {
    std::vector<double> rowValues(std::size_t(stack.grid().width));
    stack.readRows(band, row, 1, rowValues.data());
    return rowValues[std::size_t(col)];
  }

  testing::TempFolder m_folder{"indices"};
};

TEST(SpectralIndexFormulas, HandComputedValues) {
  EXPECT_DOUBLE_EQ(ndvi(40, 94), 54.0 / 134.0);
  EXPECT_DOUBLE_EQ(nbr(94, 37), 57.0 / 131.0);
  EXPECT_DOUBLE_EQ(ndmi(94, 75), 19.0 / 169.0);
  // EVI on reflectances 0.065 / 0.040 / 0.094: 2.5 x 0.054 / (0.094 + 0.24 − 0.4875 + 1).
  EXPECT_NEAR(evi(0.065, 0.040, 0.094), 2.5 * 0.054 / 0.8465, 1e-12);
  EXPECT_TRUE(std::isnan(ndvi(0, 0)));
  EXPECT_TRUE(std::isnan(ndvi(std::nan(""), 3)));
}

TEST(SpectralIndexFormulas, UsgsSeverityClassBoundsAreExact) {
  EXPECT_EQ(burnSeverityClass(-0.2500001), 0u);
  EXPECT_EQ(burnSeverityClass(-0.25), 1u);
  EXPECT_EQ(burnSeverityClass(-0.1000001), 1u);
  EXPECT_EQ(burnSeverityClass(-0.10), 2u);
  EXPECT_EQ(burnSeverityClass(0.0999999), 2u);
  EXPECT_EQ(burnSeverityClass(0.10), 3u);
  EXPECT_EQ(burnSeverityClass(0.27), 4u);
  EXPECT_EQ(burnSeverityClass(0.44), 5u);
  EXPECT_EQ(burnSeverityClass(0.6599999), 5u);
  EXPECT_EQ(burnSeverityClass(0.66), 6u);
  EXPECT_EQ(usgsBurnSeverityClasses()[6].name, "high severity");
}

TEST_F(SpectralIndicesTest, IndexRasterOnOlindaMatchesHandComputedPixels) {
  const RasterStack input = RasterStack::open(kOlinda);
  IndexOptions options;
  options.indices = {SpectralIndex::Ndvi, SpectralIndex::Nbr, SpectralIndex::Ndmi, SpectralIndex::Evi};
  options.roles = resolveBandRoles(input, {}, "landsat7");
  options.scale = 0.001;  // EVI needs reflectance-like values; the ratios do not care
  const fs::path output = m_folder / "indices.tif";
  writeIndexRaster(input, options, output, Progress::none());

  const RasterStack indices = RasterStack::open(output);
  ASSERT_EQ(indices.bandNames(), (std::vector<std::string>{"ndvi", "nbr", "ndmi", "evi"}));
  // Same georeferencing and CRS as the input.
  EXPECT_EQ(indices.grid().width, 96);
  EXPECT_EQ(indices.grid().height, 80);
  for (std::size_t i = 0; i < 6; ++i) {
    EXPECT_DOUBLE_EQ(indices.grid().geoTransform[i], input.grid().geoTransform[i]);
  }
  EXPECT_EQ(indices.grid().projectionWkt, input.grid().projectionWkt);
  EXPECT_EQ(indices.nodata(0), -9999.0);

  // Float32 output: compare at float precision.
  EXPECT_NEAR(pixel(indices, 0, 70, 5), 54.0 / 134.0, 1e-7);
  EXPECT_NEAR(pixel(indices, 1, 70, 5), 57.0 / 131.0, 1e-7);
  EXPECT_NEAR(pixel(indices, 2, 70, 5), 19.0 / 169.0, 1e-7);
  EXPECT_NEAR(pixel(indices, 3, 70, 5), 2.5 * 0.054 / 0.8465, 1e-6);
  EXPECT_NEAR(pixel(indices, 0, 40, 50), -48.0 / 76.0, 1e-7);
  EXPECT_NEAR(pixel(indices, 0, 0, 0), -42.0 / 160.0, 1e-7);
  EXPECT_NEAR(pixel(indices, 1, 0, 0), -39.0 / 157.0, 1e-7);
}

TEST_F(SpectralIndicesTest, BandMappingByNumberAndNameAndNodata) {
  // A stack with named bands and a nodata pixel.
  Grid grid;
  grid.width = 3;
  grid.height = 1;
  grid.geoTransform = {0, 10, 0, 30, 0, -10};
  const fs::path path = m_folder / "named.tif";
  writeGeoTiff(path, grid, {"B3", "B4"}, {{40, -1, 0}, {94, 50, 0}}, -1.0);
  const RasterStack stack = RasterStack::open(path);
  IndexOptions options;
  options.indices = {SpectralIndex::Ndvi};
  options.roles = resolveBandRoles(stack, {"red=B3", "nir=2"}, "");
  EXPECT_EQ(options.roles.at("red"), 0);
  EXPECT_EQ(options.roles.at("nir"), 1);
  const fs::path output = m_folder / "ndvi.tif";
  writeIndexRaster(stack, options, output, Progress::none());
  const RasterStack result = RasterStack::open(output);
  EXPECT_NEAR(pixel(result, 0, 0, 0), 54.0 / 134.0, 1e-7);
  EXPECT_EQ(pixel(result, 0, 0, 1), -9999.0);  // red was nodata
  EXPECT_EQ(pixel(result, 0, 0, 2), -9999.0);  // 0 / 0

  // Bands named after their roles need no mapping.
  const fs::path rolesPath = m_folder / "roles.tif";
  writeGeoTiff(rolesPath, grid, {"Red", "NIR"}, {{1, 2, 3}, {3, 2, 1}});
  const BandRoles byName = resolveBandRoles(RasterStack::open(rolesPath), {}, "");
  EXPECT_EQ(byName.at("red"), 0);
  EXPECT_EQ(byName.at("nir"), 1);
}

TEST_F(SpectralIndicesTest, BadInputNamesWhatIsWrongAndLeavesNothing) {
  const RasterStack input = RasterStack::open(kOlinda);
  IndexOptions options;
  options.indices = {SpectralIndex::Nbr};
  const fs::path output = m_folder / "nbr.tif";
  try {
    writeIndexRaster(input, options, output, Progress::none());
    FAIL() << "no roles";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("nbr needs a nir band"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("1:band_1"), std::string::npos) << error.what();
  }
  EXPECT_THROW(resolveBandRoles(input, {"red=9"}, ""), InputError);
  EXPECT_THROW(resolveBandRoles(input, {"red"}, ""), InputError);
  EXPECT_THROW(resolveBandRoles(input, {}, "sentinel9"), InputError);
  EXPECT_THROW(parseSpectralIndex("ndwi2"), InputError);
  options.roles = resolveBandRoles(input, {}, "landsat7");
  EXPECT_THROW(writeIndexRaster(input, options, "/proc/geih/nbr.tif", Progress::none()), Error);
  EXPECT_THROW(writeIndexRaster(input, options, m_folder / "nbr.png", Progress::none()), InputError);
  EXPECT_TRUE(fs::is_empty(m_folder));
}

TEST_F(SpectralIndicesTest, BurnSeverityFromASimulatedSecondDate) {
  const RasterStack before = RasterStack::open(kOlinda);
  // The second date: the south-west corner (rows 60..79, columns 0..29) burned — NIR halved,
  // SWIR2 up by half; everything else unchanged.
  const Grid& grid = before.grid();
  std::vector<std::vector<double>> bands(6, std::vector<double>(std::size_t(grid.width * grid.height)));
  for (int b = 0; b < 6; ++b) before.readRows(b, 0, grid.height, bands[std::size_t(b)].data());
  for (int r = 60; r < 80; ++r) {
    for (int c = 0; c < 30; ++c) {
      const std::size_t p = std::size_t(r * grid.width + c);
      bands[3][p] *= 0.5;
      bands[5][p] *= 1.5;
    }
  }
  const fs::path afterPath = m_folder / "after.tif";
  writeGeoTiff(afterPath, grid, {}, bands);
  const RasterStack after = RasterStack::open(afterPath);

  ChangeOptions options;
  options.index = SpectralIndex::Nbr;
  options.beforeRoles = resolveBandRoles(before, {}, "landsat7");
  options.afterRoles = resolveBandRoles(after, {}, "landsat7");
  const fs::path output = m_folder / "dnbr.tif";
  const ChangeSummary summary = writeChangeRaster(before, after, options, output, Progress::none());
  EXPECT_EQ(summary.validPixels, 96u * 80u);
  ASSERT_EQ(summary.classesPath, m_folder / "dnbr_severity.tif");

  const RasterStack change = RasterStack::open(output);
  EXPECT_EQ(change.bandNames()[0], "dnbr");
  // Pixel (70, 5): NBR before 57/131; after nir 47, swir2 55.5 -> −8.5/102.5.
  const double expected = 57.0 / 131.0 - (-8.5 / 102.5);
  EXPECT_NEAR(pixel(change, 0, 70, 5), expected, 1e-6);
  EXPECT_EQ(pixel(change, 0, 0, 0), 0.0);
  const RasterStack severity = RasterStack::open(summary.classesPath);
  EXPECT_EQ(pixel(severity, 0, 70, 5), double(burnSeverityClass(expected)));
  EXPECT_EQ(burnSeverityClass(expected), 5u);  // moderate-high
  EXPECT_EQ(pixel(severity, 0, 0, 0), 2.0);     // unburned
  EXPECT_EQ(severity.categoryNames(0).at(5), "moderate-high severity");
  // Unchanged pixels are all "unburned"; the burned corner is never unburned or regrowth.
  std::size_t burned = 0;
  for (std::size_t k = 3; k < summary.classPixels.size(); ++k) burned += summary.classPixels[k];
  EXPECT_EQ(summary.classPixels[0] + summary.classPixels[1], 0u);
  EXPECT_LE(burned, 600u);
  EXPECT_EQ(summary.classPixels[2] + burned, 96u * 80u);
  // 28.5 m pixels: each 0.00081225 km².
  EXPECT_NEAR(summary.classAreaKm2[2], double(summary.classPixels[2]) * 0.00081225, 1e-9);
}

TEST_F(SpectralIndicesTest, ChangeRefusesDifferentGrids) {
  const RasterStack before = RasterStack::open(kOlinda);
  const RasterStack dem = RasterStack::open(kDem);
  ChangeOptions options;
  options.index = SpectralIndex::Ndvi;
  try {
    writeChangeRaster(before, dem, options, m_folder / "d.tif", Progress::none());
    FAIL() << "different grids";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("different grids"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("96 x 80"), std::string::npos) << error.what();
  }
  EXPECT_TRUE(fs::is_empty(m_folder));
}

}  // namespace
}  // namespace geih::geo
