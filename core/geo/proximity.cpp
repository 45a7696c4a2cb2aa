#include "core/geo/proximity.h"

#include <gdal_alg.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <algorithm>

#include "core/common/error.h"
#include "core/geo/geotiff_output.h"

namespace geih::geo {

namespace fs = std::filesystem;

namespace {

constexpr float kNodata = -9999.0f;

struct DatasetCloser {
  void operator()(GDALDataset* dataset) const {
    if (dataset) GDALClose(GDALDataset::ToHandle(dataset));
  }
};
using DatasetPtr = std::unique_ptr<GDALDataset, DatasetCloser>;

DatasetPtr openVector(const VectorSource& source) {
  const char* openOptions[] = {"X_POSSIBLE_NAMES=x,lon,long,longitude,easting",
                               "Y_POSSIBLE_NAMES=y,lat,latitude,northing", "KEEP_GEOM_COLUMNS=NO",
                               nullptr};
  const bool csv = source.path.extension() == ".csv" || source.path.extension() == ".CSV";
  CPLErrorReset();
  DatasetPtr dataset(GDALDataset::Open(source.path.string().c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY,
                                       nullptr, csv ? openOptions : nullptr, nullptr));
  if (!dataset) {
    const std::string reason = CPLGetLastErrorMsg();
    throw InputError("cannot open vector layer '" + source.path.string() + "'" +
                     (reason.empty() ? " (not a vector format GDAL reads)" : ": " + reason));
  }
  return dataset;
}

DatasetPtr createScratch(const fs::path& path, const Grid& grid, GDALDataType type) {
  GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GTiff");
  char** options = CSLSetNameValue(nullptr, "TILED", "YES");
  options = CSLSetNameValue(options, "BIGTIFF", "IF_SAFER");
  DatasetPtr dataset(driver->Create(path.string().c_str(), grid.width, grid.height, 1, type, options));
  CSLDestroy(options);
  if (!dataset) throw IoError("cannot create '" + path.string() + "': " + CPLGetLastErrorMsg());
  std::array<double, 6> transform = grid.geoTransform;
  dataset->SetGeoTransform(transform.data());
  if (!grid.projectionWkt.empty()) dataset->SetProjection(grid.projectionWkt.c_str());
  return dataset;
}

}  // namespace

ProximitySummary writeProximityRaster(const VectorSource& source, const Grid& grid,
                                      const fs::path& output, double maxDistance, Progress& progress) {
  GDALAllRegister();
  DatasetPtr vector = openVector(source);
  OGRLayer* layer = source.layer.empty() ? vector->GetLayer(0) : vector->GetLayerByName(source.layer.c_str());
  if (!layer) {
    std::string layers;
    for (int i = 0; i < vector->GetLayerCount(); ++i) {
      layers += (layers.empty() ? "" : ", ") + std::string(vector->GetLayer(i)->GetName());
    }
    throw InputError("'" + source.path.string() + "' has no layer '" + source.layer + "' (layers: " +
                     (layers.empty() ? "none" : layers) + ")");
  }
  if (!source.where.empty() && layer->SetAttributeFilter(source.where.c_str()) != OGRERR_NONE) {
    throw InputError("bad filter '" + source.where + "' on layer '" + layer->GetName() + "': " +
                     CPLGetLastErrorMsg());
  }
  if (layer->GetGeomType() == wkbNone) {
    throw InputError("layer '" + std::string(layer->GetName()) + "' of '" + source.path.string() +
                     "' has no geometries (for a CSV: name the columns x/y or lon/lat)");
  }

  PendingFiles scratch;  // never published: removed when it goes out of scope
  const fs::path burntPath = temporaryBeside(output.parent_path() / "burnt.tif");
  const fs::path distancePath = temporaryBeside(output.parent_path() / "distance.tif");
  scratch.add(burntPath, burntPath);
  scratch.add(distancePath, distancePath);
  std::error_code ec;
  if (!output.parent_path().empty()) fs::create_directories(output.parent_path(), ec);

  progress.report(0.0, "rasterising");
  DatasetPtr burnt = createScratch(burntPath, grid, GDT_Byte);
  {
    int band = 1;
    double burn = 1;
    OGRLayerH layers[] = {OGRLayer::ToHandle(layer)};
    char** options = CSLSetNameValue(nullptr, "ALL_TOUCHED", "TRUE");
    // A layer without a CRS (a CSV) is in the grid's CRS by contract; GDAL would warn about it.
    const bool quiet = layer->GetSpatialRef() == nullptr;
    if (quiet) CPLPushErrorHandler(CPLQuietErrorHandler);
    const CPLErr result = GDALRasterizeLayers(GDALDataset::ToHandle(burnt.get()), 1, &band, 1,
                                              reinterpret_cast<OGRLayerH*>(layers), nullptr, nullptr,
                                              &burn, options, nullptr, nullptr);
    if (quiet) CPLPopErrorHandler();
    CSLDestroy(options);
    if (result != CE_None) {
      throw InputError("cannot rasterise '" + source.path.string() + "': " + CPLGetLastErrorMsg());
    }
  }
  progress.checkCancelled();
  progress.report(0.3, "proximity");
  DatasetPtr distance = createScratch(distancePath, grid, GDT_Float32);
  {
    char** options = CSLSetNameValue(nullptr, "VALUES", "1");
    options = CSLSetNameValue(options, "DISTUNITS", "GEO");
    if (maxDistance > 0) {
      options = CSLSetNameValue(options, "MAXDIST", std::to_string(maxDistance).c_str());
      // Pixels beyond the cap get the "nodata" value: make that the cap itself.
      options = CSLSetNameValue(options, "NODATA", std::to_string(maxDistance).c_str());
    }
    const CPLErr result = GDALComputeProximity(burnt->GetRasterBand(1), distance->GetRasterBand(1),
                                               options, nullptr, nullptr);
    CSLDestroy(options);
    if (result != CE_None) throw IoError(std::string("GDAL proximity failed: ") + CPLGetLastErrorMsg());
  }
  distance->FlushCache();

  PendingFiles files;
  GeoTiffOutput raster(files, output, grid, 1, PixelType::Float32);
  raster.describeBand(0, "dist_" + std::string(layer->GetName()), kNodata);
  ProximitySummary summary;
  std::vector<float> strip;
  std::vector<std::uint8_t> burntStrip;
  const int stripRows = 256;
  for (int row = 0; row < grid.height; row += stripRows) {
    progress.checkCancelled();
    progress.report(0.6 + 0.4 * row / grid.height, "proximity");
    const int rows = std::min(stripRows, grid.height - row);
    const std::size_t pixels = std::size_t(grid.width) * std::size_t(rows);
    strip.resize(pixels);
    burntStrip.resize(pixels);
    if (distance->GetRasterBand(1)->RasterIO(GF_Read, 0, row, grid.width, rows, strip.data(),
                                             grid.width, rows, GDT_Float32, 0, 0) != CE_None ||
        burnt->GetRasterBand(1)->RasterIO(GF_Read, 0, row, grid.width, rows, burntStrip.data(),
                                          grid.width, rows, GDT_Byte, 0, 0) != CE_None) {
      throw IoError(std::string("cannot read the proximity scratch: ") + CPLGetLastErrorMsg());
    }
    for (std::size_t p = 0; p < pixels; ++p) {
      summary.featurePixels += burntStrip[p] == 1;
      summary.maxDistance = std::max(summary.maxDistance, double(strip[p]));
    }
    raster.writeRows(0, row, rows, strip.data());
  }
  if (summary.featurePixels == 0) {
    throw InputError("no feature of '" + source.path.string() + "' (layer '" + layer->GetName() +
                     "'" + (source.where.empty() ? "" : ", filter '" + source.where + "'") +
                     ") falls on the raster's grid; check its CRS and extent");
  }
  progress.report(1.0, "proximity");
  raster.finish();
  files.publish();
  return summary;
}

}  // namespace geih::geo
