// Training samples from rasters: a table of the feature stack's band values plus label, x/y (the
// pixel centre in map coordinates, for spatial block cross-validation) and row/col, from
//  - a label raster on the stack's grid (burned / deforested or not): every labelled pixel, or at
//    most N per class drawn uniformly by reservoir sampling (seeded), or
//  - a point layer of positives (fire hotspots): the pixels the points fall in are positives, and
//    background pixels drawn uniformly (seeded) from the other valid pixels at a chosen ratio.
// Pixels where a feature band or the label is nodata are skipped. Rows come out in pixel order.
// The stack is read strip by strip; memory holds the samples, never the raster. A categorical band
// (one with class names) becomes a categorical column of those names.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/common/progress.h"
#include "core/geo/proximity.h"
#include "core/geo/raster_stack.h"
#include "core/table/table.h"

namespace geih::geo {

struct SampleOptions {
  std::string labelColumn = "label";
  std::size_t maxPerClass = 0;   // label raster: 0 = every labelled pixel
  double backgroundRatio = 1.0;  // points: background pixels per positive
  std::uint64_t seed = 42;
  // Label raster: values that count as positive; empty = every non-zero value.
  std::vector<double> positiveValues;
};

struct SampleSummary {
  std::size_t positives = 0;
  std::size_t negatives = 0;
  std::size_t skippedNodata = 0;     // labelled pixels or points dropped for nodata features
  std::size_t pointsOutside = 0;     // points off the grid
  std::size_t duplicatePoints = 0;   // points sharing a pixel with an earlier one
};

// Throws InputError when the label raster is on another grid, a band is missing, or no sample
// remains.
table::Table samplesFromLabelRaster(const RasterStack& features, const RasterStack& labels, int labelBand,
                                    const SampleOptions& options, SampleSummary& summary,
                                    Progress& progress);

// Throws InputError when the layer cannot be read, has no points on the grid, or no sample remains.
table::Table samplesFromPoints(const RasterStack& features, const VectorSource& points,
                               const SampleOptions& options, SampleSummary& summary, Progress& progress);

}  // namespace geih::geo
