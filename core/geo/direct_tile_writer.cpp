#include "core/geo/direct_tile_writer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <string>

#include "core/common/error.h"

namespace geih::geo {

namespace {

constexpr int kTiffNoCompression = 1;
constexpr int kTiffZstd = 50000;
constexpr int kZstdLevel = 1;  // GDAL's ZSTD_LEVEL=1: the level geotiff_output.h chose
// Raw tile bytes queued before the writing thread helps compress: bounds the memory held.
constexpr std::size_t kQueuedBytesBound = std::size_t(32) << 20;
constexpr std::size_t kSpareBuffers = 32;

struct ZstdContext {
  ZSTD_CCtx* context = ZSTD_createCCtx();
  ~ZstdContext() { ZSTD_freeCCtx(context); }
};

}  // namespace

DirectTileWriter::DirectTileWriter(std::filesystem::path file, std::filesystem::path target,
                                   TiffTileTable table, JobQueue& queue)
    : m_file(std::move(file)), m_target(std::move(target)), m_table(std::move(table)), m_queue(queue) {
  const TiffImage& first = m_table.images.front();
  for (const TiffImage& image : m_table.images) {
    if ((image.compression != kTiffNoCompression && image.compression != kTiffZstd) || image.predictor != 1) {
      throw IoError("cannot write the tiles of '" + m_target.string() + "' directly: compression " +
                    std::to_string(image.compression) + ", predictor " + std::to_string(image.predictor));
    }
    if (image.bitsPerSample != first.bitsPerSample || image.bitsPerSample % 8 != 0) {
      throw IoError("cannot write the tiles of '" + m_target.string() + "' directly: " +
                    std::to_string(image.bitsPerSample) + "-bit samples");
    }
    m_offsets.emplace_back(image.tileOffsets.count, 0);
    m_sizes.emplace_back(image.tileByteCounts.count, 0);
  }
  m_zstd = first.compression == kTiffZstd;
  m_pixelBytes = first.bitsPerSample / 8;
  m_fd = ::open(m_file.c_str(), O_RDWR | O_CLOEXEC);
  struct stat info {};
  if (m_fd < 0 || ::fstat(m_fd, &info) != 0) {
    const std::string why = std::strerror(errno);
    if (m_fd >= 0) ::close(m_fd);
    throw IoError("cannot open '" + m_target.string() + "' for writing: " + why);
  }
  m_end = std::uint64_t(info.st_size);
}

DirectTileWriter::~DirectTileWriter() {
  m_queue.finishQuietly();  // no job may still use this writer
  if (m_fd >= 0) ::close(m_fd);
}

DirectTileWriter::Buffer DirectTileWriter::takeBuffer(std::size_t bytes) {
  Buffer buffer;
  {
    std::lock_guard lock(m_mutex);
    // The last spare big enough; spares are all about a tile's size.
    for (auto spare = m_spare.rbegin(); spare != m_spare.rend(); ++spare) {
      if (spare->capacity >= bytes) {
        buffer = std::move(*spare);
        m_spare.erase(std::next(spare).base());
        break;
      }
    }
  }
  if (buffer.capacity < bytes) {
    buffer.data.reset(new std::byte[bytes]);
    buffer.capacity = bytes;
  }
  buffer.size = bytes;
  return buffer;
}

void DirectTileWriter::writeRows(int image, int band, int row, int rows, const void* values) {
  const TiffImage& layout = m_table.images.at(std::size_t(image));
  if (row < 0 || rows <= 0 || row % layout.tileHeight != 0 || row + rows > layout.height ||
      (rows % layout.tileHeight != 0 && row + rows != layout.height) || band < 0 || band >= layout.bands) {
    throw std::logic_error("DirectTileWriter: rows " + std::to_string(row) + "+" + std::to_string(rows) +
                           " of band " + std::to_string(band) + " are not whole rows of tiles");
  }
  const std::size_t rowBytes = std::size_t(layout.width) * std::size_t(m_pixelBytes);
  const std::size_t tileRowBytes = std::size_t(layout.tileWidth) * std::size_t(m_pixelBytes);
  const std::size_t tileBytes = tileRowBytes * std::size_t(layout.tileHeight);
  const auto* source = static_cast<const std::byte*>(values);
  for (int top = row; top < row + rows; top += layout.tileHeight) {
    const int height = std::min(layout.tileHeight, row + rows - top);
    for (int column = 0; column < layout.tilesAcross(); ++column) {
      auto queued = std::make_unique<Tile>();
      Tile& tile = *queued;
      tile.image = image;
      tile.index = layout.tileIndex(band, top / layout.tileHeight, column);
      tile.bytes = takeBuffer(tileBytes);
      // Edge tiles are padded with zeros: readers never show what lies outside the image.
      const int left = column * layout.tileWidth;
      const std::size_t used = std::size_t(std::min(layout.tileWidth, layout.width - left)) * std::size_t(m_pixelBytes);
      for (int r = 0; r < layout.tileHeight; ++r) {
        std::byte* to = tile.bytes.data.get() + std::size_t(r) * tileRowBytes;
        if (r < height) {
          std::memcpy(to, source + std::size_t(top - row + r) * rowBytes + std::size_t(left) * std::size_t(m_pixelBytes), used);
          std::memset(to + used, 0, tileRowBytes - used);
        } else {
          std::memset(to, 0, tileRowBytes);
        }
      }
      {
        std::lock_guard lock(m_mutex);
        m_tiles.push_back(std::move(queued));
      }
      m_queue.push(
          [this, &tile] {
            encode(tile);
            completed(tile);
          },
          tileBytes);
      // Per tile, so that a wide raster's row of tiles never waits whole in memory.
      m_queue.helpWhileAbove(kQueuedBytesBound);
    }
  }
}

void DirectTileWriter::encode(Tile& tile) {
  if (!m_zstd) return;
  thread_local ZstdContext zstd;
  Buffer packed = takeBuffer(ZSTD_compressBound(tile.bytes.size));
  const std::size_t size = ZSTD_compressCCtx(zstd.context, packed.data.get(), packed.size, tile.bytes.data.get(),
                                             tile.bytes.size, kZstdLevel);
  if (ZSTD_isError(size)) {
    throw IoError("cannot compress a tile of '" + m_target.string() + "': " + ZSTD_getErrorName(size));
  }
  packed.size = size;
  std::swap(tile.bytes, packed);
  std::lock_guard lock(m_mutex);
  giveBack(std::move(packed));
}

// Called with m_mutex held.
void DirectTileWriter::giveBack(Buffer buffer) {
  if (m_spare.size() < kSpareBuffers) m_spare.push_back(std::move(buffer));
}

void DirectTileWriter::completed(Tile& tile) {
  std::lock_guard lock(m_mutex);
  tile.done = true;
  while (!m_tiles.empty() && m_tiles.front()->done) {
    append(*m_tiles.front());
    m_tiles.pop_front();
  }
  if (m_tiles.empty()) m_appended.notify_all();
}

// Called with m_mutex held: one thread appends at a time, tiles in the order they were queued.
void DirectTileWriter::append(Tile& tile) {
  writeAt(m_fd, m_target, tile.bytes.data.get(), tile.bytes.size, m_end);
  m_offsets[std::size_t(tile.image)][tile.index] = m_end;
  m_sizes[std::size_t(tile.image)][tile.index] = tile.bytes.size;
  m_end += tile.bytes.size;
  giveBack(std::move(tile.bytes));
}

void DirectTileWriter::finish(bool everyTile) {
  // This file's tiles only (the queue may hold another file's): helping while there are jobs,
  // else waiting for the last ones to be appended.
  for (;;) {
    m_queue.rethrowFailure();
    {
      std::unique_lock lock(m_mutex);
      if (m_tiles.empty()) break;
    }
    if (m_queue.runOne()) continue;
    std::unique_lock lock(m_mutex);
    m_appended.wait_for(lock, std::chrono::milliseconds(2), [this] { return m_tiles.empty(); });
  }
  for (std::size_t i = 0; i < m_table.images.size(); ++i) {
    const auto missing = std::find(m_sizes[i].begin(), m_sizes[i].end(), 0);
    if (everyTile && missing != m_sizes[i].end()) {
      throw IoError("'" + m_target.string() + "': tile " + std::to_string(missing - m_sizes[i].begin()) +
                    " of image " + std::to_string(i + 1) + " was never written");
    }
    writeTiffArray(m_fd, m_target, m_table.images[i].tileOffsets, m_offsets[i]);
    writeTiffArray(m_fd, m_target, m_table.images[i].tileByteCounts, m_sizes[i]);
  }
  m_spare.clear();
  const int fd = m_fd;
  m_fd = -1;
  if (::close(fd) != 0) throw IoError("cannot write '" + m_target.string() + "': " + std::strerror(errno));
}

}  // namespace geih::geo
