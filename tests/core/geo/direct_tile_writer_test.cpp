// DirectTileWriter fills skeletons GDAL laid out (SPARSE_OK, empty internal overviews): every
// band of every image written as whole rows of tiles (the last one partial, the width not a
// multiple of the tile), then read back through GDAL (libtiff decodes the Zstandard tiles: the
// reference) pixel for pixel. Float32 and Byte, Zstandard and uncompressed, one and two bands
// interleaved by band, classic TIFF (with 2-byte tile sizes when tiles are small) and BigTIFF,
// compressed on the caller alone and on helper threads. Also: the same rows make the same bytes on
// 0, 1 or 2 helpers (tiles appended in row order); two files can share one queue; a tile never
// written fails finish() naming the file, or stays absent with finish(false); rows that are not
// whole rows of tiles are a logic_error; a compression it cannot write is refused up front.
#include "core/geo/direct_tile_writer.h"

#include <gdal_priv.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <ostream>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "core/common/error.h"
#include "core/common/job_queue.h"
#include "core/geo/tiff_tile_table.h"
#include "tests/support/temp_folder.h"
#include "tests/support/tiff_skeleton.h"

namespace geih::geo {
namespace {

namespace fs = std::filesystem;

// The value written at (row, col) of `band` of image `image`: exact in float32 (an integer below
// 2^24, over 4) and different for every image, band and pixel of images up to 1000 wide.
double pixelValue(GDALDataType type, int image, int band, int row, int col) {
  if (type == GDT_Byte) return double((image * 53 + band * 29 + row * 3 + col * 7) % 251);
  return double((image * 4 + band) * 1000000 + row * 1000 + col) / 4;
}

int pixelBytes(GDALDataType type) { return type == GDT_Byte ? 1 : 4; }

// The pixels of one band of one image, row by row, in the file's sample type.
std::vector<std::byte> imagePixels(GDALDataType type, int image, int band, int width, int height) {
  std::vector<std::byte> pixels(std::size_t(width) * std::size_t(height) * std::size_t(pixelBytes(type)));
  for (int r = 0; r < height; ++r) {
    for (int c = 0; c < width; ++c) {
      const std::size_t at = std::size_t(r) * std::size_t(width) + std::size_t(c);
      const double value = pixelValue(type, image, band, r, c);
      if (type == GDT_Byte) {
        pixels[at] = std::byte(std::uint8_t(value));
      } else {
        const float f = float(value);
        std::memcpy(pixels.data() + at * 4, &f, 4);
      }
    }
  }
  return pixels;
}

// Writes every band of every image of the writer's table, `tileRowsPerCall` rows of tiles per
// call; `skip` says which (image, band, tile row) to leave out.
void writeAll(DirectTileWriter& writer, GDALDataType type, int tileRowsPerCall,
              const std::function<bool(int, int, int)>& skip = nullptr) {
  const TiffTileTable& table = writer.table();
  for (int i = 0; i < int(table.images.size()); ++i) {
    const TiffImage& image = table.images[std::size_t(i)];
    const int step = tileRowsPerCall * image.tileHeight;
    for (int b = 0; b < image.bands; ++b) {
      const std::vector<std::byte> pixels = imagePixels(type, i, b, image.width, image.height);
      for (int row = 0; row < image.height; row += step) {
        if (skip && skip(i, b, row / image.tileHeight)) continue;
        const int rows = std::min(step, image.height - row);
        writer.writeRows(i, b, row, rows,
                         pixels.data() + std::size_t(row) * std::size_t(image.width) * std::size_t(pixelBytes(type)));
      }
    }
  }
}

// Reads every band of every image of `path` through GDAL and expects what writeAll wrote, or
// `absent` where `written` says the pixel's tile was left out.
void expectPixels(const fs::path& path, GDALDataType type, const TiffTileTable& table,
                  const std::function<bool(int image, int band, int row)>& written = nullptr, double absent = 0) {
  GDALAllRegister();
  GDALDataset* dataset = GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY);
  ASSERT_NE(dataset, nullptr) << CPLGetLastErrorMsg();
  ASSERT_EQ(dataset->GetRasterBand(1)->GetOverviewCount() + 1, int(table.images.size()));
  for (int i = 0; i < int(table.images.size()); ++i) {
    const TiffImage& image = table.images[std::size_t(i)];
    ASSERT_EQ(dataset->GetRasterCount(), image.bands);
    for (int b = 0; b < image.bands; ++b) {
      GDALRasterBand* raster = dataset->GetRasterBand(b + 1);
      if (i > 0) {
        GDALRasterBand* overview = nullptr;
        for (int k = 0; k < raster->GetOverviewCount() && !overview; ++k) {
          GDALRasterBand* candidate = raster->GetOverview(k);
          if (candidate->GetXSize() == image.width && candidate->GetYSize() == image.height) overview = candidate;
        }
        ASSERT_NE(overview, nullptr) << "GDAL has no overview like image " << i;
        raster = overview;
      }
      ASSERT_EQ(raster->GetXSize(), image.width);
      ASSERT_EQ(raster->GetYSize(), image.height);
      std::vector<double> read(std::size_t(image.width) * std::size_t(image.height));
      CPLErrorReset();
      ASSERT_EQ(raster->RasterIO(GF_Read, 0, 0, image.width, image.height, read.data(), image.width, image.height,
                                 GDT_Float64, 0, 0, nullptr),
                CE_None)
          << CPLGetLastErrorMsg();
      EXPECT_EQ(CPLGetLastErrorType(), CE_None) << CPLGetLastErrorMsg();
      std::size_t wrong = 0;
      std::string first;
      for (int r = 0; r < image.height; ++r) {
        const bool present = !written || written(i, b, r);
        for (int c = 0; c < image.width; ++c) {
          const double expected = present ? pixelValue(type, i, b, r, c) : absent;
          const double got = read[std::size_t(r) * std::size_t(image.width) + std::size_t(c)];
          if (got != expected && wrong++ == 0) {
            first = "(" + std::to_string(r) + ", " + std::to_string(c) + "): " + std::to_string(got) +
                    " instead of " + std::to_string(expected);
          }
        }
      }
      EXPECT_EQ(wrong, 0u) << "image " << i << " band " << b << ", first at " << first;
    }
  }
  GDALClose(dataset);
}

std::vector<unsigned char> fileBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

struct Layout {
  std::string name;
  int width = 700;
  int height = 600;
  int bands = 1;
  GDALDataType type = GDT_Float32;
  std::string compress = "ZSTD";
  std::vector<int> overviews;
  std::vector<std::string> options;
  int countBytes = 0;  // the width libtiff gave the full-resolution TileByteCounts, when it matters
};

void PrintTo(const Layout& layout, std::ostream* out) { *out << layout.name; }

const Layout kLayouts[] = {
    {"Float32Zstd", 700, 600, 1, GDT_Float32, "ZSTD", {2, 4}, {}},
    {"ByteUncompressed", 700, 600, 1, GDT_Byte, "NONE", {2, 4}, {}},
    {"Float32UncompressedSmallTiles", 700, 600, 1, GDT_Float32, "NONE", {2}, {"BLOCKXSIZE=128", "BLOCKYSIZE=80"}},
    // 64 x 32 bytes: libtiff stores these tiles' sizes as SHORTs.
    {"ByteZstdSmallTiles", 700, 600, 1, GDT_Byte, "ZSTD", {2, 4}, {"BLOCKXSIZE=64", "BLOCKYSIZE=32"}, 2},
    {"TwoBandFloat32Zstd", 700, 600, 2, GDT_Float32, "ZSTD", {2, 4}, {}},
    {"TwoBandByteZstdBigTiff", 700, 600, 2, GDT_Byte, "ZSTD", {2}, {"BIGTIFF=YES", "BLOCKXSIZE=64", "BLOCKYSIZE=48"}},
    // Small tables (one tile; a BigTIFF's two 4-byte sizes) lie inside their directory entries.
    {"OneTileFloat32Zstd", 200, 100, 1, GDT_Float32, "ZSTD", {2}, {}},
    {"TwoTilesByteZstdBigTiff", 300, 200, 1, GDT_Byte, "ZSTD", {2}, {"BIGTIFF=YES"}},
};

class DirectTileWriterLayoutTest : public ::testing::TestWithParam<std::tuple<Layout, int>> {
 protected:
  testing::TempFolder m_folder{"directtiles"};
};

TEST_P(DirectTileWriterLayoutTest, EveryPixelOfEveryImageReadsBackThroughGdal) {
  const auto& [layout, helpers] = GetParam();
  const fs::path path = m_folder / "map.tif";
  testing::makeSkeleton(path, layout.width, layout.height, layout.bands, layout.type, layout.compress,
                        layout.overviews, layout.options);
  const TiffTileTable table = readTiffTileTable(path);
  ASSERT_EQ(table.images.size(), layout.overviews.size() + 1);
  // The cases cover a partial last column and row of tiles at full resolution.
  ASSERT_NE(table.images[0].width % table.images[0].tileWidth, 0);
  ASSERT_NE(table.images[0].height % table.images[0].tileHeight, 0);
  if (layout.countBytes != 0) {
    ASSERT_EQ(table.images[0].tileByteCounts.elementBytes, layout.countBytes);
  }
  const auto sizeBefore = fs::file_size(path);
  {
    JobQueue queue(helpers);
    DirectTileWriter writer(path, path, table, queue);
    writeAll(writer, layout.type, 2);
    writer.finish();
  }
  EXPECT_GT(fs::file_size(path), sizeBefore);
  expectPixels(path, layout.type, table);
  // The arrays were patched in place: read back, the table lies where it did.
  const TiffTileTable after = readTiffTileTable(path);
  ASSERT_EQ(after.images.size(), table.images.size());
  for (std::size_t i = 0; i < after.images.size(); ++i) {
    EXPECT_EQ(after.images[i].tileOffsets.position, table.images[i].tileOffsets.position);
    EXPECT_EQ(after.images[i].tileByteCounts.position, table.images[i].tileByteCounts.position);
  }
}

INSTANTIATE_TEST_SUITE_P(Layouts, DirectTileWriterLayoutTest,
                         ::testing::Combine(::testing::ValuesIn(kLayouts), ::testing::Values(0, 2)),
                         [](const auto& info) {
                           return std::get<0>(info.param).name + "_" + std::to_string(std::get<1>(info.param)) +
                                  "Helpers";
                         });

class DirectTileWriterTest : public ::testing::Test {
 protected:
  testing::TempFolder m_folder{"directtiles"};
};

TEST_F(DirectTileWriterTest, TheSameRowsMakeTheSameBytesOnAnyNumberOfHelpers) {
  const fs::path skeleton = m_folder / "skeleton.tif";
  testing::makeSkeleton(skeleton, 1000, 900, 2, GDT_Float32, "ZSTD", {2, 4}, {"BLOCKXSIZE=64", "BLOCKYSIZE=64"});
  const TiffTileTable table = readTiffTileTable(skeleton);
  std::vector<std::vector<unsigned char>> files;
  for (const int helpers : {0, 1, 2}) {
    const fs::path path = m_folder / ("map_" + std::to_string(helpers) + ".tif");
    fs::copy_file(skeleton, path);
    {
      JobQueue queue(helpers);
      DirectTileWriter writer(path, path, table, queue);
      writeAll(writer, GDT_Float32, 1);
      writer.finish();
    }
    expectPixels(path, GDT_Float32, table);
    files.push_back(fileBytes(path));
  }
  ASSERT_GT(files[0].size(), fs::file_size(skeleton));
  EXPECT_TRUE(files[1] == files[0]) << "1 helper wrote other bytes than the caller alone";
  EXPECT_TRUE(files[2] == files[0]) << "2 helpers wrote other bytes than the caller alone";
}

TEST_F(DirectTileWriterTest, TwoFilesShareOneQueue) {
  const fs::path a = m_folder / "a.tif";
  const fs::path b = m_folder / "b.tif";
  testing::makeSkeleton(a, 700, 600, 1, GDT_Float32, "ZSTD", {2}, {"BLOCKXSIZE=64", "BLOCKYSIZE=64"});
  testing::makeSkeleton(b, 700, 600, 1, GDT_Byte, "NONE", {2}, {"BLOCKXSIZE=64", "BLOCKYSIZE=64"});
  const TiffTileTable tableA = readTiffTileTable(a);
  const TiffTileTable tableB = readTiffTileTable(b);
  {
    JobQueue queue(2);
    DirectTileWriter writerA(a, a, tableA, queue);
    DirectTileWriter writerB(b, b, tableB, queue);
    // Interleaved: a row of tiles of each in turn, then both finish.
    for (int i = 0; i < 2; ++i) {
      const TiffImage& imageA = tableA.images[std::size_t(i)];
      const TiffImage& imageB = tableB.images[std::size_t(i)];
      const auto pixelsA = imagePixels(GDT_Float32, i, 0, imageA.width, imageA.height);
      const auto pixelsB = imagePixels(GDT_Byte, i, 0, imageB.width, imageB.height);
      for (int row = 0; row < imageA.height; row += imageA.tileHeight) {
        const int rows = std::min(imageA.tileHeight, imageA.height - row);
        writerA.writeRows(i, 0, row, rows, pixelsA.data() + std::size_t(row) * std::size_t(imageA.width) * 4);
        writerB.writeRows(i, 0, row, rows, pixelsB.data() + std::size_t(row) * std::size_t(imageB.width));
      }
    }
    writerA.finish();
    writerB.finish();
  }
  expectPixels(a, GDT_Float32, tableA);
  expectPixels(b, GDT_Byte, tableB);
}

TEST_F(DirectTileWriterTest, ATileNeverWrittenFailsFinishNamingTheFile) {
  const fs::path path = m_folder / "map.tif.part";
  const fs::path target = m_folder / "risk_map.tif";
  testing::makeSkeleton(path, 700, 600, 1, GDT_Float32, "ZSTD", {2, 4});
  const TiffTileTable table = readTiffTileTable(path);
  JobQueue queue(2);
  DirectTileWriter writer(path, target, table, queue);
  // Every tile but the last row of tiles of the smallest overview (image 3).
  writeAll(writer, GDT_Float32, 1, [&](int image, int, int tileRow) {
    return image == 2 && tileRow == table.images[2].tilesDown() - 1;
  });
  try {
    writer.finish();
    FAIL() << "finish() accepted a file with a tile missing";
  } catch (const IoError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find(target.string()), std::string::npos) << message;
    EXPECT_NE(message.find("image 3"), std::string::npos) << message;
  }
}

