// Change between two dates of the same place: dNDVI = NDVI(before) − NDVI(after) (vegetation
// loss is positive, as for deforestation) and dNBR = NBR(before) − NBR(after), with the USGS
// burn-severity classes of Key & Benson (2006, FIREMON "Landscape Assessment"):
//   enhanced regrowth, high   dNBR < −0.25
//   enhanced regrowth, low    −0.25 ≤ dNBR < −0.10
//   unburned                  −0.10 ≤ dNBR < 0.10
//   low severity              0.10 ≤ dNBR < 0.27
//   moderate-low severity     0.27 ≤ dNBR < 0.44
//   moderate-high severity    0.44 ≤ dNBR < 0.66
//   high severity             dNBR ≥ 0.66
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/common/progress.h"
#include "core/geo/raster_stack.h"
#include "core/geo/spectral_indices.h"

namespace geih::geo {

struct SeverityClass {
  std::string name;
  double lower;  // inclusive; −∞ for the first
  std::array<std::uint8_t, 3> rgb;
};

const std::vector<SeverityClass>& usgsBurnSeverityClasses();
// Index of the USGS class of a dNBR value (unscaled, not ×1000).
std::size_t burnSeverityClass(double dnbr);

// Throws InputError naming both rasters and what differs (size, origin, pixel size, CRS).
void requireSameGrid(const RasterStack& a, const RasterStack& b);

struct ChangeOptions {
  SpectralIndex index = SpectralIndex::Nbr;  // NDVI or NBR (any index works; classes are NBR's)
  BandRoles beforeRoles;
  BandRoles afterRoles;
  double scale = 1.0;
  double offset = 0.0;
};

struct ChangeSummary {
  std::filesystem::path changePath;    // Float32 "d<index>"
  std::filesystem::path classesPath;   // uint8 USGS classes, NBR only
  std::size_t validPixels = 0;
  double meanChange = 0;
  std::vector<std::size_t> classPixels;  // per USGS class, NBR only
  std::vector<double> classAreaKm2;
};

// Writes `output` (the difference) and, for NBR, <stem>_severity.tif with the USGS classes in a
// colour table. Grids must match. Nothing is left behind on error.
ChangeSummary writeChangeRaster(const RasterStack& before, const RasterStack& after,
                                const ChangeOptions& options, const std::filesystem::path& output,
                                Progress& progress);

}  // namespace geih::geo
