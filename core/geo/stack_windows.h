// A raster stack read window by window, on several threads at once. The windows tile the raster;
// a row of windows is a strip. A window's values are laid out row by row, `width()` values apart
// (windows at the right and bottom edges hold fewer valid values than the layout has room for).
//
// Where the file allows it (RasterStack::fileBlocks: float32 bands of an uncompressed GeoTIFF in
// the machine's byte order), a window is made of whole blocks of the file, and their bytes are
// read with pread straight into the caller's buffer: no GDAL block cache, no second copy, every
// reader at once. Any other raster is read through GDAL, one dataset handle per reader, so readers
// decode (decompress) in parallel too.
#pragma once

#include <memory>
#include <vector>

#include "core/geo/raster_stack.h"

namespace geih::geo {

struct PixelRect {
  int x = 0;
  int y = 0;
  int width = 0;
  int height = 0;
};

class StackWindows {
 public:
  // `bands`: the 0-based bands to read, in the order the caller's buffers come; `asDoubles[i]`:
  // band i is read as doubles (else floats). `readers`: how many threads read at once.
  // `allowDirect` false forces reads through GDAL (tests compare both).
  StackWindows(const RasterStack& stack, std::vector<int> bands, std::vector<char> asDoubles, int readers,
               bool allowDirect = true);
  ~StackWindows();
  StackWindows(const StackWindows&) = delete;
  StackWindows& operator=(const StackWindows&) = delete;

  int width() const { return m_width; }   // values between one row of a window and the next
  int height() const { return m_height; }
  int across() const { return m_across; }  // windows per strip
  int down() const { return m_down; }      // strips
  bool direct() const { return m_directState != nullptr; }
  const std::vector<int>& bands() const { return m_bands; }
  const std::vector<char>& asDoubles() const { return m_asDoubles; }
  // The pixels window (column, row) covers, clipped to the raster.
  PixelRect window(int column, int row) const;
  // Reads window (column, row) of every band into floats[i] or doubles[i] (width() * height()
  // values each; only the clipped rectangle is defined). Readers 0 .. readers-1 may call at once,
  // each with its own index. Throws IoError naming the file and block.
  void read(int reader, int column, int row, float* const* floats, double* const* doubles) const;

 private:
  void readDirect(int reader, int column, int row, float* const* floats) const;

  struct Direct;
  const RasterStack& m_stack;
  std::vector<int> m_bands;
  std::vector<char> m_asDoubles;
  int m_width = 0;
  int m_height = 0;
  int m_across = 0;
  int m_down = 0;
  std::unique_ptr<Direct> m_directState;  // set when reads go straight to the file
  std::vector<RasterStack> m_extraHandles;  // readers 1.. through GDAL
};

}  // namespace geih::geo