TEST_F(DirectTileWriterTest, FinishWithoutEveryTileLeavesTheRestAbsent) {
  const fs::path path = m_folder / "partial.tif";
  testing::makeSkeleton(path, 700, 600, 2, GDT_Float32, "ZSTD", {2});
  const TiffTileTable table = readTiffTileTable(path);
  ASSERT_EQ(table.images[0].tileHeight, 256);
  // Band 2 lacks its full-resolution tile row 1 (rows 256-511); the overview lacks its tile row 0.
  const auto skipped = [](int image, int band, int tileRow) {
    return (image == 0 && band == 1 && tileRow == 1) || (image == 1 && tileRow == 0);
  };
  {
    JobQueue queue(0);
    DirectTileWriter writer(path, path, table, queue);
    writeAll(writer, GDT_Float32, 1, skipped);
    writer.finish(false);
  }
  const auto written = [&](int image, int band, int row) {
    return !skipped(image, band, row / table.images[std::size_t(image)].tileHeight);
  };
  expectPixels(path, GDT_Float32, table, written, 0);
}

TEST_F(DirectTileWriterTest, AbsentTilesReadAsNodata) {
  const fs::path path = m_folder / "nodata.tif";
  testing::TiffSpec spec = testing::skeletonSpec(700, 600, 1, GDT_Float32, "ZSTD", {});
  spec.nodata = -9999.0;
  testing::makeTiff(path, spec);
  const TiffTileTable table = readTiffTileTable(path);
  {
    JobQueue queue(1);
    DirectTileWriter writer(path, path, table, queue);
    writeAll(writer, GDT_Float32, 1, [](int, int, int tileRow) { return tileRow == 2; });
    writer.finish(false);
  }
  expectPixels(path, GDT_Float32, table, [](int, int, int row) { return row < 512; }, -9999.0);
}

