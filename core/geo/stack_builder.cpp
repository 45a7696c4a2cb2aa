#include "core/geo/stack_builder.h"

#include <gdal_priv.h>
#include <gdal_utils.h>
#include <ogr_spatialref.h>

#include <cmath>
#include <set>

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

DatasetPtr openRaster(const fs::path& path) {
  CPLErrorReset();
  DatasetPtr dataset(GDALDataset::Open(path.string().c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
  if (!dataset) {
    const std::string reason = CPLGetLastErrorMsg();
    throw InputError("cannot open raster '" + path.string() + "'" + (reason.empty() ? "" : ": " + reason));
  }
  return dataset;
}

Grid gridOf(GDALDataset& dataset) {
  Grid grid;
  grid.width = dataset.GetRasterXSize();
  grid.height = dataset.GetRasterYSize();
  if (dataset.GetGeoTransform(grid.geoTransform.data()) != CE_None) grid.geoTransform = {0, 1, 0, 0, 0, -1};
  if (const char* wkt = dataset.GetProjectionRef(); wkt) grid.projectionWkt = wkt;
  return grid;
}

std::string describe(const Grid& grid) {
  OGRSpatialReference reference;
  std::string crs = "no CRS";
  if (!grid.projectionWkt.empty() && reference.importFromWkt(grid.projectionWkt.c_str()) == OGRERR_NONE) {
    crs = reference.GetName() ? reference.GetName() : "unnamed CRS";
  }
  char text[200];
  std::snprintf(text, sizeof text, "%d x %d pixels of %g x %g at (%.2f, %.2f), ", grid.width, grid.height,
                grid.geoTransform[1], -grid.geoTransform[5], grid.geoTransform[0], grid.geoTransform[3]);
  return text + crs;
}

bool sameGrid(const Grid& a, const Grid& b) {
  if (a.width != b.width || a.height != b.height) return false;
  const double tolerance = 1e-6 * std::max(std::abs(a.geoTransform[1]), std::abs(a.geoTransform[5]));
  for (std::size_t i = 0; i < 6; ++i) {
    if (std::abs(a.geoTransform[i] - b.geoTransform[i]) > tolerance) return false;
  }
  return sameCrs(a.projectionWkt, b.projectionWkt);
}

// A warped VRT of `source` on `grid`: computed block by block as it is read.
DatasetPtr warpOnto(GDALDataset& source, const Grid& grid, bool categorical, int band) {
  const auto& g = grid.geoTransform;
  std::vector<std::string> args = {"-of", "VRT", "-r", categorical ? "near" : "bilinear",
                                   "-ts", std::to_string(grid.width), std::to_string(grid.height),
                                   "-te", std::to_string(g[0]), std::to_string(g[3] + g[5] * grid.height),
                                   std::to_string(g[0] + g[1] * grid.width), std::to_string(g[3]),
                                   "-dstnodata", "-9999"};
  if (!grid.projectionWkt.empty()) {
    args.push_back("-t_srs");
    args.push_back(grid.projectionWkt);
  }
  if (band > 0) {
    args.push_back("-b");
    args.push_back(std::to_string(band));
  }
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  GDALWarpAppOptions* options = GDALWarpAppOptionsNew(argv.data(), nullptr);
  GDALDatasetH sources[] = {GDALDataset::ToHandle(&source)};
  int usageError = 0;
  DatasetPtr warped(GDALDataset::FromHandle(GDALWarp("", nullptr, 1, sources, options, &usageError)));
  GDALWarpAppOptionsFree(options);
  if (!warped) throw InputError(std::string("GDAL could not warp: ") + CPLGetLastErrorMsg());
  return warped;
}

struct SourceBand {
  GDALRasterBand* band = nullptr;
  std::optional<double> nodata;
  std::string name;
  std::vector<std::string> categories;
};

}  // namespace

StackInput parseStackInput(const std::string& text) {
  StackInput input;
  std::string rest = text;
  if (rest.size() > 4 && rest.substr(rest.size() - 4) == "@cat") {
    input.categorical = true;
    rest.resize(rest.size() - 4);
  }
  if (const auto equals = rest.find('='); equals != std::string::npos) {
    input.name = rest.substr(0, equals);
    rest = rest.substr(equals + 1);
    if (input.name.empty()) throw InputError("stack input '" + text + "': the name before '=' is empty");
  }
  if (const auto colon = rest.rfind(':'); colon != std::string::npos && colon + 1 < rest.size() &&
                                          rest.find_first_not_of("0123456789", colon + 1) == std::string::npos) {
    input.band = std::stoi(rest.substr(colon + 1));
    rest.resize(colon);
    if (input.band < 1) throw InputError("stack input '" + text + "': bands count from 1");
  }
  if (rest.empty()) throw InputError("stack input '" + text + "': no file");
  input.path = rest;
  return input;
}

StackSummary writeStack(const std::vector<StackInput>& inputs, const StackOptions& options,
                        const fs::path& output, Progress& progress) {
  if (inputs.empty()) throw InputError("no input rasters to stack");
  GDALAllRegister();
  StackSummary summary;
  std::vector<DatasetPtr> opened;
  std::vector<DatasetPtr> warped;
  if (options.reference) {
    DatasetPtr reference = openRaster(*options.reference);
    summary.grid = gridOf(*reference);
  }
  std::vector<SourceBand> bands;
  std::set<std::string> names;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const StackInput& input = inputs[i];
    opened.push_back(openRaster(input.path));
    GDALDataset* dataset = opened.back().get();
    const Grid grid = gridOf(*dataset);
    if (i == 0 && !options.reference) summary.grid = grid;
    const int count = dataset->GetRasterCount();
    if (input.band > count) {
      throw InputError("'" + input.path.string() + "' has " + std::to_string(count) + " bands, not " +
                       std::to_string(input.band));
    }
    if (!input.name.empty() && input.band == 0 && count > 1) {
      throw InputError("stack input '" + input.name + "=" + input.path.string() + "' has " +
                       std::to_string(count) + " bands; choose one with :BAND to name it");
    }
    GDALDataset* source = dataset;
    if (!sameGrid(grid, summary.grid)) {
      if (!options.warp) {
        throw InputError("'" + input.path.string() + "' is on another grid (" + describe(grid) +
                         ") than the stack (" + describe(summary.grid) + "); warp it first or ask "
                         "for warping (--warp)");
      }
      warped.push_back(warpOnto(*dataset, summary.grid, input.categorical, 0));
      source = warped.back().get();
      summary.warped.push_back(input.path.string());
    }
    for (int b = 1; b <= count; ++b) {
      if (input.band != 0 && b != input.band) continue;
      SourceBand entry;
      entry.band = source->GetRasterBand(b);
      GDALRasterBand* original = dataset->GetRasterBand(b);
      int hasNodata = 0;
      const double nodata = entry.band->GetNoDataValue(&hasNodata);
      if (hasNodata) entry.nodata = nodata;
      entry.name = !input.name.empty() ? input.name : original->GetDescription();
      if (entry.name.empty()) entry.name = input.path.stem().string() + (count > 1 ? "_" + std::to_string(b) : "");
      if (char** categories = original->GetCategoryNames(); categories) {
        for (char** c = categories; *c; ++c) entry.categories.emplace_back(*c);
      }
      if (!names.insert(entry.name).second) {
        throw InputError("two stack bands are named '" + entry.name + "'; name them with NAME=PATH:BAND");
      }
      bands.push_back(std::move(entry));
    }
  }
  for (const SourceBand& band : bands) summary.bandNames.push_back(band.name);

  PendingFiles files;
  const Grid& grid = summary.grid;
  GeoTiffOutput raster(files, output, grid, int(bands.size()), PixelType::Float32);
  for (std::size_t b = 0; b < bands.size(); ++b) {
    raster.describeBand(int(b), bands[b].name, kNodata);
    if (!bands[b].categories.empty()) raster.setCategoryNames(int(b), bands[b].categories);
  }
  const int stripRows = 256;
  std::vector<float> strip;
  for (int row = 0; row < grid.height; row += stripRows) {
    progress.checkCancelled();
    progress.report(double(row) / grid.height, "stacking");
    const int rows = std::min(stripRows, grid.height - row);
    strip.resize(std::size_t(grid.width) * std::size_t(rows));
    for (std::size_t b = 0; b < bands.size(); ++b) {
      if (bands[b].band->RasterIO(GF_Read, 0, row, grid.width, rows, strip.data(), grid.width, rows,
                                  GDT_Float32, 0, 0) != CE_None) {
        throw IoError("cannot read band '" + bands[b].name + "': " + CPLGetLastErrorMsg());
      }
      if (bands[b].nodata) {
        const float nodata = float(*bands[b].nodata);
        for (float& v : strip) {
          if (v == nodata || std::isnan(v)) v = kNodata;
        }
      }
      raster.writeRows(int(b), row, rows, strip.data());
    }
  }
  progress.report(1.0, "stacking");
  raster.finish();
  files.publish();
  return summary;
}

}  // namespace geih::geo
