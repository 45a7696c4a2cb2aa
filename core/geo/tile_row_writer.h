// Rows of a tiled band gathered into whole rows of tiles before they reach the file (internal to
// the GeoTIFF writers).
//
// Why: GDAL keeps a partly written tile in its block cache until its other rows come. On a wide
// raster a row of tiles (plus the overviews' rows) does not fit the cache, so a partly written
// tile is evicted — compressed and written — then read back when its next rows come and appended
// to the file again: many times the work, and a file many times its size (a 40000 x 1100 map
// passed 4 GB). Whole rows of tiles are written once, each tile compressed once; the writer that
// compresses tiles itself (direct_tile_writer.h) takes nothing else.
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

namespace geih::geo {

class TileRowWriter {
 public:
  // sink(row, rows, values): rows [row, row + rows), `width` pixels of `pixelBytes` each.
  using Sink = std::function<void(int row, int rows, const void* values)>;

  TileRowWriter(int width, int height, int tileHeight, std::size_t pixelBytes, Sink sink);

  // Rows [row, row + rows) of the band. Rows come in order; whole rows of tiles go straight to the
  // sink, the rest wait here until their tile row is complete (or the band's last row came). A
  // row out of order first hands on what is waiting.
  void add(int row, int rows, const void* values);
  // Hands on the rows waiting (a last partial row of tiles).
  void flush();

 private:
  Sink m_sink;
  int m_height = 0;
  int m_tileHeight = 1;
  std::size_t m_rowBytes = 0;
  std::vector<std::byte> m_waiting;  // up to one row of tiles
  int m_first = 0;                   // the first waiting row
  int m_count = 0;                   // rows waiting
};

}  // namespace geih::geo
