#include "core/geo/tiff_tile_table.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstring>
#include <limits>
#include <set>
#include <string>

#include "core/common/error.h"

namespace geih::geo {

namespace {

enum Tag : std::uint16_t {
  kImageWidth = 256,
  kImageLength = 257,
  kBitsPerSample = 258,
  kCompression = 259,
  kSamplesPerPixel = 277,
  kPlanarConfiguration = 284,
  kPredictor = 317,
  kTileWidth = 322,
  kTileLength = 323,
  kTileOffsets = 324,
  kTileByteCounts = 325,
  kSampleFormat = 339,
};

int typeBytes(std::uint16_t type) {
  switch (type) {
    case 1: case 2: case 6: case 7: return 1;   // BYTE, ASCII, SBYTE, UNDEFINED
    case 3: case 8: return 2;                   // SHORT, SSHORT
    case 4: case 9: case 11: case 13: return 4;  // LONG, SLONG, FLOAT, IFD
    case 5: case 10: case 12: case 16: case 17: case 18: return 8;  // RATIONAL..., LONG8, SLONG8, IFD8
    default: return 0;
  }
}

class Reader {
 public:
  explicit Reader(const std::filesystem::path& path) : m_path(path) {
    m_fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (m_fd < 0) fail("cannot open it: " + std::string(std::strerror(errno)));
  }
  ~Reader() { ::close(m_fd); }
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  void read(std::uint64_t offset, void* into, std::size_t bytes) const {
    const ssize_t got = ::pread(m_fd, into, bytes, off_t(offset));
    if (got != ssize_t(bytes)) fail("the file ends inside its TIFF directory (at byte " + std::to_string(offset) + ")");
  }
  // Little-endian unsigned integer of `bytes` bytes.
  std::uint64_t number(std::uint64_t offset, int bytes) const {
    unsigned char raw[8] = {};
    read(offset, raw, std::size_t(bytes));
    std::uint64_t value = 0;
    for (int i = bytes - 1; i >= 0; --i) value = (value << 8) | raw[i];
    return value;
  }
  [[noreturn]] void fail(const std::string& why) const {
    throw IoError("'" + m_path.string() + "' is not a tiled TIFF this writer can fill: " + why);
  }

