// readTiffTileTable on files GDAL laid out: for every image (full resolution, then the overviews)
// the size, the tile size GDAL reports, bands, sample type, compression, and where the TileOffsets
// and TileByteCounts arrays are: read at those positions, the arrays hold the block offsets and
// sizes GDAL itself reports (TIFF metadata domain), so the direct tile writer patches the right
// bytes. Classic TIFF, BigTIFF, band-interleaved bands. Files it cannot fill (not a TIFF, striped,
// big-endian, pixel-interleaved, truncated) throw IoError naming the file. writeTiffArray writes
// little-endian values of the array's width and refuses values that do not fit, or a wrong count.
#include "core/geo/tiff_tile_table.h"

#include <fcntl.h>
#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/common/error.h"
#include "tests/support/temp_folder.h"
#include "tests/support/tiff_skeleton.h"

namespace geih::geo {
namespace {

namespace fs = std::filesystem;
using geih::testing::TiffSpec;

// The values of `array` in `path`, read as the writer would patch them.
std::vector<std::uint64_t> readArray(const fs::path& path, const TiffArray& array) {
  std::vector<unsigned char> raw(std::size_t(array.count) * std::size_t(array.elementBytes));
  std::ifstream in(path, std::ios::binary);
  in.seekg(std::streamoff(array.position));
  in.read(reinterpret_cast<char*>(raw.data()), std::streamsize(raw.size()));
  if (!in) throw std::runtime_error("cannot read the array");
  std::vector<std::uint64_t> values(std::size_t(array.count));
  for (std::size_t i = 0; i < values.size(); ++i) {
    for (int b = array.elementBytes - 1; b >= 0; --b) {
      values[i] = (values[i] << 8) | raw[i * std::size_t(array.elementBytes) + std::size_t(b)];
    }
  }
  return values;
}

// The message of the IoError `read` throws; empty (and a test failure) when it throws none.
template <typename Read>
std::string ioErrorOf(Read read) {
  try {
    read();
  } catch (const IoError& error) {
    return error.what();
  }
  ADD_FAILURE() << "no IoError";
  return {};
}

class TiffTileTableTest : public ::testing::Test {
 protected:
  // Checks `table` against GDAL's view of `path`: image count, sizes, tile sizes, tile counts.
  void expectLayout(const fs::path& path, const TiffTileTable& table, int width, int height,
                    const std::vector<int>& factors, int bands) {
    const std::vector<testing::GdalImage> gdal = testing::gdalImages(path);
    ASSERT_EQ(table.images.size(), factors.size() + 1);
    ASSERT_EQ(gdal.size(), table.images.size());
    for (std::size_t i = 0; i < table.images.size(); ++i) {
      SCOPED_TRACE("image " + std::to_string(i));
      const TiffImage& image = table.images[i];
      const int factor = i == 0 ? 1 : factors[i - 1];
      EXPECT_EQ(image.width, (width + factor - 1) / factor);
      EXPECT_EQ(image.height, (height + factor - 1) / factor);
      EXPECT_EQ(image.width, gdal[i].width);
      EXPECT_EQ(image.height, gdal[i].height);
      EXPECT_EQ(image.tileWidth, gdal[i].blockWidth);
      EXPECT_EQ(image.tileHeight, gdal[i].blockHeight);
      EXPECT_EQ(image.bands, bands);
      const std::uint64_t tiles = std::uint64_t((image.width + image.tileWidth - 1) / image.tileWidth) *
                                  std::uint64_t((image.height + image.tileHeight - 1) / image.tileHeight) *
                                  std::uint64_t(bands);
      EXPECT_EQ(std::uint64_t(image.tilesAcross()) * std::uint64_t(image.tilesDown()) * std::uint64_t(bands), tiles);
      EXPECT_EQ(image.tileOffsets.count, tiles);
      EXPECT_EQ(image.tileByteCounts.count, tiles);
    }
  }

