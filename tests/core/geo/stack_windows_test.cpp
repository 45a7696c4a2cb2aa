// Reading a stack window by window: straight from the file where its layout allows it (tiles or
// strips, band or pixel interleave, blocks cut by the raster's edge) and through GDAL otherwise
// (compressed, big-endian, sparse, doubles). Every value read is checked against the value the
// fixture wrote at that band, row and column.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "core/common/error.h"
#include "core/geo/stack_windows.h"
#include "tests/support/float_stack.h"
#include "tests/support/temp_folder.h"

namespace geih::geo {
namespace {

namespace fs = std::filesystem;
using testing::FloatStackSpec;
using testing::floatStackValue;

class StackWindowsTest : public ::testing::Test {
 protected:
  std::string write(const std::string& name, const FloatStackSpec& spec) {
    const std::string path = (m_folder / name).string();
    testing::writeFloatStack(path, spec);
    return path;
  }

  // Reads every window of `bands` on `readers` threads at once and counts values that differ from
  // what was written (nodata where the fixture put it, `missing` in a block never written).
  static std::size_t mismatches(const StackWindows& windows, const std::vector<int>& bands, int readers,
                                const FloatStackSpec& spec, float missing = 0.0f) {
    std::atomic<std::size_t> wrong{0};
    std::atomic<int> next{0};
    const int total = windows.across() * windows.down();
    std::vector<std::thread> threads;
    for (int reader = 0; reader < readers; ++reader) {
      threads.emplace_back([&, reader] {
        std::vector<std::vector<float>> buffers(bands.size(),
                                                std::vector<float>(std::size_t(windows.width()) * std::size_t(windows.height())));
        std::vector<float*> floats;
        std::vector<double*> doubles(bands.size(), nullptr);
        for (auto& buffer : buffers) floats.push_back(buffer.data());
        for (int w = next++; w < total; w = next++) {
          const int column = w % windows.across();
          const int row = w / windows.across();
          windows.read(reader, column, row, floats.data(), doubles.data());
          const PixelRect rect = windows.window(column, row);
          for (std::size_t i = 0; i < bands.size(); ++i) {
            for (int r = 0; r < rect.height; ++r) {
              for (int c = 0; c < rect.width; ++c) {
                const int y = rect.y + r, x = rect.x + c;
                float expected = floatStackValue(bands[i], y, x);
                for (const auto& [nr, nc] : spec.nodataPixels) {
                  if (nr == y && nc == x) expected = float(spec.nodata);
                }
                if (spec.skipBlockX >= 0 && x / 128 == spec.skipBlockX && y / 64 == spec.skipBlockY) expected = missing;
                if (buffers[i][std::size_t(r) * std::size_t(windows.width()) + std::size_t(c)] != expected) ++wrong;
              }
            }
          }
        }
      });
    }
    for (auto& thread : threads) thread.join();
    return wrong;
  }

