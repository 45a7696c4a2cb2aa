#include "core/geo/tile_row_writer.h"

#include <algorithm>
#include <cstring>

namespace geih::geo {

TileRowWriter::TileRowWriter(int width, int height, int tileHeight, std::size_t pixelBytes, Sink sink)
    : m_sink(std::move(sink)),
      m_height(height),
      m_tileHeight(std::max(1, tileHeight)),
      m_rowBytes(std::size_t(width) * pixelBytes) {}

void TileRowWriter::add(int row, int rows, const void* values) {
  if (m_count > 0 && row != m_first + m_count) flush();
  const auto* from = static_cast<const std::byte*>(values);
  while (rows > 0) {
    const bool lastRows = row + rows >= m_height;
    if (m_count == 0 && row % m_tileHeight == 0 && (rows >= m_tileHeight || lastRows)) {
      const int whole = lastRows ? rows : rows / m_tileHeight * m_tileHeight;
      m_sink(row, whole, from);
      row += whole;
      rows -= whole;
      from += std::size_t(whole) * m_rowBytes;
      continue;
    }
    if (m_count == 0) {
      m_first = row;
      m_waiting.resize(std::size_t(m_tileHeight) * m_rowBytes);
    }
    const int take = std::min(rows, m_tileHeight - row % m_tileHeight);
    std::memcpy(m_waiting.data() + std::size_t(m_count) * m_rowBytes, from, std::size_t(take) * m_rowBytes);
    m_count += take;
    row += take;
    rows -= take;
    from += std::size_t(take) * m_rowBytes;
    if (row % m_tileHeight == 0 || row >= m_height) flush();
  }
}

void TileRowWriter::flush() {
  if (m_count == 0) return;
  m_sink(m_first, m_count, m_waiting.data());
  m_count = 0;
}

}  // namespace geih::geo