  // Checks that the arrays of `table` hold the offsets and sizes GDAL reports for every block
  // of every band of every image of `path` (a filled file).
  void expectArraysMatchGdal(const fs::path& path, const TiffTileTable& table) {
    GDALAllRegister();
    GDALDataset* dataset = GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY);
    ASSERT_NE(dataset, nullptr);
    ASSERT_EQ(std::size_t(dataset->GetRasterBand(1)->GetOverviewCount()) + 1, table.images.size());
    for (std::size_t i = 0; i < table.images.size(); ++i) {
      const TiffImage& image = table.images[i];
      const std::vector<std::uint64_t> offsets = readArray(path, image.tileOffsets);
      const std::vector<std::uint64_t> sizes = readArray(path, image.tileByteCounts);
      for (int b = 0; b < image.bands; ++b) {
        GDALRasterBand* band = dataset->GetRasterBand(b + 1);
        if (i > 0) band = band->GetOverview(int(i) - 1);
        ASSERT_EQ(band->GetXSize(), image.width);
        for (int y = 0; y < image.tilesDown(); ++y) {
          for (int x = 0; x < image.tilesAcross(); ++x) {
            const std::string block = std::to_string(x) + "_" + std::to_string(y);
            const char* offset = band->GetMetadataItem(("BLOCK_OFFSET_" + block).c_str(), "TIFF");
            const char* size = band->GetMetadataItem(("BLOCK_SIZE_" + block).c_str(), "TIFF");
            ASSERT_NE(offset, nullptr) << "image " << i << " band " << b << " block " << block;
            ASSERT_NE(size, nullptr);
            const std::size_t at = image.tileIndex(b, y, x);
            EXPECT_EQ(offsets[at], std::stoull(offset)) << "image " << i << " band " << b << " block " << block;
            EXPECT_EQ(sizes[at], std::stoull(size)) << "image " << i << " band " << b << " block " << block;
          }
        }
      }
    }
    GDALClose(dataset);
  }

