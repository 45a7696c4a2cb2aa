#include "core/geo/temporal_aggregates.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/common/error.h"
#include "core/geo/geotiff_output.h"

namespace geih::geo {

namespace {
constexpr float kNodata = -9999.0f;

struct Accumulators {
  std::vector<double> sum, min, max;
  std::vector<int> valid, dry, lastRain;  // lastRain: date index of the newest rainy date, −1 none
  void reset(std::size_t pixels) {
    sum.assign(pixels, 0.0);
    min.assign(pixels, std::numeric_limits<double>::infinity());
    max.assign(pixels, -std::numeric_limits<double>::infinity());
    valid.assign(pixels, 0);
    dry.assign(pixels, 0);
    lastRain.assign(pixels, -1);
  }
};

float statValue(TemporalStat stat, const Accumulators& a, std::size_t p, int dates) {
  if (a.valid[p] == 0) return kNodata;
  switch (stat) {
    case TemporalStat::Mean: return float(a.sum[p] / a.valid[p]);
    case TemporalStat::Min: return float(a.min[p]);
    case TemporalStat::Max: return float(a.max[p]);
    case TemporalStat::Sum: return float(a.sum[p]);
    case TemporalStat::DryDays: return float(a.dry[p]);
    case TemporalStat::DaysSinceRain: return float(a.lastRain[p] < 0 ? dates : dates - 1 - a.lastRain[p]);
  }
  return kNodata;
}
}  // namespace

TemporalStat parseTemporalStat(const std::string& name) {
  std::string key = name;
  std::replace(key.begin(), key.end(), '-', '_');
  std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  if (key == "mean") return TemporalStat::Mean;
  if (key == "min") return TemporalStat::Min;
  if (key == "max") return TemporalStat::Max;
  if (key == "sum") return TemporalStat::Sum;
  if (key == "dry_days") return TemporalStat::DryDays;
  if (key == "days_since_rain") return TemporalStat::DaysSinceRain;
  throw InputError("unknown statistic '" + name +
                   "' (choose mean, min, max, sum, dry-days, days-since-rain)");
}

std::string temporalStatName(TemporalStat stat) {
  switch (stat) {
    case TemporalStat::Mean: return "mean";
    case TemporalStat::Min: return "min";
    case TemporalStat::Max: return "max";
    case TemporalStat::Sum: return "sum";
    case TemporalStat::DryDays: return "dry_days";
    case TemporalStat::DaysSinceRain: return "days_since_rain";
  }
  return "?";
}

TemporalSummary writeTemporalAggregates(const RasterStack& series, const TemporalOptions& options,
                                        const std::filesystem::path& output, Progress& progress) {
  if (options.stats.empty()) throw InputError("no statistic asked for");
  const int bands = int(series.bandNames().size());
  if (options.lastDates < 0 || options.lastDates > bands) {
    throw InputError("--last " + std::to_string(options.lastDates) + " asks for more dates than '" +
                     series.path().string() + "' holds (" + std::to_string(bands) + " bands)");
  }
  const int first = options.lastDates == 0 ? 0 : bands - options.lastDates;
  const int dates = bands - first;
  const Grid& grid = series.grid();

  TemporalSummary summary;
  summary.path = output;
  summary.dates = dates;
  PendingFiles files;
  GeoTiffOutput raster(files, output, grid, int(options.stats.size()), PixelType::Float32);
  for (std::size_t s = 0; s < options.stats.size(); ++s) {
    const std::string stat = temporalStatName(options.stats[s]);
    summary.bandNames.push_back(options.prefix.empty() ? stat : options.prefix + "_" + stat);
    raster.describeBand(int(s), summary.bandNames.back(), kNodata);
  }

  const int stripRows = std::max(16, series.blockHeight());
  Accumulators acc;
  std::vector<float> values;
  std::vector<float> strip;
  for (int row = 0; row < grid.height; row += stripRows) {
    const int rows = std::min(stripRows, grid.height - row);
    const std::size_t pixels = std::size_t(grid.width) * std::size_t(rows);
    acc.reset(pixels);
    values.resize(pixels);
    for (int d = 0; d < dates; ++d) {
      progress.checkCancelled();
      progress.report((double(row) + double(rows) * d / dates) / grid.height, "aggregating dates");
      const int band = first + d;
      series.readRows(band, row, rows, values.data());
      const auto nodata = series.nodata(band);
      for (std::size_t p = 0; p < pixels; ++p) {
        const double v = values[p];
        if (isNodataOrNan(v, nodata)) continue;
        acc.valid[p] += 1;
        acc.sum[p] += v;
        acc.min[p] = std::min(acc.min[p], v);
        acc.max[p] = std::max(acc.max[p], v);
        if (v >= options.rainThreshold) {
          acc.lastRain[p] = d;
        } else {
          acc.dry[p] += 1;
        }
      }
    }
    strip.resize(pixels);
    for (std::size_t s = 0; s < options.stats.size(); ++s) {
      for (std::size_t p = 0; p < pixels; ++p) strip[p] = statValue(options.stats[s], acc, p, dates);
      raster.writeRows(int(s), row, rows, strip.data());
    }
    for (std::size_t p = 0; p < pixels; ++p) summary.validPixels += acc.valid[p] > 0;
  }
  progress.report(1.0, "aggregating dates");
  raster.finish();
  files.publish();
  return summary;
}

}  // namespace geih::geo