  testing::TempFolder m_folder{"windows"};
};

TEST_F(StackWindowsTest, TilesOfABandInterleavedFileAreReadStraightFromTheFile) {
  FloatStackSpec spec;
  spec.options = {"TILED=YES", "BLOCKXSIZE=128", "BLOCKYSIZE=64", "INTERLEAVE=BAND"};
  spec.nodataPixels = {{0, 5}, {199, 299}};
  spec.hasNodata = true;
  const RasterStack stack = RasterStack::open(write("band.tif", spec));
  const StackWindows windows(stack, {2, 0}, {0, 0}, 3);
  EXPECT_TRUE(windows.direct());
  EXPECT_EQ(windows.width(), 128);
  EXPECT_EQ(windows.height(), 64);
  EXPECT_EQ(windows.across(), 3);  // 300 = 128 + 128 + 44
  EXPECT_EQ(windows.down(), 4);    // 200 = 3 x 64 + 8
  const PixelRect corner = windows.window(2, 3);
  EXPECT_EQ(corner.x, 256);
  EXPECT_EQ(corner.y, 192);
  EXPECT_EQ(corner.width, 44);
  EXPECT_EQ(corner.height, 8);
  EXPECT_EQ(mismatches(windows, {2, 0}, 3, spec), 0u);
}

TEST_F(StackWindowsTest, TilesOfAPixelInterleavedFileArePickedApartBandByBand) {
  FloatStackSpec spec;
  spec.options = {"TILED=YES", "BLOCKXSIZE=128", "BLOCKYSIZE=64", "INTERLEAVE=PIXEL"};
  const RasterStack stack = RasterStack::open(write("pixel.tif", spec));
  const StackWindows windows(stack, {1, 2}, {0, 0}, 2);
  EXPECT_TRUE(windows.direct());
  EXPECT_EQ(mismatches(windows, {1, 2}, 2, spec), 0u);
}

TEST_F(StackWindowsTest, StripsAreStackedIntoWindowsOfAtLeast64Rows) {
  FloatStackSpec spec;
  spec.options = {"BLOCKYSIZE=7", "INTERLEAVE=BAND"};  // 200 rows = 28 strips of 7 + one of 4
  const RasterStack stack = RasterStack::open(write("strips.tif", spec));
  const StackWindows windows(stack, {0, 1, 2}, {0, 0, 0}, 2);
  EXPECT_TRUE(windows.direct());
  EXPECT_EQ(windows.width(), 300);
  EXPECT_EQ(windows.height(), 70);
  EXPECT_EQ(windows.down(), 3);
  EXPECT_EQ(windows.window(0, 2).height, 60);
  EXPECT_EQ(mismatches(windows, {0, 1, 2}, 2, spec), 0u);

  FloatStackSpec pixel = spec;
  pixel.options = {"BLOCKYSIZE=7", "INTERLEAVE=PIXEL"};
  const RasterStack pixelStack = RasterStack::open(write("strips_pixel.tif", pixel));
  const StackWindows pixelWindows(pixelStack, {2, 0}, {0, 0}, 1);
  EXPECT_TRUE(pixelWindows.direct());
  EXPECT_EQ(mismatches(pixelWindows, {2, 0}, 1, pixel), 0u);
}

TEST_F(StackWindowsTest, OtherFilesAreReadThroughGdalWithTheSameValues) {
  FloatStackSpec spec;
  spec.options = {"TILED=YES", "BLOCKXSIZE=128", "BLOCKYSIZE=64", "COMPRESS=DEFLATE"};
  const RasterStack compressed = RasterStack::open(write("deflate.tif", spec));
  const StackWindows fromCompressed(compressed, {0, 2}, {0, 0}, 3);
  EXPECT_FALSE(fromCompressed.direct());
  EXPECT_EQ(mismatches(fromCompressed, {0, 2}, 3, spec), 0u);

  spec.options = {"TILED=YES", "BLOCKXSIZE=128", "BLOCKYSIZE=64", "ENDIANNESS=BIG"};
  const RasterStack bigEndian = RasterStack::open(write("big.tif", spec));
  const StackWindows fromBigEndian(bigEndian, {1}, {0}, 2);
  EXPECT_FALSE(fromBigEndian.direct());
  EXPECT_EQ(mismatches(fromBigEndian, {1}, 2, spec), 0u);

  // A block the file lacks reads as GDAL fills it: with the nodata value.
  spec.options = {"TILED=YES", "BLOCKXSIZE=128", "BLOCKYSIZE=64", "SPARSE_OK=TRUE"};
  spec.skipBlockX = 1;
  spec.skipBlockY = 2;
  spec.hasNodata = true;
  const RasterStack sparse = RasterStack::open(write("sparse.tif", spec));
  const StackWindows fromSparse(sparse, {0, 1}, {0, 0}, 2);
  EXPECT_FALSE(fromSparse.direct());
  EXPECT_EQ(mismatches(fromSparse, {0, 1}, 2, spec, float(spec.nodata)), 0u);

  // Asked not to read directly, an uncompressed file goes through GDAL too.
  FloatStackSpec plain;
  plain.options = {"TILED=YES", "BLOCKXSIZE=128", "BLOCKYSIZE=64"};
  const RasterStack stack = RasterStack::open(write("plain.tif", plain));
  const StackWindows throughGdal(stack, {0, 1, 2}, {0, 0, 0}, 3, false);
  EXPECT_FALSE(throughGdal.direct());
  EXPECT_EQ(mismatches(throughGdal, {0, 1, 2}, 3, plain), 0u);
}

TEST_F(StackWindowsTest, BandsReadAsDoublesGoThroughGdal) {
  FloatStackSpec spec;
  spec.options = {"TILED=YES", "BLOCKXSIZE=128", "BLOCKYSIZE=64"};
  const RasterStack stack = RasterStack::open(write("doubles.tif", spec));
  const StackWindows windows(stack, {0, 1}, {0, 1}, 1);
  EXPECT_FALSE(windows.direct());
  std::vector<float> floats(128 * 64);
  std::vector<double> doubles(128 * 64);
  float* floatBands[2] = {floats.data(), nullptr};
  double* doubleBands[2] = {nullptr, doubles.data()};
  windows.read(0, 1, 2, floatBands, doubleBands);
  EXPECT_EQ(floats[0], floatStackValue(0, 128, 128));
  EXPECT_EQ(doubles[5 * 128 + 7], double(floatStackValue(1, 133, 135)));
}

TEST_F(StackWindowsTest, ManyBandsMakeShorterWindows) {
  FloatStackSpec spec;
  spec.width = 10000;
  spec.height = 100;
  spec.bands = 1;
  spec.options = {"BLOCKYSIZE=1"};
  const RasterStack stack = RasterStack::open(write("wide.tif", spec));
  // 20 bands read as doubles are 160 bytes a pixel: 64 MB hold 419,430 pixels, 41 rows of 10000.
  const std::vector<int> bands(20, 0);
  const StackWindows windows(stack, bands, std::vector<char>(20, 1), 1);
  EXPECT_EQ(windows.width(), 10000);
  EXPECT_EQ(windows.height(), 41);
  EXPECT_EQ(windows.down(), 3);
  std::vector<std::vector<double>> buffers(20, std::vector<double>(10000 * 41));
  std::vector<double*> doubles;
  for (auto& buffer : buffers) doubles.push_back(buffer.data());
  std::vector<float*> floats(20, nullptr);
  windows.read(0, 0, 2, floats.data(), doubles.data());  // rows 82..99
  EXPECT_EQ(buffers[19][17 * 10000 + 9999], double(floatStackValue(0, 99, 9999)));
  // Six float bands fit 64 rows.
  EXPECT_EQ(StackWindows(stack, {0, 0, 0, 0, 0, 0}, std::vector<char>(6, 0), 1).height(), 64);
}

TEST_F(StackWindowsTest, AFileCutShortAfterOpeningIsAnErrorNamingIt) {
  FloatStackSpec spec;
  spec.options = {"TILED=YES", "BLOCKXSIZE=128", "BLOCKYSIZE=64", "INTERLEAVE=BAND"};
  const std::string path = write("cut.tif", spec);
  const RasterStack stack = RasterStack::open(path);
  const StackWindows windows(stack, {2}, {0}, 1);
  ASSERT_TRUE(windows.direct());
  fs::resize_file(path, fs::file_size(path) / 2);
  std::vector<float> buffer(128 * 64);
  float* floats[1] = {buffer.data()};
  double* doubles[1] = {nullptr};
  try {
    windows.read(0, 2, 3, floats, doubles);  // band 3's last tile lies in the lost half
    FAIL() << "expected IoError";
  } catch (const IoError& error) {
    EXPECT_NE(std::string(error.what()).find("cut.tif"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace geih::geo
