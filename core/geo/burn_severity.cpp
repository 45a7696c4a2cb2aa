#include "core/geo/burn_severity.h"

#include <ogr_spatialref.h>

#include <cmath>
#include <limits>

#include "core/common/error.h"
#include "core/geo/geotiff_output.h"
#include "core/geo/pixel_area.h"

namespace geih::geo {

namespace {
constexpr float kNodata = -9999.0f;
constexpr std::uint8_t kClassNodata = 255;
}  // namespace

const std::vector<SeverityClass>& usgsBurnSeverityClasses() {
  static const std::vector<SeverityClass> classes = {
      {"enhanced regrowth, high", -std::numeric_limits<double>::infinity(), {26, 152, 80}},
      {"enhanced regrowth, low", -0.25, {145, 207, 96}},
      {"unburned", -0.10, {217, 239, 139}},
      {"low severity", 0.10, {254, 224, 139}},
      {"moderate-low severity", 0.27, {252, 141, 89}},
      {"moderate-high severity", 0.44, {215, 48, 39}},
      {"high severity", 0.66, {128, 0, 126}},
  };
  return classes;
}

std::size_t burnSeverityClass(double dnbr) {
  const auto& classes = usgsBurnSeverityClasses();
  std::size_t k = 0;
  while (k + 1 < classes.size() && dnbr >= classes[k + 1].lower) ++k;
  return k;
}

void requireSameGrid(const RasterStack& a, const RasterStack& b) {
  const Grid& ga = a.grid();
  const Grid& gb = b.grid();
  const std::string names = "'" + a.path().string() + "' and '" + b.path().string() + "'";
  if (ga.width != gb.width || ga.height != gb.height) {
    throw InputError(names + " are on different grids: " + std::to_string(ga.width) + " x " +
                     std::to_string(ga.height) + " vs " + std::to_string(gb.width) + " x " +
                     std::to_string(gb.height) + " pixels (warp one onto the other first)");
  }
  const double tolerance = 1e-6 * std::max(std::abs(ga.geoTransform[1]), std::abs(ga.geoTransform[5]));
  for (int i = 0; i < 6; ++i) {
    if (std::abs(ga.geoTransform[std::size_t(i)] - gb.geoTransform[std::size_t(i)]) > tolerance) {
      const bool origin = i == 0 || i == 3;
      throw InputError(names + " are on different grids: their " +
                       std::string(origin ? "origins" : "pixel sizes or rotations") +
                       " differ (geotransform term " + std::to_string(i) + ": " +
                       std::to_string(ga.geoTransform[std::size_t(i)]) + " vs " +
                       std::to_string(gb.geoTransform[std::size_t(i)]) + ")");
    }
  }
  if (ga.projectionWkt.empty() != gb.projectionWkt.empty()) {
    throw InputError(names + ": one has a CRS and the other has none");
  }
  if (!ga.projectionWkt.empty()) {
    OGRSpatialReference ra;
    OGRSpatialReference rb;
    ra.importFromWkt(ga.projectionWkt.c_str());
    rb.importFromWkt(gb.projectionWkt.c_str());
    if (!ra.IsSame(&rb)) {
      throw InputError(names + " are in different CRSs (" + std::string(ra.GetName() ? ra.GetName() : "?") +
                       " vs " + std::string(rb.GetName() ? rb.GetName() : "?") + ")");
    }
  }
}

ChangeSummary writeChangeRaster(const RasterStack& before, const RasterStack& after,
                                const ChangeOptions& options, const std::filesystem::path& output,
                                Progress& progress) {
  requireSameGrid(before, after);
  requireRoles(before, options.beforeRoles, options.index);
  requireRoles(after, options.afterRoles, options.index);
  const bool severity = options.index == SpectralIndex::Nbr;
  const Grid& grid = before.grid();
  ChangeSummary summary;
  summary.changePath = output;
  PendingFiles files;
  GeoTiffOutput change(files, output, grid, 1, PixelType::Float32);
  change.describeBand(0, "d" + indexName(options.index), kNodata);
  std::unique_ptr<GeoTiffOutput> classes;
  const auto& severityClasses = usgsBurnSeverityClasses();
  std::string areaNote;
  const std::vector<double> areas = rowAreasKm2(grid, areaNote);
  if (severity) {
    const std::filesystem::path folder = output.parent_path();
    summary.classesPath = folder / (output.stem().string() + "_severity.tif");
    classes = std::make_unique<GeoTiffOutput>(files, summary.classesPath, grid, 1, PixelType::Byte);
    classes->describeBand(0, "burn severity (USGS)", std::nullopt);
    ClassLegend legend;
    legend.nodataCode = kClassNodata;
    for (const SeverityClass& c : severityClasses) {
      legend.names.push_back(c.name);
      legend.colours.push_back(c.rgb);
    }
    classes->setLegend(0, legend);
    summary.classPixels.assign(severityClasses.size(), 0);
    summary.classAreaKm2.assign(severityClasses.size(), 0.0);
  }
  const std::vector<std::string> needed = rolesOf(options.index);
  const int stripRows = std::max(64, before.blockHeight());
  std::map<std::string, std::vector<double>> beforeBuffers;
  std::map<std::string, std::vector<double>> afterBuffers;
  std::vector<double> beforeIndex;
  std::vector<double> afterIndex;
  std::vector<float> strip;
  std::vector<std::uint8_t> classStrip;
  double sum = 0;
  for (int row = 0; row < grid.height; row += stripRows) {
    progress.checkCancelled();
    progress.report(double(row) / grid.height, "change");
    const int rows = std::min(stripRows, grid.height - row);
    const std::size_t pixels = std::size_t(grid.width) * std::size_t(rows);
    readRoleRows(before, options.beforeRoles, needed, row, rows, beforeBuffers);
    readRoleRows(after, options.afterRoles, needed, row, rows, afterBuffers);
    std::map<std::string, const double*> beforeBands;
    std::map<std::string, const double*> afterBands;
    for (const std::string& role : needed) {
      beforeBands[role] = beforeBuffers[role].data();
      afterBands[role] = afterBuffers[role].data();
    }
    beforeIndex.resize(pixels);
    afterIndex.resize(pixels);
    computeIndex(options.index, beforeBands, pixels, options.scale, options.offset, beforeIndex.data());
    computeIndex(options.index, afterBands, pixels, options.scale, options.offset, afterIndex.data());
    strip.assign(pixels, kNodata);
    classStrip.assign(pixels, kClassNodata);
    for (std::size_t p = 0; p < pixels; ++p) {
      const double d = beforeIndex[p] - afterIndex[p];
      if (std::isnan(d)) continue;
      strip[p] = float(d);
      sum += d;
      ++summary.validPixels;
      if (severity) {
        const std::size_t k = burnSeverityClass(d);
        classStrip[p] = std::uint8_t(k);
        summary.classPixels[k] += 1;
        summary.classAreaKm2[k] += areas[std::size_t(row) + p / std::size_t(grid.width)];
      }
    }
    change.writeRows(0, row, rows, strip.data());
    if (classes) classes->writeRows(0, row, rows, classStrip.data());
  }
  progress.report(1.0, "change");
  summary.meanChange = summary.validPixels ? sum / double(summary.validPixels) : 0.0;
  change.finish();
  if (classes) classes->finish();
  files.publish();
  return summary;
}

}  // namespace geih::geo