 private:
  std::filesystem::path m_path;
  int m_fd = -1;
};

}  // namespace

TiffTileTable readTiffTileTable(const std::filesystem::path& path) {
  const Reader file(path);
  TiffTileTable table;
  if (file.number(0, 2) != 0x4949) file.fail("not a little-endian TIFF");
  const std::uint64_t version = file.number(2, 2);
  if (version == 43) {
    table.bigTiff = true;
  } else if (version != 42) {
    file.fail("not a TIFF (version " + std::to_string(version) + ")");
  }
  const int offsetBytes = table.bigTiff ? 8 : 4;
  const int countBytes = table.bigTiff ? 8 : 2;
  const int entryBytes = table.bigTiff ? 20 : 12;
  std::uint64_t ifd = table.bigTiff ? file.number(8, 8) : file.number(4, 4);
  std::set<std::uint64_t> seen;
  while (ifd != 0) {
    if (!seen.insert(ifd).second) file.fail("its directories form a loop");
    TiffImage image;
    const std::uint64_t entries = file.number(ifd, countBytes);
    bool hasOffsets = false;
    bool hasCounts = false;
    int planar = 1;
    for (std::uint64_t e = 0; e < entries; ++e) {
      const std::uint64_t at = ifd + std::uint64_t(countBytes) + e * std::uint64_t(entryBytes);
      const auto tag = std::uint16_t(file.number(at, 2));
      const auto type = std::uint16_t(file.number(at + 2, 2));
      const std::uint64_t count = file.number(at + 4, table.bigTiff ? 8 : 4);
      const std::uint64_t valueAt = at + (table.bigTiff ? 12 : 8);
      const int elementBytes = typeBytes(type);
      const bool inline_ = elementBytes > 0 && count * std::uint64_t(elementBytes) <= std::uint64_t(offsetBytes);
      const std::uint64_t dataAt = inline_ ? valueAt : file.number(valueAt, offsetBytes);
      const auto scalar = [&]() -> std::uint64_t {
        if (elementBytes == 0 || elementBytes > 8 || count == 0) file.fail("tag " + std::to_string(tag) + " has no value");
        return file.number(dataAt, elementBytes);
      };
      const auto array = [&]() {
        if (type != 3 && type != 4 && type != 16) {
          file.fail("tag " + std::to_string(tag) + " is not an array of integers");
        }
        return TiffArray{dataAt, elementBytes, count};
      };
      switch (tag) {
        case kImageWidth: image.width = int(scalar()); break;
        case kImageLength: image.height = int(scalar()); break;
        case kBitsPerSample: image.bitsPerSample = int(scalar()); break;
        case kCompression: image.compression = int(scalar()); break;
        case kSamplesPerPixel: image.bands = int(scalar()); break;
        case kPlanarConfiguration: planar = int(scalar()); break;
        case kPredictor: image.predictor = int(scalar()); break;
        case kTileWidth: image.tileWidth = int(scalar()); break;
        case kTileLength: image.tileHeight = int(scalar()); break;
        case kSampleFormat: image.sampleFormat = int(scalar()); break;
        case kTileOffsets: image.tileOffsets = array(); hasOffsets = true; break;
        case kTileByteCounts: image.tileByteCounts = array(); hasCounts = true; break;
        default: break;
      }
    }
    const std::string which = "image " + std::to_string(table.images.size() + 1);
    if (!hasOffsets || !hasCounts || image.tileWidth <= 0 || image.tileHeight <= 0) file.fail(which + " is not tiled");
    if (image.width <= 0 || image.height <= 0) file.fail(which + " has no size");
    if (image.bands > 1 && planar != 2) file.fail(which + " interleaves its bands by pixel");
    const std::uint64_t tiles = std::uint64_t(image.tilesAcross()) * std::uint64_t(image.tilesDown()) *
                                std::uint64_t(image.bands);
    if (image.tileOffsets.count != tiles || image.tileByteCounts.count != tiles) {
      file.fail(which + " lists " + std::to_string(image.tileOffsets.count) + " tiles, its size makes " +
                std::to_string(tiles));
    }
    table.images.push_back(image);
    ifd = file.number(ifd + std::uint64_t(countBytes) + entries * std::uint64_t(entryBytes), offsetBytes);
  }
  if (table.images.empty()) file.fail("it has no image");
  return table;
}

void writeAt(int fd, const std::filesystem::path& path, const void* bytes, std::size_t size, std::uint64_t offset) {
  const auto* from = static_cast<const unsigned char*>(bytes);
  std::size_t written = 0;
  while (written < size) {
    const ssize_t n = ::pwrite(fd, from + written, size - written, off_t(offset + written));
    if (n <= 0) {
      throw IoError("cannot write '" + path.string() + "': " +
                    (n < 0 ? std::string(std::strerror(errno)) : std::string("nothing written (disk full?)")));
    }
    written += std::size_t(n);
  }
}

void writeTiffArray(int fd, const std::filesystem::path& path, const TiffArray& array,
                    const std::vector<std::uint64_t>& values) {
  if (values.size() != array.count) {
    throw IoError("cannot write the tile table of '" + path.string() + "': " + std::to_string(values.size()) +
                  " values for " + std::to_string(array.count) + " tiles");
  }
  const std::uint64_t largest =
      array.elementBytes >= 8 ? std::numeric_limits<std::uint64_t>::max() : (std::uint64_t(1) << (8 * array.elementBytes)) - 1;
  std::vector<unsigned char> bytes(values.size() * std::size_t(array.elementBytes));
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (values[i] > largest) {
      throw IoError("'" + path.string() + "' outgrew its TIFF tile table (a tile at byte " + std::to_string(values[i]) +
                    "; a classic TIFF ends at 4 GB): write it as BigTIFF");
    }
    for (int b = 0; b < array.elementBytes; ++b) {
      bytes[i * std::size_t(array.elementBytes) + std::size_t(b)] = static_cast<unsigned char>(values[i] >> (8 * b));
    }
  }
  writeAt(fd, path, bytes.data(), bytes.size(), array.position);
}

}  // namespace geih::geo
