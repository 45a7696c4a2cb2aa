#include "core/geo/terrain.h"

#include <gdal_priv.h>
#include <gdal_utils.h>

#include <cmath>

#include "core/common/error.h"
#include "core/geo/geotiff_output.h"
#include "core/geo/raster_stack.h"

namespace geih::geo {

namespace fs = std::filesystem;

namespace {

constexpr float kNodata = -9999.0f;

struct DatasetCloser {
  void operator()(GDALDatasetH dataset) const {
    if (dataset) GDALClose(dataset);
  }
};
using Handle = std::unique_ptr<void, DatasetCloser>;

// Runs one GDALDEMProcessing mode into a temporary GeoTIFF registered with `scratch`.
fs::path demProduct(GDALDatasetH dem, const char* mode, bool geographic, const fs::path& near,
                    PendingFiles& scratch) {
  const fs::path path = temporaryBeside(near);
  scratch.add(path, path);
  std::vector<std::string> args = {"-of", "GTiff", "-co", "TILED=YES", "-compute_edges", "-alg", "Horn"};
  if (geographic) {
    args.push_back("-s");
    args.push_back("111120");
  }
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  GDALDEMProcessingOptions* options = GDALDEMProcessingOptionsNew(argv.data(), nullptr);
  int usageError = 0;
  Handle result(GDALDEMProcessing(path.string().c_str(), dem, mode, nullptr, options, &usageError));
  GDALDEMProcessingOptionsFree(options);
  if (!result) {
    throw IoError(std::string("GDAL could not compute the ") + mode + " next to '" + near.string() +
                  "': " + CPLGetLastErrorMsg());
  }
  return path;
}

}  // namespace

void writeTerrainRaster(const fs::path& demPath, const fs::path& output, Progress& progress) {
  const RasterStack dem = RasterStack::open(demPath);
  GDALAllRegister();
  CPLErrorReset();
  Handle handle(GDALOpen(demPath.string().c_str(), GA_ReadOnly));
  if (!handle) throw InputError("cannot open DEM '" + demPath.string() + "': " + CPLGetLastErrorMsg());
  bool geographic = false;
  if (!dem.grid().projectionWkt.empty()) {
    OGRSpatialReference reference;
    geographic = reference.importFromWkt(dem.grid().projectionWkt.c_str()) == OGRERR_NONE &&
                 reference.IsGeographic();
  }
  PendingFiles files;
  PendingFiles scratch;  // never published: removed when it goes out of scope
  progress.report(0.0, "slope");
  const fs::path slopePath = demProduct(handle.get(), "slope", geographic, output, scratch);
  progress.checkCancelled();
  progress.report(0.3, "aspect");
  const fs::path aspectPath = demProduct(handle.get(), "aspect", geographic, output, scratch);
  progress.checkCancelled();
  const RasterStack slope = RasterStack::open(slopePath);
  const RasterStack aspect = RasterStack::open(aspectPath);

  const Grid& grid = dem.grid();
  GeoTiffOutput raster(files, output, grid, 5, PixelType::Float32);
  const char* names[] = {"elevation", "slope", "aspect", "northness", "eastness"};
  for (int b = 0; b < 5; ++b) raster.describeBand(b, names[b], kNodata);
  const auto demNodata = dem.nodata(0);
  const auto slopeNodata = slope.nodata(0);
  const auto aspectNodata = aspect.nodata(0);
  const int stripRows = std::max(64, dem.blockHeight());
  std::vector<double> z, s, a;
  std::vector<std::vector<float>> out(5);
  for (int row = 0; row < grid.height; row += stripRows) {
    progress.checkCancelled();
    progress.report(0.6 + 0.4 * row / grid.height, "terrain");
    const int rows = std::min(stripRows, grid.height - row);
    const std::size_t pixels = std::size_t(grid.width) * std::size_t(rows);
    z.resize(pixels);
    s.resize(pixels);
    a.resize(pixels);
    dem.readRows(0, row, rows, z.data());
    slope.readRows(0, row, rows, s.data());
    aspect.readRows(0, row, rows, a.data());
    for (auto& band : out) band.assign(pixels, kNodata);
    for (std::size_t p = 0; p < pixels; ++p) {
      if (std::isnan(z[p]) || (demNodata && z[p] == *demNodata)) continue;
      out[0][p] = float(z[p]);
      if (std::isnan(s[p]) || (slopeNodata && s[p] == *slopeNodata)) continue;
      out[1][p] = float(s[p]);
      // GDAL marks flat cells' aspect with its nodata value (−9999).
      const bool flat = std::isnan(a[p]) || (aspectNodata && a[p] == *aspectNodata) || s[p] == 0;
      if (flat) {
        out[2][p] = -1.0f;
        out[3][p] = 0.0f;
        out[4][p] = 0.0f;
      } else {
        const double radians = a[p] * M_PI / 180.0;
        out[2][p] = float(a[p]);
        out[3][p] = float(std::cos(radians));
        out[4][p] = float(std::sin(radians));
      }
    }
    for (int b = 0; b < 5; ++b) raster.writeRows(b, row, rows, out[std::size_t(b)].data());
  }
  progress.report(1.0, "terrain");
  raster.finish();
  files.publish();
}

}  // namespace geih::geo
