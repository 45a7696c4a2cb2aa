// Terrain features from a digital elevation model, through GDAL's DEM processing (Horn's 3 x 3
// method, edges computed): one GeoTIFF on the DEM's grid with the bands
//   elevation   the DEM's values (metres)
//   slope       degrees from horizontal
//   aspect      degrees clockwise from north the slope faces; −1 where flat
//   northness   cos(aspect), 0 where flat      (aspect as two continuous features: 359° and 1°
//   eastness    sin(aspect), 0 where flat       are neighbours, as they are on the ground)
// nodata −9999 where the DEM is nodata. On a geographic DEM, horizontal units are converted
// with 111,120 m per degree (GDAL's -s), as GDAL's documentation advises.
#pragma once

#include <filesystem>

#include "core/common/progress.h"

namespace geih::geo {

// Throws InputError when the DEM cannot be opened, IoError when writing fails (nothing is left).
void writeTerrainRaster(const std::filesystem::path& dem, const std::filesystem::path& output,
                        Progress& progress);

}  // namespace geih::geo
