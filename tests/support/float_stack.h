// Float32 GeoTIFF stacks in a chosen file layout (tiles or strips, band or pixel interleave,
// compression, byte order, sparse blocks), written through GDAL for tests of the readers.
// Band b's pixel (row, col) holds floatStackValue(b, row, col) unless the spec gives another
// function: exact in float32 and different for every band and pixel, so a value read back tells
// where it came from.
#pragma once

#include <gdal_priv.h>

#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace geih::testing {

inline float floatStackValue(int band, int row, int col) {
  return float(band * 100000 + row * 300 + col) + 0.25f;
}

struct FloatStackSpec {
  int width = 300;
  int height = 200;
  int bands = 3;
  std::vector<std::string> names;         // band descriptions; empty: none
  std::vector<std::string> options;       // GDAL creation options, e.g. "TILED=YES"
  // Pixels set to `nodata` (every band), and the band nodata value, when `nodata` is set.
  std::vector<std::pair<int, int>> nodataPixels;
  double nodata = -9999.0;
  bool hasNodata = false;
  // A block (column, row of blocks) never written: with SPARSE_OK=TRUE the file lacks it.
  int skipBlockX = -1;
  int skipBlockY = -1;
  std::function<float(int band, int row, int col)> value = floatStackValue;
};

inline void writeFloatStack(const std::string& path, const FloatStackSpec& spec) {
  GDALAllRegister();
  GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GTiff");
  char** options = nullptr;
  for (const std::string& option : spec.options) options = CSLAddString(options, option.c_str());
  GDALDataset* dataset = driver->Create(path.c_str(), spec.width, spec.height, spec.bands, GDT_Float32, options);
  CSLDestroy(options);
  if (!dataset) throw std::runtime_error("cannot create " + path);
  const double transform[6] = {288000, 30, 0, 9120000, 0, -30};
  dataset->SetGeoTransform(const_cast<double*>(transform));
  for (int b = 0; b < spec.bands; ++b) {
    GDALRasterBand* band = dataset->GetRasterBand(b + 1);
    if (b < int(spec.names.size())) band->SetDescription(spec.names[std::size_t(b)].c_str());
    if (spec.hasNodata) band->SetNoDataValue(spec.nodata);
    int blockWidth = 0, blockHeight = 0;
    band->GetBlockSize(&blockWidth, &blockHeight);
    std::vector<float> values(std::size_t(spec.width) * std::size_t(spec.height));
    for (int r = 0; r < spec.height; ++r) {
      for (int c = 0; c < spec.width; ++c) values[std::size_t(r * spec.width + c)] = spec.value(b, r, c);
    }
    for (const auto& [r, c] : spec.nodataPixels) values[std::size_t(r * spec.width + c)] = float(spec.nodata);
    // Block by block, so that one block can be left out.
    for (int y = 0; y < spec.height; y += blockHeight) {
      for (int x = 0; x < spec.width; x += blockWidth) {
        if (x / blockWidth == spec.skipBlockX && y / blockHeight == spec.skipBlockY) continue;
        const int w = std::min(blockWidth, spec.width - x);
        const int h = std::min(blockHeight, spec.height - y);
        if (band->RasterIO(GF_Write, x, y, w, h, values.data() + std::size_t(y) * std::size_t(spec.width) + std::size_t(x),
                           w, h, GDT_Float32, sizeof(float), GSpacing(spec.width) * GSpacing(sizeof(float))) != CE_None) {
          throw std::runtime_error("cannot write " + path);
        }
      }
    }
  }
  GDALClose(GDALDataset::ToHandle(dataset));
}

}  // namespace geih::testing
