#include "core/geo/raster_drift.h"

#include <omp.h>

#include <algorithm>
#include <cmath>

#include "core/common/error.h"
#include "core/drift/psi.h"
#include "core/geo/burn_severity.h"
#include "core/geo/geotiff_output.h"

namespace geih::geo {

namespace {
constexpr float kNodata = -9999.0f;

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + name;
  return out.empty() ? "(none)" : out;
}

struct BandPair {
  std::string name;
  int reference = 0;
  int current = 0;
};

std::vector<BandPair> matchBands(const RasterStack& reference, const RasterStack& current,
                                 const std::vector<std::string>& requested) {
  std::vector<BandPair> pairs;
  const auto add = [&](const std::string& name, bool mustExist) {
    const auto r = reference.bandIndex(name);
    const auto c = current.bandIndex(name);
    if (r && c) {
      pairs.push_back({name, *r, *c});
    } else if (mustExist) {
      throw InputError("feature '" + name + "' is not in both rasters: '" + reference.path().string() +
                       "' has " + joined(reference.bandNames()) + "; '" + current.path().string() +
                       "' has " + joined(current.bandNames()));
    }
  };
  if (requested.empty()) {
    for (const std::string& name : reference.bandNames()) add(name, false);
  } else {
    for (const std::string& name : requested) add(name, true);
  }
  if (pairs.empty()) {
    throw InputError("'" + reference.path().string() + "' (" + joined(reference.bandNames()) + ") and '" +
                     current.path().string() + "' (" + joined(current.bandNames()) +
                     ") have no band name in common to compare");
  }
  return pairs;
}

void appendValid(const std::vector<float>& strip, std::size_t width, int rows, int col0, int cols,
                 const std::optional<double>& nodata, std::vector<double>& out) {
  out.clear();
  for (int r = 0; r < rows; ++r) {
    const float* line = strip.data() + std::size_t(r) * width + std::size_t(col0);
    for (int c = 0; c < cols; ++c) {
      const float v = line[c];
      if (isNodataOrNan(v, nodata)) continue;
      out.push_back(double(v));
    }
  }
}
}  // namespace

double ksStatisticSorted(const std::vector<double>& a, const std::vector<double>& b) {
  std::size_t i = 0;
  std::size_t j = 0;
  double d = 0;
  while (i < a.size() && j < b.size()) {
    const double v = std::min(a[i], b[j]);
    while (i < a.size() && a[i] <= v) ++i;
    while (j < b.size() && b[j] <= v) ++j;
    d = std::max(d, std::abs(double(i) / a.size() - double(j) / b.size()));
  }
  return d;
}

