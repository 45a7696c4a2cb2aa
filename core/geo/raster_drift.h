// Drift maps: where on the ground the data changed. Two rasters of the same place (e.g. the
// feature stack at training time and this season's), on one grid, bands matched by name, are
// compared tile by tile: per feature the PSI (reference tile's deciles as bins, as in
// drift/psi.h) or the two-sample KS statistic D of the tile's pixels, and the share of features
// that drifted in the tile. Written as a GeoTIFF whose pixels are the tiles (same origin and CRS,
// pixel size × tile size), so it overlays the inputs exactly in the map view.
//
// Tiles are independent samples of a few thousand autocorrelated pixels, so p-values mean little
// there; a tile drifts when its statistic reaches the threshold (PSI 0.1 as Evidently's default,
// KS D 0.1). Memory: one strip of tile rows of the compared bands of both rasters.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/common/progress.h"
#include "core/geo/raster_stack.h"

namespace geih::geo {

enum class TileDriftTest { Psi, Ks };

struct RasterDriftOptions {
  int tileSize = 64;
  TileDriftTest test = TileDriftTest::Psi;
  double threshold = 0.1;
  int bins = 10;                      // PSI
  int minPixels = 50;                 // a tile with fewer valid pixels on either side is nodata
  std::vector<std::string> features;  // empty: every band name both rasters hold
  int threads = 0;                    // 0: all
};

struct FeatureDriftArea {
  std::string name;
  std::size_t driftedTiles = 0;
  double meanStatistic = 0;  // over the valid tiles
};

struct RasterDriftSummary {
  std::filesystem::path path;
  int tilesX = 0, tilesY = 0;
  std::size_t validTiles = 0;
  std::vector<FeatureDriftArea> features;  // in band order of the output
  double meanShareDrifted = 0;             // over the valid tiles
};

// Throws InputError for other grids, no common band, a requested feature missing on a side
// (naming it and what each side has), a tile size below 4 or a bad threshold. Nothing is left
// behind on error.
RasterDriftSummary writeRasterDriftMap(const RasterStack& reference, const RasterStack& current,
                                       const RasterDriftOptions& options,
                                       const std::filesystem::path& output, Progress& progress);

// D of two samples (both sorted ascending, no NaN).
double ksStatisticSorted(const std::vector<double>& a, const std::vector<double>& b);

}  // namespace geih::geo
