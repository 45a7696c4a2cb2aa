#include "core/geo/tile_row_writer.h"

#include <algorithm>
#include <cstring>

#include "core/common/error.h"

namespace geih::geo {

TileRowWriter::TileRowWriter(GDALRasterBand* band, GDALDataType type, std::filesystem::path target)
    : m_band(band), m_type(type), m_target(std::move(target)) {
  int tileWidth = 0;
  band->GetBlockSize(&tileWidth, &m_tileHeight);
  m_tileHeight = std::max(1, m_tileHeight);
  m_width = band->GetXSize();
  m_height = band->GetYSize();
  m_rowBytes = std::size_t(m_width) * std::size_t(GDALGetDataTypeSizeBytes(type));
}

void TileRowWriter::write(int row, int rows, const void* values) {
  if (m_band->RasterIO(GF_Write, 0, row, m_width, rows, const_cast<void*>(values), m_width, rows, m_type, 0,
                       0) != CE_None) {
    throw IoError("cannot write '" + m_target.string() + "': " + CPLGetLastErrorMsg());
  }
}

void TileRowWriter::add(int row, int rows, const void* values) {
  if (m_count > 0 && row != m_first + m_count) flush();
  const auto* from = static_cast<const std::byte*>(values);
  while (rows > 0) {
    const bool lastRows = row + rows >= m_height;
    if (m_count == 0 && row % m_tileHeight == 0 && (rows >= m_tileHeight || lastRows)) {
      const int whole = lastRows ? rows : rows / m_tileHeight * m_tileHeight;
      write(row, whole, from);
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
  write(m_first, m_count, m_waiting.data());
  m_count = 0;
}

}  // namespace geih::geo
