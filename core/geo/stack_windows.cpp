#include "core/geo/stack_windows.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/common/error.h"

namespace geih::geo {

namespace {

constexpr int kMinWindowRows = 64;
constexpr int kMinWindowColumns = 128;
// A reader's window buffers stay below this many bytes, whatever the band count and width.
constexpr std::int64_t kMaxWindowBytes = std::int64_t(64) << 20;

int roundUpTo(int value, int step) { return (value + step - 1) / step * step; }

}  // namespace

struct StackWindows::Direct {
  int fd = -1;
  std::vector<FileBlocks> blocks;               // per band read
  mutable std::vector<std::vector<float>> scratch;  // per reader: a pixel-interleaved block
  ~Direct() {
    if (fd >= 0) ::close(fd);
  }
};

StackWindows::StackWindows(const RasterStack& stack, std::vector<int> bands, std::vector<char> asDoubles,
                           int readers, bool allowDirect)
    : m_stack(stack), m_bands(std::move(bands)), m_asDoubles(std::move(asDoubles)) {
  readers = std::max(1, readers);
  const Grid& grid = stack.grid();
  const auto [blockWidth, blockHeight] = stack.blockSize();
  const bool tiled = blockWidth < grid.width;
  m_width = !tiled ? grid.width
            : blockWidth >= kMinWindowColumns ? blockWidth
                                              : std::min(grid.width, roundUpTo(kMinWindowColumns, blockWidth));
  m_height = blockHeight >= kMinWindowRows ? blockHeight : roundUpTo(kMinWindowRows, blockHeight);
  std::int64_t bytesPerPixel = 0;
  for (const char asDouble : m_asDoubles) bytesPerPixel += asDouble ? 8 : 4;
  const std::int64_t maxPixels = kMaxWindowBytes / std::max<std::int64_t>(1, bytesPerPixel);
  if (std::int64_t(m_width) * m_height > maxPixels) {
    m_height = int(std::max<std::int64_t>(1, maxPixels / m_width));
  }
  m_across = (grid.width + m_width - 1) / m_width;
  m_down = (grid.height + m_height - 1) / m_height;

  // Direct reads need windows made of whole blocks laid out as the window is: one tile, or whole
  // strips, the same for every band.
  const bool aligned = tiled ? m_width == blockWidth && m_height == blockHeight : m_height % blockHeight == 0;
  if (allowDirect && aligned && std::find(m_asDoubles.begin(), m_asDoubles.end(), 1) == m_asDoubles.end()) {
    std::optional<std::vector<FileBlocks>> blocks = stack.fileBlocks(m_bands);
    const bool usable = blocks && std::all_of(blocks->begin(), blocks->end(), [&](const FileBlocks& layout) {
      return layout.blockWidth == blockWidth && layout.blockHeight == blockHeight;
    });
    const int fd = usable ? ::open(stack.path().c_str(), O_RDONLY | O_CLOEXEC) : -1;
    if (fd >= 0) {
      m_directState = std::make_unique<Direct>();
      m_directState->fd = fd;
      m_directState->blocks = std::move(*blocks);
      m_directState->scratch.resize(std::size_t(readers));
      return;
    }
  }
  for (int r = 1; r < readers; ++r) m_extraHandles.push_back(RasterStack::open(stack.path(), stack.bandNames()));
}

StackWindows::~StackWindows() = default;

PixelRect StackWindows::window(int column, int row) const {
  const Grid& grid = m_stack.grid();
  PixelRect rect;
  rect.x = column * m_width;
  rect.y = row * m_height;
  rect.width = std::min(m_width, grid.width - rect.x);
  rect.height = std::min(m_height, grid.height - rect.y);
  return rect;
}

void StackWindows::read(int reader, int column, int row, float* const* floats, double* const* doubles) const {
  if (m_directState) {
    readDirect(reader, column, row, floats);
    return;
  }
  const RasterStack& handle = reader == 0 ? m_stack : m_extraHandles.at(std::size_t(reader - 1));
  const PixelRect rect = window(column, row);
  for (std::size_t i = 0; i < m_bands.size(); ++i) {
    if (m_asDoubles[i]) {
      handle.readRect(m_bands[i], rect.x, rect.y, rect.width, rect.height, doubles[i], std::size_t(m_width));
    } else {
      handle.readRect(m_bands[i], rect.x, rect.y, rect.width, rect.height, floats[i], std::size_t(m_width));
    }
  }
}

namespace {

void readExactly(int fd, void* into, std::uint64_t bytes, std::uint64_t offset, const std::filesystem::path& path) {
  auto* out = static_cast<char*>(into);
  while (bytes > 0) {
    const ssize_t got = ::pread(fd, out, bytes, off_t(offset));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) {
      throw IoError("cannot read " + std::to_string(bytes) + " bytes at offset " + std::to_string(offset) +
                    " of '" + path.string() + "': " + (got < 0 ? std::strerror(errno) : "the file ends there"));
    }
    out += got;
    offset += std::uint64_t(got);
    bytes -= std::uint64_t(got);
  }
}

}  // namespace

void StackWindows::readDirect(int reader, int column, int row, float* const* floats) const {
  const std::vector<FileBlocks>& bands = m_directState->blocks;
  const FileBlocks& layout = bands.front();
  // A window is one tile, or `perWindow` strips stacked.
  const bool tiled = layout.blockWidth < m_stack.grid().width;
  const int perWindow = tiled ? 1 : m_height / layout.blockHeight;
  const int firstStrip = row * perWindow;
  const int blockCount = tiled ? 1 : std::min(perWindow, layout.blocksDown - firstStrip);
  for (int j = 0; j < blockCount; ++j) {
    const std::size_t block =
        tiled ? std::size_t(row) * std::size_t(layout.blocksAcross) + std::size_t(column) : std::size_t(firstStrip + j);
    const std::size_t into = std::size_t(j) * std::size_t(layout.blockHeight) * std::size_t(m_width);
    if (layout.valuesPerPixel == 1) {
      for (std::size_t i = 0; i < bands.size(); ++i) {
        readExactly(m_directState->fd, floats[i] + into, bands[i].bytes[block], bands[i].offsets[block],
                    m_stack.path());
      }
      continue;
    }
    // Pixel interleave: the block holds every band; read once, then pick each band's values.
    std::vector<float>& scratch = m_directState->scratch.at(std::size_t(reader));
    const std::uint64_t bytes = layout.bytes[block];
    scratch.resize(bytes / sizeof(float));
    readExactly(m_directState->fd, scratch.data(), bytes, layout.offsets[block], m_stack.path());
    const std::size_t stride = std::size_t(layout.valuesPerPixel);
    const std::size_t pixels = scratch.size() / stride;
    for (std::size_t i = 0; i < bands.size(); ++i) {
      const float* from = scratch.data() + bands[i].valueIndex;
      float* to = floats[i] + into;
      for (std::size_t p = 0; p < pixels; ++p) to[p] = from[p * stride];
    }
  }
}

}  // namespace geih::geo
