#include "core/geo/sample_extraction.h"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "core/common/error.h"
#include "core/common/rng.h"
#include "core/geo/burn_severity.h"

namespace geih::geo {

namespace {

struct Sample {
  std::uint64_t pixel = 0;
  double label = 0;
  std::vector<double> values;
};

// Keeps at most `capacity` items seen so far, each with equal probability (Algorithm R).
class Reservoir {
 public:
  Reservoir(std::size_t capacity, std::uint64_t seed) : m_capacity(capacity), m_rng(seed) {}
  // True when the item should be stored; `slot` is where (replacing an older one when full).
  bool offer(std::size_t& slot) {
    ++m_seen;
    if (m_capacity == 0 || m_items.size() < m_capacity) {
      slot = m_items.size();
      m_items.emplace_back();
      return true;
    }
    const std::uint64_t j = m_rng.below(m_seen);
    if (j >= m_capacity) return false;
    slot = std::size_t(j);
    return true;
  }
  std::vector<Sample>& items() { return m_items; }

 private:
  std::size_t m_capacity;
  Rng m_rng;
  std::uint64_t m_seen = 0;
  std::vector<Sample> m_items;
};

bool isNodata(const RasterStack& stack, int band, double value) {
  const auto nodata = stack.nodata(band);
  return std::isnan(value) || (nodata && value == *nodata);
}

table::Table buildTable(const RasterStack& features, std::vector<Sample> samples, const SampleOptions& options) {
  if (samples.empty()) throw InputError("no sample remains (every candidate pixel is nodata or unlabelled)");
  std::sort(samples.begin(), samples.end(), [](const Sample& a, const Sample& b) { return a.pixel < b.pixel; });
  const Grid& grid = features.grid();
  const auto& g = grid.geoTransform;
  const std::size_t width = std::size_t(grid.width);
  table::Table out;
  for (std::size_t b = 0; b < features.bandNames().size(); ++b) {
    const std::vector<std::string>& categories = features.categoryNames(int(b));
    if (!categories.empty()) {
      std::vector<std::string> names;
      for (const Sample& s : samples) {
        const long long code = std::llround(s.values[b]);
        names.push_back(code >= 0 && std::size_t(code) < categories.size() ? categories[std::size_t(code)]
                                                                        : std::to_string(code));
      }
      out.addColumn(table::Column::categoricalFromStrings(features.bandNames()[b], names));
    } else {
      std::vector<double> values;
      for (const Sample& s : samples) values.push_back(s.values[b]);
      out.addColumn(table::Column::numeric(features.bandNames()[b], values));
    }
  }
  std::vector<double> label, x, y, row, col;
  for (const Sample& s : samples) {
    const double r = double(s.pixel / width);
    const double c = double(s.pixel % width);
    label.push_back(s.label);
    x.push_back(g[0] + g[1] * (c + 0.5) + g[2] * (r + 0.5));
    y.push_back(g[3] + g[4] * (c + 0.5) + g[5] * (r + 0.5));
    row.push_back(r);
    col.push_back(c);
  }
  for (const char* reserved : {"x", "y", "row", "col"}) {
    if (features.bandIndex(reserved) || options.labelColumn == reserved) {
      throw InputError(std::string("a band or the label is named '") + reserved +
                       "', which the samples table uses for pixel coordinates; rename it");
    }
  }
  if (features.bandIndex(options.labelColumn)) {
    throw InputError("the stack has a band named '" + options.labelColumn + "'; choose another label name");
  }
  out.addColumn(table::Column::numeric(options.labelColumn, label));
  out.addColumn(table::Column::numeric("x", x));
  out.addColumn(table::Column::numeric("y", y));
  out.addColumn(table::Column::numeric("row", row));
  out.addColumn(table::Column::numeric("col", col));
  return out;
}

// Reads the stack strip by strip and hands `visit(pixel, values, valid)` every pixel.
template <typename Visit>
void streamPixels(const RasterStack& features, Progress& progress, const char* stage, Visit&& visit,
                  const RasterStack* labels = nullptr, int labelBand = 0) {
  const Grid& grid = features.grid();
  const std::size_t bands = features.bandNames().size();
  const int stripRows = std::max(64, features.blockHeight());
  std::vector<std::vector<double>> strips(bands);
  std::vector<double> labelStrip;
  std::vector<double> values(bands);
  for (int row = 0; row < grid.height; row += stripRows) {
    progress.checkCancelled();
    progress.report(double(row) / grid.height, stage);
    const int rows = std::min(stripRows, grid.height - row);
    const std::size_t pixels = std::size_t(grid.width) * std::size_t(rows);
    for (std::size_t b = 0; b < bands; ++b) {
      strips[b].resize(pixels);
      features.readRows(int(b), row, rows, strips[b].data());
    }
    if (labels) {
      labelStrip.resize(pixels);
      labels->readRows(labelBand, row, rows, labelStrip.data());
    }
    const std::uint64_t first = std::uint64_t(row) * std::uint64_t(grid.width);
    for (std::size_t p = 0; p < pixels; ++p) {
      bool valid = true;
      for (std::size_t b = 0; b < bands; ++b) {
        values[b] = strips[b][p];
        valid = valid && !isNodata(features, int(b), values[b]);
      }
      visit(first + p, values, valid, labels ? labelStrip[p] : 0.0);
    }
  }
  progress.report(1.0, stage);
}

}  // namespace

table::Table samplesFromLabelRaster(const RasterStack& features, const RasterStack& labels, int labelBand,
                                    const SampleOptions& options, SampleSummary& summary,
                                    Progress& progress) {
  requireSameGrid(features, labels);
  if (labelBand < 0 || labelBand >= int(labels.bandNames().size())) {
    throw InputError("label raster '" + labels.path().string() + "' has no band " + std::to_string(labelBand + 1));
  }
  Reservoir positives(options.maxPerClass, options.seed);
  Reservoir negatives(options.maxPerClass, options.seed + 1);
  const std::set<double> positiveValues(options.positiveValues.begin(), options.positiveValues.end());
  streamPixels(
      features, progress, "sampling",
      [&](std::uint64_t pixel, const std::vector<double>& values, bool valid, double label) {
        if (isNodata(labels, labelBand, label)) return;
        if (!valid) {
          ++summary.skippedNodata;
          return;
        }
        const bool positive = positiveValues.empty() ? label != 0 : positiveValues.count(label) > 0;
        Reservoir& reservoir = positive ? positives : negatives;
        std::size_t slot = 0;
        if (reservoir.offer(slot)) reservoir.items()[slot] = Sample{pixel, positive ? 1.0 : 0.0, values};
      },
      &labels, labelBand);
  summary.positives = positives.items().size();
  summary.negatives = negatives.items().size();
  std::vector<Sample> all = std::move(positives.items());
  for (Sample& s : negatives.items()) all.push_back(std::move(s));
  return buildTable(features, std::move(all), options);
}

table::Table samplesFromPoints(const RasterStack& features, const VectorSource& points,
                               const SampleOptions& options, SampleSummary& summary, Progress& progress) {
  GDALAllRegister();
  const char* openOptions[] = {"X_POSSIBLE_NAMES=x,lon,long,longitude,easting",
                               "Y_POSSIBLE_NAMES=y,lat,latitude,northing", "KEEP_GEOM_COLUMNS=NO", nullptr};
  const bool csv = points.path.extension() == ".csv";
  CPLErrorReset();
  GDALDatasetUniquePtr dataset(GDALDataset::Open(points.path.string().c_str(),
                                                         GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr,
                                                         csv ? openOptions : nullptr, nullptr));
  if (!dataset) throw InputError("cannot open point layer '" + points.path.string() + "': " + CPLGetLastErrorMsg());
  OGRLayer* layer = points.layer.empty() ? dataset->GetLayer(0) : dataset->GetLayerByName(points.layer.c_str());
  if (!layer) throw InputError("'" + points.path.string() + "' has no layer '" + points.layer + "'");
  if (!points.where.empty() && layer->SetAttributeFilter(points.where.c_str()) != OGRERR_NONE) {
    throw InputError("bad filter '" + points.where + "': " + CPLGetLastErrorMsg());
  }
  const Grid& grid = features.grid();
  std::unique_ptr<OGRCoordinateTransformation> transform;
  if (const OGRSpatialReference* from = layer->GetSpatialRef(); from && !grid.projectionWkt.empty()) {
    OGRSpatialReference to;
    to.importFromWkt(grid.projectionWkt.c_str());
    to.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    OGRSpatialReference source(*from);
    source.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    if (!source.IsSame(&to)) transform.reset(OGRCreateCoordinateTransformation(&source, &to));
  }
  const auto& g = grid.geoTransform;
  const double determinant = g[1] * g[5] - g[2] * g[4];
  std::set<std::uint64_t> positivePixels;
  for (auto& feature : *layer) {
    const OGRGeometry* geometry = feature->GetGeometryRef();
    if (!geometry || geometry->IsEmpty()) continue;
    OGREnvelope envelope;
    geometry->getEnvelope(&envelope);
    double x = (envelope.MinX + envelope.MaxX) / 2;
    double y = (envelope.MinY + envelope.MaxY) / 2;
    if (transform && !transform->Transform(1, &x, &y)) {
      ++summary.pointsOutside;
      continue;
    }
    // Inverse of the affine geotransform.
    const double dx = x - g[0];
    const double dy = y - g[3];
    const double col = (g[5] * dx - g[2] * dy) / determinant;
    const double row = (-g[4] * dx + g[1] * dy) / determinant;
    if (col < 0 || row < 0 || col >= grid.width || row >= grid.height) {
      ++summary.pointsOutside;
      continue;
    }
    const std::uint64_t pixel = std::uint64_t(row) * std::uint64_t(grid.width) + std::uint64_t(col);
    if (!positivePixels.insert(pixel).second) ++summary.duplicatePoints;
  }
  if (positivePixels.empty()) {
    throw InputError("no point of '" + points.path.string() + "' falls on the raster's grid (" +
                     std::to_string(summary.pointsOutside) + " outside); check its CRS and extent");
  }
  // Background candidates: distinct non-positive pixels drawn uniformly; more than needed, since
  // some will be nodata. Kept in draw order so the first valid ones are a uniform sample.
  const std::uint64_t total = std::uint64_t(grid.width) * std::uint64_t(grid.height);
  const std::size_t wanted = std::size_t(std::llround(options.backgroundRatio * double(positivePixels.size())));
  const std::uint64_t available = total - positivePixels.size();
  const std::size_t draws = std::size_t(std::min<std::uint64_t>(available, wanted * 2 + 64));
  Rng rng(options.seed);
  std::map<std::uint64_t, std::size_t> candidateOrder;  // pixel -> draw index
  while (candidateOrder.size() < draws) {
    const std::uint64_t pixel = rng.below(total);
    if (positivePixels.count(pixel) || candidateOrder.count(pixel)) continue;
    candidateOrder.emplace(pixel, candidateOrder.size());
  }
  std::vector<Sample> samples;
  std::vector<std::pair<std::size_t, Sample>> background;
  streamPixels(features, progress, "sampling",
               [&](std::uint64_t pixel, const std::vector<double>& values, bool valid, double) {
                 if (positivePixels.count(pixel)) {
                   if (valid) {
                     samples.push_back(Sample{pixel, 1.0, values});
                   } else {
                     ++summary.skippedNodata;
                   }
                   return;
                 }
                 const auto candidate = candidateOrder.find(pixel);
                 if (candidate != candidateOrder.end() && valid) {
                   background.emplace_back(candidate->second, Sample{pixel, 0.0, values});
                 }
               });
  std::sort(background.begin(), background.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  if (background.size() > wanted) background.resize(wanted);
  summary.positives = samples.size();
  summary.negatives = background.size();
  for (auto& [order, sample] : background) samples.push_back(std::move(sample));
  return buildTable(features, std::move(samples), options);
}

}  // namespace geih::geo