  testing::TempFolder m_folder{"tifftable"};
};

TEST_F(TiffTileTableTest, ClassicFloatSkeletonWithOverviews) {
  const fs::path path = m_folder / "float.tif";
  testing::makeSkeleton(path, 1000, 700, 1, GDT_Float32, "ZSTD", {2, 4});
  const TiffTileTable table = readTiffTileTable(path);
  EXPECT_FALSE(table.bigTiff);
  expectLayout(path, table, 1000, 700, {2, 4}, 1);
  ASSERT_EQ(table.images.size(), 3u);
  // GDAL's default tile: 256 x 256, so 4 x 3 tiles at full resolution.
  EXPECT_EQ(table.images[0].tileWidth, 256);
  EXPECT_EQ(table.images[0].tileHeight, 256);
  EXPECT_EQ(table.images[0].tilesAcross(), 4);
  EXPECT_EQ(table.images[0].tilesDown(), 3);
  EXPECT_EQ(table.images[0].tileOffsets.count, 12u);
  EXPECT_EQ(table.images[1].width, 500);
  EXPECT_EQ(table.images[1].height, 350);
  EXPECT_EQ(table.images[2].width, 250);
  EXPECT_EQ(table.images[2].height, 175);
  for (const TiffImage& image : table.images) {
    EXPECT_EQ(image.bitsPerSample, 32);
    EXPECT_EQ(image.sampleFormat, 3);
    EXPECT_EQ(image.compression, 50000);
    EXPECT_EQ(image.predictor, 1);
    EXPECT_EQ(image.tileOffsets.elementBytes, 4);  // LONG in a classic TIFF
    EXPECT_TRUE(image.tileByteCounts.elementBytes == 2 || image.tileByteCounts.elementBytes == 4);
    // Every tile of a skeleton is absent: offset and size 0.
    for (std::uint64_t v : readArray(path, image.tileOffsets)) EXPECT_EQ(v, 0u);
    for (std::uint64_t v : readArray(path, image.tileByteCounts)) EXPECT_EQ(v, 0u);
  }
}

TEST_F(TiffTileTableTest, BigTiffFloatSkeletonWithOverviews) {
  const fs::path path = m_folder / "big.tif";
  testing::makeSkeleton(path, 1000, 700, 1, GDT_Float32, "ZSTD", {2, 4}, {"BIGTIFF=YES"});
  const TiffTileTable table = readTiffTileTable(path);
  EXPECT_TRUE(table.bigTiff);
  expectLayout(path, table, 1000, 700, {2, 4}, 1);
  for (const TiffImage& image : table.images) {
    EXPECT_EQ(image.bitsPerSample, 32);
    EXPECT_EQ(image.sampleFormat, 3);
    EXPECT_EQ(image.compression, 50000);
    EXPECT_EQ(image.tileOffsets.elementBytes, 8) << "a BigTIFF's tiles may lie past 4 GB";
  }
}

TEST_F(TiffTileTableTest, ThreeBandByteFileInterleavedByBand) {
  const fs::path path = m_folder / "rgb.tif";
  testing::makeSkeleton(path, 1000, 700, 3, GDT_Byte, "ZSTD", {2, 4});
  const TiffTileTable table = readTiffTileTable(path);
  EXPECT_FALSE(table.bigTiff);
  expectLayout(path, table, 1000, 700, {2, 4}, 3);
  EXPECT_EQ(table.images[0].tileOffsets.count, 36u);  // 4 x 3 tiles x 3 bands
  for (const TiffImage& image : table.images) {
    EXPECT_EQ(image.bitsPerSample, 8);
    EXPECT_EQ(image.sampleFormat, 1);
    EXPECT_EQ(image.compression, 50000);
  }
}

TEST_F(TiffTileTableTest, ArraysHoldTheBlocksGdalReportsInAClassicTiff) {
  const fs::path path = m_folder / "filled.tif";
  TiffSpec spec;
  spec.options = {"TILED=YES", "COMPRESS=ZSTD", "BLOCKXSIZE=128", "BLOCKYSIZE=64"};
  spec.overviews = {2, 4};
  spec.fill = true;
  testing::makeTiff(path, spec);
  const TiffTileTable table = readTiffTileTable(path);
  expectLayout(path, table, 1000, 700, {2, 4}, 1);
  EXPECT_EQ(table.images[0].tileWidth, 128);
  EXPECT_EQ(table.images[0].tileHeight, 64);
  EXPECT_EQ(table.images[0].tileOffsets.count, 8u * 11u);
  expectArraysMatchGdal(path, table);
}

TEST_F(TiffTileTableTest, ArraysHoldTheBlocksGdalReportsInABigTiff) {
  const fs::path path = m_folder / "filled_big.tif";
  TiffSpec spec;
  spec.options = {"TILED=YES", "COMPRESS=NONE", "BIGTIFF=YES"};
  spec.overviews = {2, 4};
  spec.fill = true;
  testing::makeTiff(path, spec);
  const TiffTileTable table = readTiffTileTable(path);
  EXPECT_TRUE(table.bigTiff);
  EXPECT_EQ(table.images[0].compression, 1);
  expectLayout(path, table, 1000, 700, {2, 4}, 1);
  expectArraysMatchGdal(path, table);
}

TEST_F(TiffTileTableTest, ArraysHoldTheBlocksGdalReportsForEachBand) {
  const fs::path path = m_folder / "filled_rgb.tif";
  TiffSpec spec;
  spec.bands = 3;
  spec.type = GDT_Byte;
  spec.options = {"TILED=YES", "COMPRESS=ZSTD", "INTERLEAVE=BAND"};
  spec.overviews = {2};
  spec.fill = true;
  testing::makeTiff(path, spec);
  const TiffTileTable table = readTiffTileTable(path);
  expectLayout(path, table, 1000, 700, {2}, 3);
  expectArraysMatchGdal(path, table);
}

// Small arrays (one tile; two 4-byte values in a BigTIFF) lie inside their directory entries,
// not at an offset: the position is then inside the entry.
TEST_F(TiffTileTableTest, ArraysInsideTheirDirectoryEntriesAreFound) {
  for (const bool big : {false, true}) {
    SCOPED_TRACE(big ? "BigTIFF" : "classic");
    const fs::path path = m_folder / (big ? "small_big.tif" : "small.tif");
    TiffSpec spec;
    spec.width = 300;  // 2 x 1 tiles, 150 x 100 in the overview: 1
    spec.height = 200;
    spec.type = GDT_Byte;
    spec.options = {"TILED=YES", "COMPRESS=ZSTD", big ? "BIGTIFF=YES" : "BIGTIFF=NO"};
    spec.overviews = {2};
    spec.fill = true;
    testing::makeTiff(path, spec);
    const TiffTileTable table = readTiffTileTable(path);
    EXPECT_EQ(table.bigTiff, big);
    expectLayout(path, table, 300, 200, {2}, 1);
    EXPECT_EQ(table.images[0].tileOffsets.count, 2u);
    EXPECT_EQ(table.images[1].tileOffsets.count, 1u);
    expectArraysMatchGdal(path, table);
  }
}

TEST_F(TiffTileTableTest, AFileWithoutOverviewsHasOneImage) {
  const fs::path path = m_folder / "single.tif";
  testing::makeSkeleton(path, 300, 200, 1, GDT_Float32, "NONE", {});
  const TiffTileTable table = readTiffTileTable(path);
  ASSERT_EQ(table.images.size(), 1u);
  EXPECT_EQ(table.images[0].width, 300);
  EXPECT_EQ(table.images[0].height, 200);
  EXPECT_EQ(table.images[0].compression, 1);
  EXPECT_EQ(table.images[0].tileOffsets.count, 2u);
}

TEST_F(TiffTileTableTest, ANonTiffFileIsRefused) {
  const fs::path path = m_folder / "notes.tif";
  std::ofstream(path) << "these are not the pixels you are looking for\n";
  const std::string message = ioErrorOf([&] { readTiffTileTable(path); });
  EXPECT_NE(message.find(path.string()), std::string::npos) << message;
}

TEST_F(TiffTileTableTest, AMissingFileIsRefused) {
  const fs::path path = m_folder / "absent.tif";
  const std::string message = ioErrorOf([&] { readTiffTileTable(path); });
  EXPECT_NE(message.find(path.string()), std::string::npos) << message;
}

TEST_F(TiffTileTableTest, AStripedTiffIsRefused) {
  const fs::path path = m_folder / "striped.tif";
  TiffSpec spec;
  spec.options = {"TILED=NO", "COMPRESS=ZSTD"};
  testing::makeTiff(path, spec);
  const std::string message = ioErrorOf([&] { readTiffTileTable(path); });
  EXPECT_NE(message.find(path.string()), std::string::npos) << message;
  EXPECT_NE(message.find("not tiled"), std::string::npos) << message;
}

TEST_F(TiffTileTableTest, ABigEndianTiffIsRefused) {
  const fs::path path = m_folder / "big_endian.tif";
  TiffSpec spec;
  spec.options = {"TILED=YES", "SPARSE_OK=TRUE", "COMPRESS=ZSTD", "ENDIANNESS=BIG"};
  testing::makeTiff(path, spec);
  // GDAL did write a big-endian file ("MM").
  char magic[2] = {};
  std::ifstream(path, std::ios::binary).read(magic, 2);
  ASSERT_EQ(std::string(magic, 2), "MM");
  const std::string message = ioErrorOf([&] { readTiffTileTable(path); });
  EXPECT_NE(message.find(path.string()), std::string::npos) << message;
  EXPECT_NE(message.find("little-endian"), std::string::npos) << message;
}

TEST_F(TiffTileTableTest, BandsInterleavedByPixelAreRefused) {
  const fs::path path = m_folder / "pixel.tif";
  testing::makeSkeleton(path, 300, 200, 3, GDT_Byte, "ZSTD", {}, {"INTERLEAVE=PIXEL"});
  const std::string message = ioErrorOf([&] { readTiffTileTable(path); });
  EXPECT_NE(message.find(path.string()), std::string::npos) << message;
  EXPECT_NE(message.find("interleaves"), std::string::npos) << message;
}

TEST_F(TiffTileTableTest, ATruncatedFileIsRefused) {
  const fs::path path = m_folder / "truncated.tif";
  testing::makeSkeleton(path, 1000, 700, 1, GDT_Float32, "ZSTD", {2, 4});
  ASSERT_NO_THROW(readTiffTileTable(path));
  // Cut the file inside its first directory: 2 bytes of entry count, then a few 12-byte entries.
  unsigned char header[8] = {};
  std::ifstream(path, std::ios::binary).read(reinterpret_cast<char*>(header), 8);
  const std::uint64_t firstIfd = std::uint64_t(header[4]) | std::uint64_t(header[5]) << 8 |
                                 std::uint64_t(header[6]) << 16 | std::uint64_t(header[7]) << 24;
  ASSERT_GE(firstIfd, 8u);
  fs::resize_file(path, firstIfd + 2 + 3 * 12 + 5);
  const std::string message = ioErrorOf([&] { readTiffTileTable(path); });
  EXPECT_NE(message.find(path.string()), std::string::npos) << message;
  // And a file cut inside its header.
  fs::resize_file(path, 6);
  const std::string header_message = ioErrorOf([&] { readTiffTileTable(path); });
  EXPECT_NE(header_message.find(path.string()), std::string::npos) << header_message;
}

class WriteTiffArrayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ofstream(m_path, std::ios::binary) << std::string(32, '\x55');
    m_fd = ::open(m_path.c_str(), O_RDWR | O_CLOEXEC);
    ASSERT_GE(m_fd, 0);
  }
  void TearDown() override {
    if (m_fd >= 0) ::close(m_fd);
  }
  std::vector<unsigned char> bytes() const {
    std::ifstream in(m_path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }

  testing::TempFolder m_folder{"tiffarray"};
  fs::path m_path = m_folder / "array.bin";
  int m_fd = -1;
};