TEST_F(DirectTileWriterTest, RowsThatAreNotWholeRowsOfTilesAreALogicError) {
  const fs::path path = m_folder / "rows.tif";
  testing::makeSkeleton(path, 700, 600, 1, GDT_Byte, "ZSTD", {});
  const TiffTileTable table = readTiffTileTable(path);
  ASSERT_EQ(table.images[0].tileHeight, 256);
  const std::vector<std::byte> pixels = imagePixels(GDT_Byte, 0, 0, 700, 600);
  JobQueue queue(0);
  DirectTileWriter writer(path, path, table, queue);
  EXPECT_THROW(writer.writeRows(0, 0, 1, 256, pixels.data()), std::logic_error);      // not on a tile row
  EXPECT_THROW(writer.writeRows(0, 0, 128, 256, pixels.data()), std::logic_error);    // nor this
  EXPECT_THROW(writer.writeRows(0, 0, 0, 100, pixels.data()), std::logic_error);      // a partial tile row
  EXPECT_THROW(writer.writeRows(0, 0, 256, 300, pixels.data()), std::logic_error);    // ends mid-tile
  EXPECT_THROW(writer.writeRows(0, 0, 512, 100, pixels.data()), std::logic_error);    // past the last row
  EXPECT_THROW(writer.writeRows(0, 1, 0, 256, pixels.data()), std::logic_error);      // no band 2
  EXPECT_THROW(writer.writeRows(0, -1, 0, 256, pixels.data()), std::logic_error);     // no band 0
  // The refused calls queued nothing: the whole image still writes and reads back.
  EXPECT_FALSE(queue.runOne());
  writeAll(writer, GDT_Byte, 1);
  writer.finish();
  expectPixels(path, GDT_Byte, table);
}

