// Tiles of a GeoTIFF compressed on a JobQueue and appended to the file without GDAL or libtiff in
// the way. GDAL lays the file out (every tag, the georeferencing, the overviews' directories, every
// tile absent: SPARSE_OK); this writer cuts the rows it is given into tiles, compresses each on the
// queue (Zstandard level 1, or stored raw when the file says uncompressed), appends them in the
// order the rows came, whatever thread compressed them, so the same rows always make the same
// file, and finish() writes the tile tables in place (tiff_tile_table.h).
//
// Why not GDAL's writer: on a 10000² probability map GDAL spent as long moving blocks through its
// cache and waiting on its compression threads as compressing; here each tile is copied once,
// compressed once on whichever thread is free, written once.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <vector>

#include "core/common/job_queue.h"
#include "core/geo/tiff_tile_table.h"

namespace geih::geo {

class DirectTileWriter {
 public:
  // Opens `file`, a TIFF with every tile absent; `target` names it in errors. Throws IoError when
  // it cannot be opened or its compression is neither none nor Zstandard without a predictor.
  DirectTileWriter(std::filesystem::path file, std::filesystem::path target, TiffTileTable table,
                   JobQueue& queue);
  ~DirectTileWriter();
  DirectTileWriter(const DirectTileWriter&) = delete;
  DirectTileWriter& operator=(const DirectTileWriter&) = delete;

  const TiffTileTable& table() const { return m_table; }
  // Rows [row, row + rows) of `band` of image `image` (an index into table().images), each the
  // image's width of samples. `row` is a multiple of the tile height and the rows are whole rows
  // of tiles, or end at the image's last row. Copied before it returns; compressed and written
  // later. Rethrows a failure of earlier tiles.
  void writeRows(int image, int band, int row, int rows, const void* values);
  // Waits for every tile, checks that every tile of every image was written (unless not
  // `everyTile`: the rest stay absent), writes the tile tables and closes the file. Throws IoError.
  void finish(bool everyTile = true);

 private:
  // Bytes of a tile, not zeroed when made (a tile's worth of memset per tile showed up).
  struct Buffer {
    std::unique_ptr<std::byte[]> data;
    std::size_t capacity = 0;
    std::size_t size = 0;
  };
  // A tile queued: appended once compressed and every tile queued before it was.
  struct Tile {
    int image = 0;
    std::size_t index = 0;  // in the image's tile tables
    Buffer bytes;           // raw, then compressed
    bool done = false;
  };
  void encode(Tile& tile);
  void completed(Tile& tile);
  void append(Tile& tile);
  Buffer takeBuffer(std::size_t bytes);
  void giveBack(Buffer buffer);

  std::filesystem::path m_file;
  std::filesystem::path m_target;
  TiffTileTable m_table;
  JobQueue& m_queue;
  int m_fd = -1;
  int m_pixelBytes = 0;
  bool m_zstd = false;
  std::mutex m_mutex;  // guards what follows
  std::deque<std::unique_ptr<Tile>> m_tiles;  // queued, in the order their rows came
  std::vector<std::vector<std::uint64_t>> m_offsets;  // per image, per tile
  std::vector<std::vector<std::uint64_t>> m_sizes;
  std::uint64_t m_end = 0;  // where the next tile goes
  std::vector<Buffer> m_spare;  // tile buffers to reuse
  std::condition_variable m_appended;  // every queued tile was appended
};

}  // namespace geih::geo
