// Distance to the nearest road, settlement or hotspot: the features of a vector layer
// (Shapefile, GeoPackage, GeoJSON, or a CSV of points with x/y or lon/lat columns, through OGR)
// are burnt onto a raster grid (every pixel a feature touches), then GDAL's proximity gives each
// pixel centre's distance to the nearest burnt pixel centre in the grid's units (metres on a
// projected grid). Geometries in another CRS are reprojected to the grid's by GDAL; a CSV has no
// CRS and is taken to be in the grid's.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

#include "core/common/progress.h"
#include "core/geo/raster_stack.h"

namespace geih::geo {

struct VectorSource {
  std::filesystem::path path;
  std::string layer;  // empty: the first layer
  std::string where;  // optional OGR attribute filter, e.g. "highway = 'primary'"
};

struct ProximitySummary {
  std::size_t featurePixels = 0;  // pixels the features touch (distance 0)
  double maxDistance = 0;
};

// Writes a one-band Float32 GeoTIFF "dist_<layer>" on `grid`. `maxDistance` > 0 caps distances
// (farther pixels get the cap). Throws InputError when the vector cannot be opened, the layer
// does not exist, the filter is invalid or no feature falls on the grid; IoError when writing
// fails. Nothing is left at `output` on error.
ProximitySummary writeProximityRaster(const VectorSource& source, const Grid& grid,
                                      const std::filesystem::path& output, double maxDistance,
                                      Progress& progress);

}  // namespace geih::geo
