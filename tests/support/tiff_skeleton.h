// Tiled GeoTIFFs laid out by GDAL for tests of tiff_tile_table.h and direct_tile_writer.h:
// a skeleton (SPARSE_OK=TRUE, every block absent, empty internal overviews from
// BuildOverviews("NONE")), as GeoTiffOutput makes before its direct tile writer fills it, or a
// filled file (every block written, overviews averaged) whose block offsets GDAL reports.
// Also GDAL's view of each image (full resolution, then its overviews) to check a table against.
#pragma once

#include <gdal_priv.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace geih::testing {

struct TiffSpec {
  int width = 1000;
  int height = 700;
  int bands = 1;
  GDALDataType type = GDT_Float32;
  std::vector<std::string> options;  // GDAL creation options, e.g. "TILED=YES"
  std::vector<int> overviews;        // factors, e.g. {2, 4}
  bool fill = false;                 // write every block (else SPARSE_OK is up to `options`)
  std::optional<double> nodata;      // every band's nodata value, if any
};

// Byte value of a filled file's pixel: differs between neighbours and bands.
inline std::uint8_t filledByte(int band, int row, int col) {
  return std::uint8_t((band * 37 + row * 3 + col * 7) % 251);
}
// Float value of a filled file's pixel.
inline float filledFloat(int band, int row, int col) { return float(band * 1000000 + row * 1000 + col) + 0.5f; }

inline void makeTiff(const std::filesystem::path& path, const TiffSpec& spec) {
  GDALAllRegister();
  GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GTiff");
  if (!driver) throw std::runtime_error("no GTiff driver");
  char** options = nullptr;
  for (const std::string& option : spec.options) options = CSLAddString(options, option.c_str());
  GDALDataset* dataset = driver->Create(path.c_str(), spec.width, spec.height, spec.bands, spec.type, options);
  CSLDestroy(options);
  if (!dataset) throw std::runtime_error("cannot create " + path.string() + ": " + CPLGetLastErrorMsg());
  const double transform[6] = {500000, 30, 0, 4500000, 0, -30};
  dataset->SetGeoTransform(const_cast<double*>(transform));
  bool ok = true;
  for (int b = 0; spec.nodata && b < spec.bands; ++b) {
    ok = ok && dataset->GetRasterBand(b + 1)->SetNoDataValue(*spec.nodata) == CE_None;
  }
  if (spec.fill) {
    const std::size_t pixels = std::size_t(spec.width) * std::size_t(spec.height);
    for (int b = 0; b < spec.bands; ++b) {
      std::vector<float> floats(spec.type == GDT_Float32 ? pixels : 0);
      std::vector<std::uint8_t> bytes(spec.type == GDT_Byte ? pixels : 0);
      for (int r = 0; r < spec.height; ++r) {
        for (int c = 0; c < spec.width; ++c) {
          const std::size_t at = std::size_t(r) * std::size_t(spec.width) + std::size_t(c);
          if (!floats.empty()) floats[at] = filledFloat(b, r, c);
          if (!bytes.empty()) bytes[at] = filledByte(b, r, c);
        }
      }
      void* data = floats.empty() ? static_cast<void*>(bytes.data()) : static_cast<void*>(floats.data());
      ok = ok && dataset->GetRasterBand(b + 1)->RasterIO(GF_Write, 0, 0, spec.width, spec.height, data, spec.width,
                                                         spec.height, spec.type, 0, 0, nullptr) == CE_None;
    }
  }
  if (ok && !spec.overviews.empty()) {
    ok = dataset->BuildOverviews(spec.fill ? "AVERAGE" : "NONE", int(spec.overviews.size()), spec.overviews.data(), 0,
                                 nullptr, nullptr, nullptr) == CE_None;
  }
  const std::string error = CPLGetLastErrorMsg();
  GDALClose(dataset);
  if (!ok) throw std::runtime_error("cannot lay out " + path.string() + ": " + error);
}

// A skeleton: tiled, SPARSE_OK, with the given compression and extra options; bands interleaved
// by band unless the options say otherwise.
inline TiffSpec skeletonSpec(int width, int height, int bands, GDALDataType type, const std::string& compress,
                             std::vector<int> overviews, std::vector<std::string> extraOptions = {}) {
  TiffSpec spec;
  spec.width = width;
  spec.height = height;
  spec.bands = bands;
  spec.type = type;
  spec.overviews = std::move(overviews);
  spec.options = {"TILED=YES", "SPARSE_OK=TRUE", "COMPRESS=" + compress};
  bool interleave = false;
  for (std::string& option : extraOptions) {
    interleave = interleave || option.rfind("INTERLEAVE=", 0) == 0;
    spec.options.push_back(std::move(option));
  }
  if (bands > 1 && !interleave) spec.options.push_back("INTERLEAVE=BAND");
  return spec;
}

inline void makeSkeleton(const std::filesystem::path& path, int width, int height, int bands, GDALDataType type,
                         const std::string& compress, std::vector<int> overviews,
                         std::vector<std::string> extraOptions = {}) {
  makeTiff(path, skeletonSpec(width, height, bands, type, compress, std::move(overviews), std::move(extraOptions)));
}

// GDAL's view of one image of a file: band 1 of the dataset or of one of its overviews.
struct GdalImage {
  int width = 0;
  int height = 0;
  int blockWidth = 0;
  int blockHeight = 0;
};

// The full-resolution image, then the overviews in GDAL's order (largest first).
inline std::vector<GdalImage> gdalImages(const std::filesystem::path& path) {
  GDALAllRegister();
  GDALDataset* dataset = GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY);
  if (!dataset) throw std::runtime_error("cannot open " + path.string());
  std::vector<GdalImage> images;
  GDALRasterBand* band = dataset->GetRasterBand(1);
  for (int level = 0; level <= band->GetOverviewCount(); ++level) {
    GDALRasterBand* raster = level == 0 ? band : band->GetOverview(level - 1);
    GdalImage image;
    image.width = raster->GetXSize();
    image.height = raster->GetYSize();
    raster->GetBlockSize(&image.blockWidth, &image.blockHeight);
    images.push_back(image);
  }
  GDALClose(dataset);
  return images;
}

}  // namespace geih::testing
