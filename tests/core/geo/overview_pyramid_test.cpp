// Overviews made while a GeoTIFF is written: hand-computed 2 x 2 averages (nodata and NaN
// skipped, odd edges) and top-left picks for classes; a GeoTiffOutput written in order carries
// them, and one written out of order falls back to GDAL's AVERAGE with the same values.
#include "core/geo/overview_pyramid.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <optional>

#include "core/geo/geotiff_output.h"
#include "core/geo/raster_stack.h"
#include "tests/support/temp_folder.h"

namespace geih::geo {
namespace {

namespace fs = std::filesystem;
constexpr float kNan = std::numeric_limits<float>::quiet_NaN();

TEST(OverviewPyramidTest, AveragesValidPixelsOfEachBlock) {
  std::map<std::pair<int, int>, std::vector<float>> rows;  // (level, row) -> values
  OverviewPyramid<float> pyramid(5, 2, -1.0, [&](int level, int row, const float* values) {
    rows[{level, row}] = std::vector<float>(values, values + (level == 1 ? 3 : 2));
  });
  const std::vector<float> base = {1, 2, 3,  4, 5,   //
                                   5, 6, -1, 8, 9,   //
                                   2, 2, 2,  2, kNan};
  pyramid.addRows(base.data(), 2);
  pyramid.addRows(base.data() + 10, 1);
  pyramid.finish();
  ASSERT_EQ(rows.size(), 3u);
  // (1+2+5+6)/4; (3+4+8)/3 without the nodata; 5 and 9 of the odd last column.
  EXPECT_EQ(rows.at({1, 0}), (std::vector<float>{3.5f, 5.0f, 7.0f}));
  // The odd last row alone; its last block holds only NaN, so it is nodata.
  EXPECT_EQ(rows.at({1, 1}), (std::vector<float>{2.0f, 2.0f, -1.0f}));
  // Level 2 from level 1: (3.5+5+2+2)/4, and 7 with the nodata below it skipped.
  EXPECT_EQ(rows.at({2, 0}), (std::vector<float>{3.125f, 7.0f}));
}

// The vectorised path over whole 2 x 2 blocks gives the bits of a plain double sum of the valid
// pixels in reading order, divided by their count: rows 1001 wide (an odd last column), NaN and
// nodata scattered, blocks with none valid; with nodata -9999, without nodata (NaN marks an empty
// block) and with a nodata a float cannot hold (0.1: compared in double).
TEST(OverviewPyramidTest, WholeBlocksHaveTheBitsOfAPlainAverage) {
  constexpr int kWidth = 1001;
  std::vector<float> base(2 * kWidth);
  for (int i = 0; i < 2 * kWidth; ++i) {
    base[std::size_t(i)] = float(std::sin(i * 0.37)) * 0.5f + 0.5f + float(i % 13) * 1e-3f;
    if (i % 11 == 0) base[std::size_t(i)] = kNan;
    if (i % 7 == 0) base[std::size_t(i)] = -9999.0f;
  }
  for (int i = 0; i < 8; ++i) base[std::size_t(40 + i % 2 + (i / 2 % 2) * kWidth)] = kNan;  // an empty block
  for (const std::optional<double> nodata : {std::optional<double>(-9999.0), std::optional<double>(),
                                             std::optional<double>(0.1)}) {
    std::vector<float> out;
    OverviewPyramid<float> pyramid(kWidth, 1, nodata, [&](int, int, const float* values) {
      out.assign(values, values + (kWidth + 1) / 2);
    });
    pyramid.addRows(base.data(), 2);
    ASSERT_EQ(out.size(), std::size_t(kWidth + 1) / 2);
    for (int j = 0; j < (kWidth + 1) / 2; ++j) {
      double sum = 0;
      int count = 0;
      for (const int row : {0, 1}) {
        for (const int column : {2 * j, 2 * j + 1}) {
          if (column >= kWidth) continue;
          const float value = base[std::size_t(row * kWidth + column)];
          if (std::isnan(value) || (nodata && double(value) == *nodata)) continue;
          sum += double(value);
          ++count;
        }
      }
      const float expected = count ? float(sum / count) : float(nodata.value_or(kNan));
      if (std::isnan(expected)) {
        EXPECT_TRUE(std::isnan(out[std::size_t(j)])) << j;
      } else {
        EXPECT_EQ(out[std::size_t(j)], expected) << "block " << j << " nodata " << nodata.value_or(-1);
      }
    }
    if (nodata) {
      EXPECT_EQ(out[20], float(*nodata)) << "the empty block";
    } else {
      EXPECT_TRUE(std::isnan(out[20])) << "the empty block";
    }
  }
}

TEST(OverviewPyramidTest, ClassesTakeTheTopLeftPixel) {
  std::map<std::pair<int, int>, std::vector<std::uint8_t>> rows;
  OverviewPyramid<std::uint8_t> pyramid(3, 1, 255.0, [&](int level, int row, const std::uint8_t* v) {
    rows[{level, row}] = std::vector<std::uint8_t>(v, v + 2);
  });
  const std::vector<std::uint8_t> base = {0, 1, 2, 3, 3, 3, 1, 1, 255};
  pyramid.addRows(base.data(), 3);
  pyramid.finish();
  EXPECT_EQ(rows.at({1, 0}), (std::vector<std::uint8_t>{0, 2}));
  EXPECT_EQ(rows.at({1, 1}), (std::vector<std::uint8_t>{1, 255}));
}

// 600 x 600 floats with nodata here and there: one overview level (300 x 300).
std::vector<float> field() {
  std::vector<float> values(600 * 600);
  for (std::size_t p = 0; p < values.size(); ++p) {
    values[p] = p % 7 == 0 ? -9999.0f : float(std::sin(double(p) * 0.001) + double(p % 600) / 600.0);
  }
  return values;
}

std::vector<float> writeAndReadHalf(const fs::path& path, bool inOrder) {
  const std::vector<float> values = field();
  Grid grid;
  grid.width = 600;
  grid.height = 600;
  grid.geoTransform = {0, 10, 0, 6000, 0, -10};
  grid.projectionWkt = wktForEpsg(31985);
  {
    PendingFiles files;
    GeoTiffOutput output(files, path, grid, 1, PixelType::Float32);
    output.describeBand(0, "value", -9999.0);
    const std::vector<int> order = inOrder ? std::vector<int>{0, 1, 2, 3, 4, 5}
                                           : std::vector<int>{1, 0, 2, 3, 5, 4};
    for (int strip : order) output.writeRows(0, strip * 100, 100, values.data() + strip * 100 * 600);
    output.finish();
    files.publish();
  }
  const RasterStack stack = RasterStack::open(path);
  EXPECT_EQ(stack.overviewCount(), 1);
  std::vector<float> half(300 * 300);
  stack.readWindow(0, 0, 0, 600, 600, 300, 300, half.data());
  return half;
}

TEST(OverviewPyramidTest, GeoTiffOverviewsAreTheBlockAveragesWrittenInOrderOrNot) {
  const testing::TempFolder folder("overviews");
  const std::vector<float> values = field();
  std::vector<double> expected(300 * 300);
  for (int r = 0; r < 300; ++r) {
    for (int c = 0; c < 300; ++c) {
      double sum = 0;
      int count = 0;
      for (int dr = 0; dr < 2; ++dr) {
        for (int dc = 0; dc < 2; ++dc) {
          const float v = values[std::size_t((2 * r + dr) * 600 + 2 * c + dc)];
          if (v != -9999.0f) {
            sum += v;
            ++count;
          }
        }
      }
      expected[std::size_t(r * 300 + c)] = count ? sum / count : -9999.0;
    }
  }
  for (const bool inOrder : {true, false}) {
    const std::vector<float> half = writeAndReadHalf(folder / (inOrder ? "a.tif" : "b.tif"), inOrder);
    double worst = 0;
    for (std::size_t i = 0; i < half.size(); ++i) worst = std::max(worst, std::abs(half[i] - expected[i]));
    EXPECT_LT(worst, 1e-6) << (inOrder ? "written in order" : "written out of order");
  }
}

}  // namespace
}  // namespace geih::geo
