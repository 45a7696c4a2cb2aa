// Per-pixel aggregates of a multi-date stack: the bands of one raster are consecutive dates, oldest
// first (e.g. 120 daily precipitation grids), reduced to one band per statistic:
//   mean, min, max, sum        over the pixel's valid (not nodata) dates
//   dry_days                   valid dates with a value below the rain threshold
//   days_since_rain            dates after the newest one at or above the threshold (0 when the
//                              newest date is rainy; the window length when it never rained)
// Bands are read one at a time into per-pixel accumulators, so memory is one strip of one band
// plus the accumulators, whatever the number of dates. A pixel with no valid date is nodata.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/common/progress.h"
#include "core/geo/raster_stack.h"

namespace geih::geo {

enum class TemporalStat { Mean, Min, Max, Sum, DryDays, DaysSinceRain };

// "mean", "min", "max", "sum", "dry-days" (or dry_days), "days-since-rain". InputError otherwise.
TemporalStat parseTemporalStat(const std::string& name);
std::string temporalStatName(TemporalStat stat);  // as in band names: "dry_days", ...

struct TemporalOptions {
  std::vector<TemporalStat> stats{TemporalStat::Mean, TemporalStat::Max, TemporalStat::DryDays,
                                  TemporalStat::DaysSinceRain};
  std::string prefix;          // band names are "<prefix>_<stat>" (just "<stat>" when empty)
  double rainThreshold = 1.0;  // a date at or above it is rainy (mm for daily precipitation)
  int lastDates = 0;           // use only the newest N bands; 0 = all
};

struct TemporalSummary {
  std::filesystem::path path;
  int dates = 0;                        // bands reduced
  std::vector<std::string> bandNames;   // of the output, in order
  std::size_t validPixels = 0;          // pixels with at least one valid date
};

// Writes `output` (Float32, one band per statistic, nodata −9999). Throws InputError for an
// empty statistic list or a lastDates beyond the band count; nothing is left behind on error.
TemporalSummary writeTemporalAggregates(const RasterStack& series, const TemporalOptions& options,
                                        const std::filesystem::path& output, Progress& progress);

}  // namespace geih::geo