RasterDriftSummary writeRasterDriftMap(const RasterStack& reference, const RasterStack& current,
                                       const RasterDriftOptions& options,
                                       const std::filesystem::path& output, Progress& progress) {
  if (options.tileSize < 4) throw InputError("tile size must be at least 4 pixels, not " + std::to_string(options.tileSize));
  if (!(options.threshold > 0)) throw InputError("the drift threshold must be above 0");
  requireSameGrid(reference, current);
  const std::vector<BandPair> bands = matchBands(reference, current, options.features);
  const Grid& grid = reference.grid();
  const int tile = options.tileSize;
  const int minPixels = std::max(1, options.minPixels);  // PSI and KS need a sample on each side

  RasterDriftSummary summary;
  summary.path = output;
  summary.tilesX = (grid.width + tile - 1) / tile;
  summary.tilesY = (grid.height + tile - 1) / tile;
  Grid tileGrid = grid;
  tileGrid.width = summary.tilesX;
  tileGrid.height = summary.tilesY;
  tileGrid.geoTransform[1] *= tile;
  tileGrid.geoTransform[2] *= tile;
  tileGrid.geoTransform[4] *= tile;
  tileGrid.geoTransform[5] *= tile;

  const std::string suffix = options.test == TileDriftTest::Psi ? "_psi" : "_ks";
  const int featureCount = int(bands.size());
  PendingFiles files;
  GeoTiffOutput map(files, output, tileGrid, featureCount + 1, PixelType::Float32);
  for (int f = 0; f < featureCount; ++f) {
    map.describeBand(f, bands[std::size_t(f)].name + suffix, kNodata);
    summary.features.push_back({bands[std::size_t(f)].name, 0, 0});
  }
  map.describeBand(featureCount, "share_drifted", kNodata);

  const std::size_t width = std::size_t(grid.width);
  const int threads = options.threads > 0 ? options.threads : omp_get_max_threads();
  std::vector<std::vector<float>> refStrips(bands.size()), curStrips(bands.size());
  std::vector<std::vector<float>> rowValues(std::size_t(featureCount) + 1,
                                            std::vector<float>(std::size_t(summary.tilesX)));
  std::vector<double> statisticSums(bands.size(), 0.0);
  double shareSum = 0;
  for (int ty = 0; ty < summary.tilesY; ++ty) {
    progress.checkCancelled();
    progress.report(double(ty) / summary.tilesY, "drift by tile");
    const int row = ty * tile;
    const int rows = std::min(tile, grid.height - row);
    for (std::size_t b = 0; b < bands.size(); ++b) {
      refStrips[b].resize(width * std::size_t(rows));
      curStrips[b].resize(width * std::size_t(rows));
      reference.readRows(bands[b].reference, row, rows, refStrips[b].data());
      current.readRows(bands[b].current, row, rows, curStrips[b].data());
    }
    std::vector<int> tileValid(std::size_t(summary.tilesX), 1);
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1)
    for (int tx = 0; tx < summary.tilesX; ++tx) {
      const int col = tx * tile;
      const int cols = std::min(tile, grid.width - col);
      std::vector<double> a;
      std::vector<double> c;
      int drifted = 0;
      bool valid = true;
      for (std::size_t b = 0; b < bands.size() && valid; ++b) {
        appendValid(refStrips[b], width, rows, col, cols, reference.nodata(bands[b].reference), a);
        appendValid(curStrips[b], width, rows, col, cols, current.nodata(bands[b].current), c);
        if (int(a.size()) < minPixels || int(c.size()) < minPixels) {
          valid = false;
          break;
        }
        double statistic = 0;
        if (options.test == TileDriftTest::Psi) {
          statistic = drift::populationStabilityIndex(a, c, options.bins).psi;
        } else {
          std::sort(a.begin(), a.end());
          std::sort(c.begin(), c.end());
          statistic = ksStatisticSorted(a, c);
        }
        rowValues[b][std::size_t(tx)] = float(statistic);
        drifted += statistic >= options.threshold;
      }
      tileValid[std::size_t(tx)] = valid;
      if (!valid) {
        for (auto& values : rowValues) values[std::size_t(tx)] = kNodata;
      } else {
        rowValues[bands.size()][std::size_t(tx)] = float(drifted) / float(featureCount);
      }
    }
    for (int tx = 0; tx < summary.tilesX; ++tx) {
      if (!tileValid[std::size_t(tx)]) continue;
      ++summary.validTiles;
      for (std::size_t b = 0; b < bands.size(); ++b) {
        const double s = rowValues[b][std::size_t(tx)];
        statisticSums[b] += s;
        summary.features[b].driftedTiles += s >= options.threshold;
      }
      shareSum += rowValues[bands.size()][std::size_t(tx)];
    }
    for (int f = 0; f <= featureCount; ++f) map.writeRows(f, ty, 1, rowValues[std::size_t(f)].data());
  }
  progress.report(1.0, "drift by tile");
  if (summary.validTiles) {
    for (std::size_t b = 0; b < bands.size(); ++b) summary.features[b].meanStatistic = statisticSums[b] / summary.validTiles;
    summary.meanShareDrifted = shareSum / summary.validTiles;
  }
  map.finish();
  files.publish();
  return summary;
}

}  // namespace geih::geo
