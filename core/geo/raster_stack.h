// A raster opened read-only through GDAL (GeoTIFF, VRT, NetCDF, ...) as a stack of named bands on
// one grid. Band names come from the band descriptions, or are given (then there must be one per
// band). Reads go window by window so memory is bounded by the window, never by the raster.
// No GDAL type appears here; the handle lives behind the pimpl.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace geih::geo {

// Where a band's values lie in its file, for a band GDAL reads without decoding them: float32 in an
// uncompressed GeoTIFF written in the machine's byte order, with every block present. Lets a
// reader fetch a block's bytes itself (stack_windows.h), on any thread.
struct FileBlocks {
  int blockWidth = 0;   // the file's tiles; strips span the raster's width
  int blockHeight = 0;
  int blocksAcross = 0;
  int blocksDown = 0;
  int valuesPerPixel = 1;  // bands interleaved within a block (pixel interleave); 1 for band interleave
  int valueIndex = 0;      // this band's place among a pixel's values
  std::vector<std::uint64_t> offsets;  // per block, row-major: byte offset in the file
  std::vector<std::uint64_t> bytes;    // per block: byte count
};

struct Grid {
  int width = 0;
  int height = 0;
  std::array<double, 6> geoTransform{0, 1, 0, 0, 0, -1};  // GDAL's affine coefficients
  std::string projectionWkt;                               // empty when unknown
};

// True for NaN or a band's nodata value as readRows returns it (rounded through float, as the
// float reads carry it).
inline bool isNodataOrNan(double value, const std::optional<double>& nodata) {
  return value != value || (nodata && value == double(float(*nodata)));
}

class RasterStack {
 public:
  // Throws InputError naming the file when GDAL cannot open it, it has no bands, the names given
  // do not match the band count, or two bands share a name.
  static RasterStack open(const std::filesystem::path& path,
                          const std::vector<std::string>& bandNames = {});
  ~RasterStack();
  RasterStack(RasterStack&&) noexcept;
  RasterStack& operator=(RasterStack&&) noexcept;

  const std::filesystem::path& path() const;
  const Grid& grid() const;
  const std::vector<std::string>& bandNames() const;
  // 0-based index of the band called `name`, if any.
  std::optional<int> bandIndex(const std::string& name) const;
  std::optional<double> nodata(int band) const;
  // A categorical band's class names (code k is names[k]); empty for a continuous band.
  const std::vector<std::string>& categoryNames(int band) const;
  // The natural block height of the first band (rows per efficient read).
  int blockHeight() const;
  // The first band's block size: {width, height} in pixels.
  std::array<int, 2> blockSize() const;
  // The file layout of each of `bands` (same order) when all their values can be read straight
  // from the file; empty for any other raster (compressed, another format or data type, sparse
  // blocks, big-endian).
  std::optional<std::vector<FileBlocks>> fileBlocks(const std::vector<int>& bands) const;

  // Reads rows [row, row + rows) of band `band` (0-based) as doubles into `out` (width * rows).
  // Not thread-safe: one reader at a time.
  void readRows(int band, int row, int rows, double* out) const;
  // True when the band holds values a float cannot carry exactly (Float64, Int32/UInt32, ...).
  bool needsDoubles(int band) const;
  // The same as floats (half the memory traffic; exact for every band but needsDoubles()).
  void readRows(int band, int row, int rows, float* out) const;
  // Reads the `cols` x `rows` pixels at (col, row) into `out`, rows `lineStride` values apart.
  // Not thread-safe.
  void readRect(int band, int col, int row, int cols, int rows, float* out, std::size_t lineStride) const;
  void readRect(int band, int col, int row, int cols, int rows, double* out, std::size_t lineStride) const;

  // Reads the window of `cols` x `rows` source pixels at (col, row) — fractional, clipped by the
  // caller to the raster — resampled (nearest) to outWidth x outHeight floats. GDAL reads from the
  // overview closest to the output resolution, so a screen-sized view of a huge raster costs a
  // screen's worth of pixels. Not thread-safe: one reader per RasterStack.
  void readWindow(int band, double col, double row, double cols, double rows, int outWidth,
                  int outHeight, float* out) const;
  // RGBA entries of a band's colour table (empty when it has none).
  std::vector<std::array<std::uint8_t, 4>> colourTable(int band) const;
  int overviewCount() const;
  // The file's block compression as GDAL names it ("ZSTD", "DEFLATE"; "" when uncompressed).
  std::string compression() const;

 private:
  struct Impl;
  explicit RasterStack(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> m_impl;
};

// Writes a float64 stack as a tiled, DEFLATE-compressed GeoTIFF with band descriptions (for tests
// and the synthetic landscape). `bands[b]` holds width * height values, row-major.
// `categoryNames[b]`, when given and not empty, names the classes of band b (code k -> [k]).
void writeGeoTiff(const std::filesystem::path& path, const Grid& grid,
                  const std::vector<std::string>& names, const std::vector<std::vector<double>>& bands,
                  std::optional<double> nodata = std::nullopt,
                  const std::vector<std::vector<std::string>>& categoryNames = {});

// True when two WKT strings name the same CRS (both empty counts as the same).
bool sameCrs(const std::string& wktA, const std::string& wktB);

// A projection's WKT for an EPSG code (e.g. 31985 for SIRGAS 2000 / UTM 25S). InputError if unknown.
std::string wktForEpsg(int epsg);

}  // namespace geih::geo