// A negative row is a multiple of the tile height too, but names no row of tiles. Row -256 of
// band index 1 must not land in band 0's last row of tiles (tileIndex(1, -1, c) equals
// tileIndex(0, tilesDown - 1, c)); for band 0 the index would wrap past the end of the table.
TEST_F(DirectTileWriterTest, ANegativeRowIsALogicError) {
  const fs::path path = m_folder / "negative.tif";
  testing::makeSkeleton(path, 700, 600, 2, GDT_Byte, "ZSTD", {});
  const TiffTileTable table = readTiffTileTable(path);
  ASSERT_EQ(table.images[0].tileHeight, 256);
  ASSERT_EQ(table.images[0].tilesDown(), 3);
  const std::vector<std::byte> wrong(std::size_t(700) * 256, std::byte{200});
  JobQueue queue(0);
  DirectTileWriter writer(path, path, table, queue);
  writeAll(writer, GDT_Byte, 1);
  EXPECT_THROW(writer.writeRows(0, 1, -256, 256, wrong.data()), std::logic_error);
  writer.finish();
  expectPixels(path, GDT_Byte, table);
}

TEST_F(DirectTileWriterTest, CompressionsItCannotWriteAreRefused) {
  const fs::path target = m_folder / "final.tif";
  JobQueue queue(0);
  const std::vector<std::pair<std::string, std::vector<std::string>>> cases = {
      {"DEFLATE", {}}, {"LZW", {}}, {"ZSTD", {"PREDICTOR=2"}}};
  for (const auto& [compress, options] : cases) {
    SCOPED_TRACE(compress);
    const fs::path path = m_folder / ("refused_" + compress + std::to_string(options.size()) + ".tif");
    testing::makeSkeleton(path, 700, 600, 1, GDT_Float32, compress, {2}, options);
    const TiffTileTable table = readTiffTileTable(path);
    const auto before = fileBytes(path);
    try {
      DirectTileWriter writer(path, target, table, queue);
      ADD_FAILURE() << "the writer accepted compression " << table.images[0].compression << ", predictor "
                    << table.images[0].predictor;
    } catch (const IoError& error) {
      EXPECT_NE(std::string(error.what()).find(target.string()), std::string::npos) << error.what();
    }
    EXPECT_TRUE(fileBytes(path) == before) << "a refused file was changed";
  }
}

TEST_F(DirectTileWriterTest, AFileThatCannotBeOpenedIsRefused) {
  const fs::path path = m_folder / "gone.tif";
  testing::makeSkeleton(path, 300, 200, 1, GDT_Float32, "ZSTD", {});
  const TiffTileTable table = readTiffTileTable(path);
  fs::remove(path);
  JobQueue queue(0);
  try {
    DirectTileWriter writer(path, m_folder / "named.tif", table, queue);
    FAIL() << "opened a file that is gone";
  } catch (const IoError& error) {
    EXPECT_NE(std::string(error.what()).find((m_folder / "named.tif").string()), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace geih::geo