TEST_F(WriteTiffArrayTest, WritesLittleEndianValuesOfTheArraysWidth) {
  writeTiffArray(m_fd, m_path, TiffArray{2, 2, 2}, {0x1234, 0xFFFF});
  writeTiffArray(m_fd, m_path, TiffArray{8, 4, 2}, {0xA1B2C3D4, 0xFFFFFFFF});
  writeTiffArray(m_fd, m_path, TiffArray{16, 8, 1}, {0x0102030405060708});
  const std::vector<unsigned char> expected = {
      0x55, 0x55, 0x34, 0x12, 0xFF, 0xFF, 0x55, 0x55,  // SHORTs at 2
      0xD4, 0xC3, 0xB2, 0xA1, 0xFF, 0xFF, 0xFF, 0xFF,  // LONGs at 8
      0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01,  // a LONG8 at 16
      0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55};
  EXPECT_EQ(bytes(), expected);
}

TEST_F(WriteTiffArrayTest, AValuePastFourGigabytesInALongArrayAsksForBigTiff) {
  const std::vector<unsigned char> before = bytes();
  const std::string message = ioErrorOf([&] {
    writeTiffArray(m_fd, m_path, TiffArray{0, 4, 3}, {16, 4096, std::uint64_t(1) << 32});
  });
  EXPECT_NE(message.find("BigTIFF"), std::string::npos) << message;
  EXPECT_NE(message.find(m_path.string()), std::string::npos) << message;
  EXPECT_EQ(bytes(), before) << "part of the array was written before the value that does not fit";
  // The same value fits a LONG8 array.
  EXPECT_NO_THROW(writeTiffArray(m_fd, m_path, TiffArray{0, 8, 1}, {std::uint64_t(1) << 32}));
}

TEST_F(WriteTiffArrayTest, AValuePastAShortIsRefused) {
  EXPECT_THROW(writeTiffArray(m_fd, m_path, TiffArray{0, 2, 1}, {0x10000}), IoError);
}

TEST_F(WriteTiffArrayTest, AWrongValueCountIsRefused) {
  const std::vector<unsigned char> before = bytes();
  const std::string tooMany = ioErrorOf([&] { writeTiffArray(m_fd, m_path, TiffArray{0, 4, 2}, {1, 2, 3}); });
  EXPECT_NE(tooMany.find(m_path.string()), std::string::npos) << tooMany;
  EXPECT_THROW(writeTiffArray(m_fd, m_path, TiffArray{0, 4, 2}, {1}), IoError);
  EXPECT_EQ(bytes(), before);
}

}  // namespace
}  // namespace geih::geo
