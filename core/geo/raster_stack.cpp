#include "core/geo/raster_stack.h"

#include <gdal_priv.h>
#include <ogr_spatialref.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <set>

#include "core/common/error.h"

namespace geih::geo {

namespace {

void registerDrivers() {
  static std::once_flag once;
  std::call_once(once, [] { GDALAllRegister(); });
}

struct DatasetCloser {
  void operator()(GDALDataset* dataset) const { GDALClose(GDALDataset::ToHandle(dataset)); }
};

}  // namespace

struct RasterStack::Impl {
  std::filesystem::path path;
  std::unique_ptr<GDALDataset, DatasetCloser> dataset;
  Grid grid;
  std::vector<std::string> names;
  std::vector<std::optional<double>> nodata;
  std::vector<std::vector<std::string>> categories;
};

RasterStack::RasterStack(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
RasterStack::~RasterStack() = default;
RasterStack::RasterStack(RasterStack&&) noexcept = default;
RasterStack& RasterStack::operator=(RasterStack&&) noexcept = default;

RasterStack RasterStack::open(const std::filesystem::path& path,
                              const std::vector<std::string>& bandNames) {
  registerDrivers();
  CPLErrorReset();
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->dataset.reset(GDALDataset::FromHandle(GDALOpen(path.string().c_str(), GA_ReadOnly)));
  if (!impl->dataset) {
    const std::string reason = CPLGetLastErrorMsg();
    throw InputError("cannot open raster '" + path.string() + "'" +
                     (reason.empty() ? "" : ": " + reason));
  }
  GDALDataset& dataset = *impl->dataset;
  const int count = dataset.GetRasterCount();
  if (count == 0) throw InputError("raster '" + path.string() + "' has no bands");
  if (!bandNames.empty() && int(bandNames.size()) != count) {
    throw InputError("raster '" + path.string() + "' has " + std::to_string(count) + " bands but " +
                     std::to_string(bandNames.size()) + " names were given");
  }
  impl->grid.width = dataset.GetRasterXSize();
  impl->grid.height = dataset.GetRasterYSize();
  if (dataset.GetGeoTransform(impl->grid.geoTransform.data()) != CE_None) {
    impl->grid.geoTransform = {0, 1, 0, 0, 0, -1};
  }
  if (const char* wkt = dataset.GetProjectionRef(); wkt) impl->grid.projectionWkt = wkt;
  std::set<std::string> seen;
  for (int b = 0; b < count; ++b) {
    GDALRasterBand* band = dataset.GetRasterBand(b + 1);
    std::string name = bandNames.empty() ? band->GetDescription() : bandNames[std::size_t(b)];
    if (name.empty()) name = "band_" + std::to_string(b + 1);
    if (!seen.insert(name).second) {
      throw InputError("raster '" + path.string() + "': two bands are named '" + name +
                       "'; give distinct names (--band-names)");
    }
    impl->names.push_back(name);
    int hasNodata = 0;
    const double value = band->GetNoDataValue(&hasNodata);
    impl->nodata.push_back(hasNodata ? std::optional<double>(value) : std::nullopt);
    std::vector<std::string> categories;
    if (char** names = band->GetCategoryNames(); names) {
      for (char** name = names; *name; ++name) categories.emplace_back(*name);
    }
    impl->categories.push_back(std::move(categories));
  }
  return RasterStack(std::move(impl));
}

const std::filesystem::path& RasterStack::path() const { return m_impl->path; }
const Grid& RasterStack::grid() const { return m_impl->grid; }
const std::vector<std::string>& RasterStack::bandNames() const { return m_impl->names; }

std::optional<int> RasterStack::bandIndex(const std::string& name) const {
  for (std::size_t b = 0; b < m_impl->names.size(); ++b) {
    if (m_impl->names[b] == name) return int(b);
  }
  return std::nullopt;
}

std::optional<double> RasterStack::nodata(int band) const { return m_impl->nodata.at(std::size_t(band)); }

const std::vector<std::string>& RasterStack::categoryNames(int band) const {
  return m_impl->categories.at(std::size_t(band));
}

int RasterStack::blockHeight() const {
  int x = 0;
  int y = 0;
  m_impl->dataset->GetRasterBand(1)->GetBlockSize(&x, &y);
  return std::max(1, y);
}

std::array<int, 2> RasterStack::blockSize() const {
  int x = 0;
  int y = 0;
  m_impl->dataset->GetRasterBand(1)->GetBlockSize(&x, &y);
  return {std::max(1, x), std::max(1, y)};
}

namespace {

bool littleEndianFile(const std::filesystem::path& path) {
  std::FILE* file = std::fopen(path.string().c_str(), "rb");
  if (!file) return false;
  char order[2] = {0, 0};
  const bool read = std::fread(order, 1, 2, file) == 2;
  std::fclose(file);
  return read && order[0] == 'I' && order[1] == 'I';
}

}  // namespace

std::optional<std::vector<FileBlocks>> RasterStack::fileBlocks(const std::vector<int>& bands) const {
  GDALDataset& dataset = *m_impl->dataset;
  const GDALDriver* driver = dataset.GetDriver();
  if (!driver || std::string(driver->GetDescription()) != "GTiff") return std::nullopt;
  if (dataset.GetMetadataItem("COMPRESSION", "IMAGE_STRUCTURE")) return std::nullopt;
  if constexpr (std::endian::native != std::endian::little) return std::nullopt;
  if (!std::filesystem::is_regular_file(m_impl->path) || !littleEndianFile(m_impl->path)) return std::nullopt;
  const char* interleave = dataset.GetMetadataItem("INTERLEAVE", "IMAGE_STRUCTURE");
  const bool pixelInterleaved = dataset.GetRasterCount() > 1 && interleave && std::string(interleave) == "PIXEL";
  const Grid& grid = m_impl->grid;
  std::vector<FileBlocks> layouts;
  for (const int band : bands) {
    GDALRasterBand* raster = dataset.GetRasterBand(band + 1);
    if (raster->GetRasterDataType() != GDT_Float32) return std::nullopt;
    if (const char* bits = raster->GetMetadataItem("NBITS", "IMAGE_STRUCTURE"); bits && std::atoi(bits) != 32) {
      return std::nullopt;
    }
    FileBlocks blocks;
    raster->GetBlockSize(&blocks.blockWidth, &blocks.blockHeight);
    if (blocks.blockWidth <= 0 || blocks.blockHeight <= 0) return std::nullopt;
    blocks.blocksAcross = (grid.width + blocks.blockWidth - 1) / blocks.blockWidth;
    blocks.blocksDown = (grid.height + blocks.blockHeight - 1) / blocks.blockHeight;
    if (pixelInterleaved) {
      blocks.valuesPerPixel = dataset.GetRasterCount();
      blocks.valueIndex = band;
    }
    const bool tiled = blocks.blockWidth < grid.width;
    const std::uint64_t rowBytes = std::uint64_t(blocks.blockWidth) * std::uint64_t(blocks.valuesPerPixel) * 4;
    for (int by = 0; by < blocks.blocksDown; ++by) {
      for (int bx = 0; bx < blocks.blocksAcross; ++bx) {
        const std::string key = std::to_string(bx) + "_" + std::to_string(by);
        const char* offset = raster->GetMetadataItem(("BLOCK_OFFSET_" + key).c_str(), "TIFF");
        const char* size = raster->GetMetadataItem(("BLOCK_SIZE_" + key).c_str(), "TIFF");
        if (!offset || !size) return std::nullopt;
        const std::uint64_t at = std::strtoull(offset, nullptr, 10);
        const std::uint64_t count = std::strtoull(size, nullptr, 10);
        // A tile holds its full size even at the raster's edge; the last strip may stop at the last row.
        const int rows = tiled ? blocks.blockHeight : std::min(blocks.blockHeight, grid.height - by * blocks.blockHeight);
        if (at == 0 || count < rowBytes * std::uint64_t(rows) ||
            count > rowBytes * std::uint64_t(blocks.blockHeight)) {
          return std::nullopt;
        }
        blocks.offsets.push_back(at);
        blocks.bytes.push_back(count);
      }
    }
    layouts.push_back(std::move(blocks));
  }
  return layouts;
}

namespace {

// Reads `cols` x `rows` pixels at (col, row) as `type` into `out`, rows `lineStride` values apart.
// A failure is an IoError naming the pixels (whole rows or a rectangle), the band and the file.
void readRectAs(GDALRasterBand* raster, GDALDataType type, int col, int row, int cols, int rows,
                void* out, std::size_t lineStride, bool wholeRows, const std::string& bandName,
                const std::filesystem::path& path) {
  const int valueBytes = GDALGetDataTypeSizeBytes(type);
  if (raster->RasterIO(GF_Read, col, row, cols, rows, out, cols, rows, type, valueBytes,
                       GSpacing(lineStride) * valueBytes) == CE_None) {
    return;
  }
  const std::string what =
      wholeRows ? "rows " + std::to_string(row) + ".." + std::to_string(row + rows)
                : "pixels (" + std::to_string(col) + ", " + std::to_string(row) + ") + " + std::to_string(cols) +
                      " x " + std::to_string(rows);
  throw IoError("cannot read " + what + " of band " + bandName + " of '" + path.string() + "': " +
                CPLGetLastErrorMsg());
}

}  // namespace

void RasterStack::readRect(int band, int col, int row, int cols, int rows, float* out,
                           std::size_t lineStride) const {
  readRectAs(m_impl->dataset->GetRasterBand(band + 1), GDT_Float32, col, row, cols, rows, out, lineStride,
             false, m_impl->names[std::size_t(band)], m_impl->path);
}

void RasterStack::readRect(int band, int col, int row, int cols, int rows, double* out,
                           std::size_t lineStride) const {
  readRectAs(m_impl->dataset->GetRasterBand(band + 1), GDT_Float64, col, row, cols, rows, out, lineStride,
             false, m_impl->names[std::size_t(band)], m_impl->path);
}

void RasterStack::readRows(int band, int row, int rows, double* out) const {
  const int width = m_impl->grid.width;
  readRectAs(m_impl->dataset->GetRasterBand(band + 1), GDT_Float64, 0, row, width, rows, out, std::size_t(width),
             true, m_impl->names[std::size_t(band)], m_impl->path);
}

bool RasterStack::needsDoubles(int band) const {
  switch (m_impl->dataset->GetRasterBand(band + 1)->GetRasterDataType()) {
    case GDT_Byte:
    case GDT_Int16:
    case GDT_UInt16:
    case GDT_Float32:
      return false;
    default:
      return true;
  }
}

void RasterStack::readRows(int band, int row, int rows, float* out) const {
  const int width = m_impl->grid.width;
  readRectAs(m_impl->dataset->GetRasterBand(band + 1), GDT_Float32, 0, row, width, rows, out, std::size_t(width),
             true, m_impl->names[std::size_t(band)], m_impl->path);
}

void RasterStack::readWindow(int band, double col, double row, double cols, double rows,
                             int outWidth, int outHeight, float* out) const {
  GDALRasterBand* raster = m_impl->dataset->GetRasterBand(band + 1);
  GDALRasterIOExtraArg extra;
  INIT_RASTERIO_EXTRA_ARG(extra);
  extra.eResampleAlg = GRIORA_NearestNeighbour;
  extra.bFloatingPointWindowValidity = TRUE;
  extra.dfXOff = col;
  extra.dfYOff = row;
  extra.dfXSize = cols;
  extra.dfYSize = rows;
  const int x = std::clamp(int(std::floor(col)), 0, m_impl->grid.width - 1);
  const int y = std::clamp(int(std::floor(row)), 0, m_impl->grid.height - 1);
  const int w = std::clamp(int(std::ceil(col + cols)) - x, 1, m_impl->grid.width - x);
  const int h = std::clamp(int(std::ceil(row + rows)) - y, 1, m_impl->grid.height - y);
  if (raster->RasterIO(GF_Read, x, y, w, h, out, outWidth, outHeight, GDT_Float32, 0, 0, &extra) !=
      CE_None) {
    throw IoError("cannot read a window of band " + m_impl->names[std::size_t(band)] + " of '" +
                  m_impl->path.string() + "': " + CPLGetLastErrorMsg());
  }
}

std::vector<std::array<std::uint8_t, 4>> RasterStack::colourTable(int band) const {
  std::vector<std::array<std::uint8_t, 4>> entries;
  const GDALColorTable* table = m_impl->dataset->GetRasterBand(band + 1)->GetColorTable();
  if (!table) return entries;
  for (int i = 0; i < table->GetColorEntryCount(); ++i) {
    const GDALColorEntry* e = table->GetColorEntry(i);
    entries.push_back({std::uint8_t(e->c1), std::uint8_t(e->c2), std::uint8_t(e->c3), std::uint8_t(e->c4)});
  }
  return entries;
}

int RasterStack::overviewCount() const { return m_impl->dataset->GetRasterBand(1)->GetOverviewCount(); }

std::string RasterStack::compression() const {
  const char* name = m_impl->dataset->GetMetadataItem("COMPRESSION", "IMAGE_STRUCTURE");
  return name ? name : "";
}

void writeGeoTiff(const std::filesystem::path& path, const Grid& grid,
                  const std::vector<std::string>& names, const std::vector<std::vector<double>>& bands,
                  std::optional<double> nodata,
                  const std::vector<std::vector<std::string>>& categoryNames) {
  registerDrivers();
  GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GTiff");
  char** options = nullptr;
  options = CSLSetNameValue(options, "TILED", "YES");
  options = CSLSetNameValue(options, "COMPRESS", "DEFLATE");
  std::unique_ptr<GDALDataset, DatasetCloser> dataset(driver->Create(
      path.string().c_str(), grid.width, grid.height, int(bands.size()), GDT_Float64, options));
  CSLDestroy(options);
  if (!dataset) throw IoError("cannot create '" + path.string() + "': " + CPLGetLastErrorMsg());
  std::array<double, 6> transform = grid.geoTransform;
  dataset->SetGeoTransform(transform.data());
  if (!grid.projectionWkt.empty()) dataset->SetProjection(grid.projectionWkt.c_str());
  for (std::size_t b = 0; b < bands.size(); ++b) {
    GDALRasterBand* band = dataset->GetRasterBand(int(b) + 1);
    if (b < names.size()) band->SetDescription(names[b].c_str());
    if (nodata) band->SetNoDataValue(*nodata);
    if (b < categoryNames.size() && !categoryNames[b].empty()) {
      char** list = nullptr;
      for (const std::string& name : categoryNames[b]) list = CSLAddString(list, name.c_str());
      band->SetCategoryNames(list);
      CSLDestroy(list);
    }
    std::vector<double> values = bands[b];
    if (band->RasterIO(GF_Write, 0, 0, grid.width, grid.height, values.data(), grid.width,
                       grid.height, GDT_Float64, 0, 0) != CE_None) {
      throw IoError("cannot write '" + path.string() + "': " + CPLGetLastErrorMsg());
    }
  }
}

bool sameCrs(const std::string& wktA, const std::string& wktB) {
  if (wktA.empty() || wktB.empty()) return wktA.empty() == wktB.empty();
  OGRSpatialReference a;
  OGRSpatialReference b;
  if (a.importFromWkt(wktA.c_str()) != OGRERR_NONE || b.importFromWkt(wktB.c_str()) != OGRERR_NONE) {
    return wktA == wktB;
  }
  return a.IsSame(&b);
}

std::string wktForEpsg(int epsg) {
  OGRSpatialReference reference;
  if (reference.importFromEPSG(epsg) != OGRERR_NONE) {
    throw InputError("unknown EPSG code " + std::to_string(epsg));
  }
  char* wkt = nullptr;
  reference.exportToWkt(&wkt);
  std::string out = wkt ? wkt : "";
  CPLFree(wkt);
  return out;
}

}  // namespace geih::geo
