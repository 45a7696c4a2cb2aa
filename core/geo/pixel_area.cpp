#include "core/geo/pixel_area.h"

#include <ogr_spatialref.h>

#include <cmath>

namespace geih::geo {

std::vector<double> rowAreasKm2(const Grid& grid, std::string& note) {
  std::vector<double> areas(std::size_t(grid.height), 0.0);
  const auto& g = grid.geoTransform;
  const double cell = std::abs(g[1] * g[5] - g[2] * g[4]);
  OGRSpatialReference reference;
  const bool known = !grid.projectionWkt.empty() &&
                     reference.importFromWkt(grid.projectionWkt.c_str()) == OGRERR_NONE;
  if (known && reference.IsGeographic()) {
    constexpr double kmPerDegree = 111.32;
    for (int row = 0; row < grid.height; ++row) {
      const double latitude = g[3] + g[5] * (row + 0.5);
      areas[std::size_t(row)] =
          cell * kmPerDegree * kmPerDegree * std::cos(latitude * M_PI / 180.0);
    }
    note = "geographic CRS: areas from the cell size in degrees at each row's latitude";
    return areas;
  }
  double metres = 1.0;
  if (known && reference.IsProjected()) {
    metres = reference.GetLinearUnits();
  } else {
    note = "no CRS: areas assume map units of metres";
  }
  std::fill(areas.begin(), areas.end(), cell * metres * metres / 1e6);
  return areas;
}

}  // namespace geih::geo
