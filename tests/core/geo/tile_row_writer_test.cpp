// Wide GeoTIFFs written in strips that cut through tiles, with a block cache too small for a row
// of tiles: every tile still reaches the file once. Before TileRowWriter, partly written tiles
// were evicted, compressed, read back and appended again (a 40000 x 1100 risk map passed 4 GB).
// Checked: the same pixels and overviews as one write of the whole raster, and a file no bigger,
// through GDAL (Deflate) and through the direct tile writer (Zstandard).
#include "core/geo/tile_row_writer.h"

#include <gdal.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>

#include "core/geo/geotiff_output.h"
#include "core/geo/raster_stack.h"
#include "tests/support/temp_folder.h"

namespace geih::geo {
namespace {

namespace fs = std::filesystem;

class TileRowWriterTest : public ::testing::TestWithParam<Compression> {
 protected:
  void SetUp() override { m_cache = GDALGetCacheMax64(); }
  void TearDown() override { GDALSetCacheMax64(m_cache); }

  // Writes `values` (kWidth x kHeight) in strips of `stripRows` and returns the published file.
  fs::path writeMap(const std::string& name, const std::vector<float>& values, int stripRows) {
    PendingFiles files;
    const fs::path target = m_folder / name;
    GeoTiffOutput output(files, target, m_grid, 1, PixelType::Float32, 1, GetParam());
    output.describeBand(0, "probability", -9999.0);
    for (int row = 0; row < m_grid.height; row += stripRows) {
      const int rows = std::min(stripRows, m_grid.height - row);
      output.writeRows(0, row, rows, values.data() + std::size_t(row) * std::size_t(m_grid.width));
    }
    output.finish();
    files.publish();
    return target;
  }

  testing::TempFolder m_folder{"tilerows"};
  std::int64_t m_cache = 0;
  Grid m_grid{6000, 300, {0, 30, 0, 0, 0, -30}, ""};
};

TEST_P(TileRowWriterTest, StripsCuttingTilesWriteEachTileOnce) {
  const std::size_t pixels = std::size_t(m_grid.width) * std::size_t(m_grid.height);
  std::vector<float> values(pixels);
  for (std::size_t p = 0; p < pixels; ++p) values[p] = float(std::sin(double(p) * 0.37)) * 0.5f + 0.5f;
  const fs::path whole = writeMap("whole.tif", values, m_grid.height);
  // A 1 MB cache holds four 256 x 256 float tiles; a row of tiles here is 24, and the overviews'
  // rows come one at a time.
  GDALSetCacheMax64(std::int64_t(1) << 20);
  const fs::path strips = writeMap("strips.tif", values, 37);
  GDALSetCacheMax64(m_cache);

  EXPECT_LE(fs::file_size(strips), fs::file_size(whole) + 4096) << "tiles were written more than once";
  const RasterStack a = RasterStack::open(whole);
  const RasterStack b = RasterStack::open(strips);
  std::vector<float> readA(pixels), readB(pixels);
  a.readRows(0, 0, m_grid.height, readA.data());
  b.readRows(0, 0, m_grid.height, readB.data());
  EXPECT_EQ(readA, values);
  EXPECT_EQ(readB, values);
  // Overview level 2 (3000 x 150): the pixel at (10, 7) averages base rows 20-21, columns 14-15.
  ASSERT_GE(b.overviewCount(), 1);
  std::vector<float> overview(1);
  b.readWindow(0, 14, 20, 2, 2, 1, 1, overview.data());
  const double expected = (double(values[20 * 6000 + 14]) + values[20 * 6000 + 15] + values[21 * 6000 + 14] +
                           values[21 * 6000 + 15]) / 4;
  EXPECT_NEAR(overview[0], expected, 1e-6);
}

// Direct tiles: rows out of order hand the file back to GDAL, which merges partial tiles.
TEST_P(TileRowWriterTest, RowsOutOfOrderAreStillWritten) {
  PendingFiles files;
  const fs::path target = m_folder / "shuffled.tif";
  Grid grid{700, 600, {0, 30, 0, 0, 0, -30}, ""};
  GeoTiffOutput output(files, target, grid, 1, PixelType::Byte, 1, GetParam());
  std::vector<std::uint8_t> strip(std::size_t(grid.width) * 100);
  for (const int row : {300, 0, 500, 100, 400, 200}) {
    std::fill(strip.begin(), strip.end(), std::uint8_t(row / 100));
    output.writeRows(0, row, 100, strip.data());
  }
  output.finish();
  files.publish();
  std::vector<float> values(std::size_t(grid.width) * std::size_t(grid.height));
  RasterStack::open(target).readRows(0, 0, grid.height, values.data());
  for (int row = 0; row < grid.height; row += 37) {
    EXPECT_EQ(values[std::size_t(row) * std::size_t(grid.width) + 5], float(row / 100)) << row;
  }
  // Overviews built from the file at the end: level 2 row 160 is base row 320 (nearest).
  const RasterStack stack = RasterStack::open(target);
  ASSERT_GE(stack.overviewCount(), 1);
  std::vector<float> overview(1);
  stack.readWindow(0, 10, 320, 2, 2, 1, 1, overview.data());
  EXPECT_EQ(overview[0], 3.0f);
}

INSTANTIATE_TEST_SUITE_P(Compressions, TileRowWriterTest, ::testing::Values(Compression::Zstd, Compression::Deflate),
                         [](const auto& info) { return info.param == Compression::Zstd ? "Zstd" : "Deflate"; });

}  // namespace
}  // namespace geih::geo
