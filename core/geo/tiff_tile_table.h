// Where a tiled TIFF keeps its tiles: for each image of the file (the full-resolution image, then
// its overviews, in IFD order) the size, the tile size, the compression, and the position in the
// file of the TileOffsets and TileByteCounts arrays. With it, tiles compressed outside libtiff can
// be appended to a file GDAL laid out (direct_tile_writer.h) and the two arrays written in place.
// Classic TIFF and BigTIFF, little-endian (the byte order GDAL writes on every machine we run on).
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

namespace geih::geo {

// An array of unsigned integers stored in an IFD entry: inline in the entry or at an offset.
struct TiffArray {
  std::uint64_t position = 0;  // file offset of the first element
  int elementBytes = 0;        // 2 (SHORT), 4 (LONG) or 8 (LONG8)
  std::uint64_t count = 0;
};

struct TiffImage {
  int width = 0;
  int height = 0;
  int tileWidth = 0;
  int tileHeight = 0;
  int bands = 1;             // samples per pixel, stored band by band (planar) when more than one
  int bitsPerSample = 0;
  int sampleFormat = 1;      // 1 unsigned integer, 2 signed, 3 IEEE float
  int compression = 1;       // TIFF code: 1 none, 8 Deflate, 50000 Zstandard, ...
  int predictor = 1;
  TiffArray tileOffsets;
  TiffArray tileByteCounts;

  int tilesAcross() const { return (width + tileWidth - 1) / tileWidth; }
  int tilesDown() const { return (height + tileHeight - 1) / tileHeight; }
  // Index of a tile in the two arrays.
  std::size_t tileIndex(int band, int tileRow, int tileColumn) const {
    return (std::size_t(band) * std::size_t(tilesDown()) + std::size_t(tileRow)) * std::size_t(tilesAcross()) +
           std::size_t(tileColumn);
  }
};

struct TiffTileTable {
  bool bigTiff = false;
  std::vector<TiffImage> images;  // in IFD order
};

// Reads the IFD chain of `path`. Throws IoError naming the file when it cannot be read, is not a
// little-endian TIFF, or has an image that is not tiled (or is tiled with pixel-interleaved bands).
TiffTileTable readTiffTileTable(const std::filesystem::path& path);

// Writes `size` bytes at `offset` of the open file `fd`, all of them. Throws IoError naming `path`.
void writeAt(int fd, const std::filesystem::path& path, const void* bytes, std::size_t size, std::uint64_t offset);

// Writes `values` over `array` in the open file `fd`. Throws IoError naming `path` when a value
// does not fit the array's element size or the write fails.
void writeTiffArray(int fd, const std::filesystem::path& path, const TiffArray& array,
                    const std::vector<std::uint64_t>& values);

}  // namespace geih::geo
