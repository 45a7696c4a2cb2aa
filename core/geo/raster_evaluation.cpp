#include "core/geo/raster_evaluation.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/common/error.h"
#include "core/eval/score_histogram.h"
#include "core/geo/burn_severity.h"

namespace geih::geo {

namespace {
void requireBand(const RasterStack& stack, int band) {
  const int bands = int(stack.bandNames().size());
  if (band < 0 || band >= bands) {
    throw InputError("'" + stack.path().string() + "' has no band " + std::to_string(band + 1) + " (it has " +
                     std::to_string(bands) + ")");
  }
}

// Calls visit(score, label) for each pixel valid in both rasters, strip by strip.
template <typename Visit>
void forEachPair(const RasterStack& scores, int scoreBand, const RasterStack& labels, int labelBand,
                 Progress& progress, double progressFrom, const char* stage, Visit visit) {
  const Grid& grid = scores.grid();
  const int stripRows = std::max(64, scores.blockHeight());
  std::vector<float> s;
  std::vector<float> l;
  const auto scoreNodata = scores.nodata(scoreBand);
  const auto labelNodata = labels.nodata(labelBand);
  for (int row = 0; row < grid.height; row += stripRows) {
    progress.checkCancelled();
    progress.report(progressFrom + 0.5 * row / grid.height, stage);
    const int rows = std::min(stripRows, grid.height - row);
    const std::size_t pixels = std::size_t(grid.width) * std::size_t(rows);
    s.resize(pixels);
    l.resize(pixels);
    scores.readRows(scoreBand, row, rows, s.data());
    labels.readRows(labelBand, row, rows, l.data());
    for (std::size_t p = 0; p < pixels; ++p) {
      if (!isNodataOrNan(s[p], scoreNodata) && !isNodataOrNan(l[p], labelNodata)) visit(double(s[p]), l[p] > 0.5f);
    }
  }
}
}  // namespace

RasterEvaluation evaluateScoreRaster(const RasterStack& scores, int scoreBand, const RasterStack& labels,
                                     int labelBand, Progress& progress) {
  requireSameGrid(scores, labels);
  requireBand(scores, scoreBand);
  requireBand(labels, labelBand);
  RasterEvaluation result;
  double low = std::numeric_limits<double>::infinity();
  double high = -low;
  forEachPair(scores, scoreBand, labels, labelBand, progress, 0.0, "score range", [&](double s, bool positive) {
    low = std::min(low, s);
    high = std::max(high, s);
    ++result.pixels;
    result.positives += positive;
  });
  if (result.pixels == 0) {
    throw InputError("no pixel is valid in both '" + scores.path().string() + "' and '" + labels.path().string() + "'");
  }
  result.scoreMin = low;
  result.scoreMax = high;
  // A constant score still needs a range; every pixel then lands in one bin (all tied: AUC 0.5).
  eval::ScoreHistogram histogram(low, high > low ? high : low + 1.0);
  forEachPair(scores, scoreBand, labels, labelBand, progress, 0.5, "ranking",
              [&](double s, bool positive) { histogram.add(s, positive); });
  progress.report(1.0, "ranking");
  result.rocAuc = histogram.rocAuc();
  result.averagePrecision = histogram.averagePrecision();
  return result;
}

}  // namespace geih::geo
