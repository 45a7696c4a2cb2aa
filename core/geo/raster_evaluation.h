// How well a score raster (a model's probability map, INPE's fire risk, dNBR, ...) ranks the
// pixels of a label raster: ROC AUC and average precision over every pixel where both are valid,
// in bounded memory (two passes by strips: the score range, then eval::ScoreHistogram). This is
// how a model map is compared with a physical baseline on the same ground truth.
#pragma once

#include <cstdint>

#include "core/common/progress.h"
#include "core/geo/raster_stack.h"

namespace geih::geo {

struct RasterEvaluation {
  std::uint64_t pixels = 0;     // valid in both rasters
  std::uint64_t positives = 0;  // label > 0.5
  double scoreMin = 0, scoreMax = 0;
  double rocAuc = 0;            // NaN when one class is absent
  double averagePrecision = 0;  // NaN without positives
};

// Bands are 0-based. Throws InputError when the grids differ, a band does not exist, or no pixel
// is valid in both.
RasterEvaluation evaluateScoreRaster(const RasterStack& scores, int scoreBand, const RasterStack& labels,
                                     int labelBand, Progress& progress);

}  // namespace geih::geo
