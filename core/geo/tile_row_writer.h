// Rows of a GDAL band gathered into whole rows of tiles before they reach GDAL (internal to the
// GeoTIFF writers; the one core/geo header with a GDAL type in it).
//
// Why: GDAL keeps a partly written tile in its block cache until its other rows come. On a wide
// raster a row of tiles (plus the overviews' rows) does not fit the cache, so a partly written
// tile is evicted — compressed and written — then read back when its next rows come and appended
// to the file again: many times the work, and a file many times its size (a 40000 x 1100 map
// passed 4 GB). Whole rows of tiles are written once, each tile compressed once.
#pragma once

#include <gdal_priv.h>

#include <cstddef>
#include <filesystem>
#include <vector>

namespace geih::geo {

class TileRowWriter {
 public:
  // `target` names the file in errors.
  TileRowWriter(GDALRasterBand* band, GDALDataType type, std::filesystem::path target);

  // Rows [row, row + rows) of the band, `width` values each. Rows come in order; whole rows of
  // tiles go straight to GDAL, the rest wait here until their tile row is complete (or the band's
  // last row came). A row out of order first writes what is waiting.
  void add(int row, int rows, const void* values);
  // Writes the rows waiting (a last partial row of tiles). Throws IoError.
  void flush();

 private:
  void write(int row, int rows, const void* values);

  GDALRasterBand* m_band;
  GDALDataType m_type;
  std::filesystem::path m_target;
  int m_width = 0;
  int m_height = 0;
  int m_tileHeight = 1;
  std::size_t m_rowBytes = 0;
  std::vector<std::byte> m_waiting;  // up to one row of tiles
  int m_first = 0;                   // the first waiting row
  int m_count = 0;                   // rows waiting
};

}  // namespace geih::geo
