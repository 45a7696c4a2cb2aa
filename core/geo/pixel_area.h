// The ground area of a grid's pixels, for class areas in km².
#pragma once

#include <string>
#include <vector>

#include "core/geo/raster_stack.h"

namespace geih::geo {

// km² of one pixel in each row: exact on a projected grid (in its linear unit), by the latitude
// of the row on a geographic one. `note` explains an approximation (geographic CRS, no CRS).
std::vector<double> rowAreasKm2(const Grid& grid, std::string& note);

}  // namespace geih::geo
