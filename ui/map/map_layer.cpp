#include "ui/map/map_layer.h"

#include <QFile>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cctype>
#include <cmath>

namespace geih::ui {

namespace {

QColor interpolate(const std::vector<QColor>& stops, double t) {
  t = std::clamp(t, 0.0, 1.0) * double(stops.size() - 1);
  const std::size_t i = std::min(stops.size() - 2, std::size_t(t));
  const double f = t - double(i);
  const QColor& a = stops[i];
  const QColor& b = stops[i + 1];
  return QColor::fromRgbF(float(a.redF() + f * (b.redF() - a.redF())),
                          float(a.greenF() + f * (b.greenF() - a.greenF())),
                          float(a.blueF() + f * (b.blueF() - a.blueF())));
}

// A 256-entry lookup of a ramp, built once.
const std::array<QRgb, 256>& lookup(bool probability) {
  static const auto build = [](bool p) {
    std::array<QRgb, 256> table{};
    for (int i = 0; i < 256; ++i) {
      table[std::size_t(i)] = (p ? probabilityColour(i / 255.0) : rampColour(i / 255.0)).rgba();
    }
    return table;
  };
  static const std::array<QRgb, 256> ramp = build(false);
  static const std::array<QRgb, 256> probability_ = build(true);
  return probability ? probability_ : ramp;
}

bool missing(float value, const std::optional<double>& nodata) {
  return std::isnan(value) || (nodata && double(value) == *nodata);
}

int scaled(float value, double low, double high) {
  const double t = high > low ? (double(value) - low) / (high - low) : 0.5;
  return std::clamp(int(std::lround(t * 255.0)), 0, 255);
}

// 2nd and 98th percentiles of the valid values of a band, from a coarse read of the whole raster.
std::pair<double, double> stretchOf(const geo::RasterStack& stack, int band) {
  const geo::Grid& grid = stack.grid();
  const double factor = std::max(1.0, std::max(grid.width, grid.height) / 512.0);
  const int w = std::max(1, int(grid.width / factor));
  const int h = std::max(1, int(grid.height / factor));
  std::vector<float> values(std::size_t(w) * std::size_t(h));
  stack.readWindow(band, 0, 0, grid.width, grid.height, w, h, values.data());
  const auto nodata = stack.nodata(band);
  std::vector<float> valid;
  for (float v : values) {
    if (!missing(v, nodata)) valid.push_back(v);
  }
  if (valid.empty()) return {0.0, 1.0};
  auto at = [&](double q) {
    const std::size_t k = std::min(valid.size() - 1, std::size_t(q * double(valid.size() - 1)));
    std::nth_element(valid.begin(), valid.begin() + std::ptrdiff_t(k), valid.end());
    return double(valid[k]);
  };
  double low = at(0.02);
  double high = at(0.98);
  if (high <= low) high = low + 1;
  return {low, high};
}

bool looksSpectral(const std::vector<std::string>& names) {
  int spectral = 0;
  for (const std::string& name : names) {
    std::string n;
    for (char c : name) n += char(std::tolower(static_cast<unsigned char>(c)));
    const bool generic = n.rfind("band_", 0) == 0 || n.rfind("band ", 0) == 0 ||
                         (n.size() <= 3 && n[0] == 'b' && n.size() > 1 && std::isdigit(static_cast<unsigned char>(n[1])));
    const bool role = n == "red" || n == "green" || n == "blue" || n == "nir" || n.rfind("swir", 0) == 0;
    spectral += generic || role;
  }
  return spectral >= 3;
}

void computeStretch(const geo::RasterStack& stack, MapLayer& layer) {
  for (int i = 0; i < layer.bandCount(); ++i) {
    const int band = layer.bands[std::size_t(i)];
    layer.nodata[std::size_t(i)] = stack.nodata(band);
    if (layer.style == LayerStyle::Rgb || layer.style == LayerStyle::Ramp) {
      const auto [low, high] = stretchOf(stack, band);
      layer.low[std::size_t(i)] = low;
      layer.high[std::size_t(i)] = high;
    }
  }
}

}  // namespace

MapLayer restyle(const MapLayer& original, LayerStyle style, const std::array<int, 3>& bands) {
  MapLayer layer = original;
  if (layer.style == LayerStyle::Classes || layer.style == LayerStyle::Probability) return layer;
  layer.style = style;
  layer.bands = bands;
  const geo::RasterStack stack = geo::RasterStack::open(layer.path.toStdString());
  computeStretch(stack, layer);
  return layer;
}

QColor rampColour(double t) {
  static const std::vector<QColor> stops = {QColor(68, 1, 84), QColor(59, 82, 139), QColor(33, 145, 140),
                                            QColor(94, 201, 98), QColor(253, 231, 37)};
  return interpolate(stops, t);
}

QColor probabilityColour(double t) {
  static const std::vector<QColor> stops = {QColor(255, 255, 204), QColor(254, 217, 118),
                                            QColor(253, 141, 60), QColor(227, 26, 28), QColor(128, 0, 38)};
  return interpolate(stops, t);
}

MapLayer describeRaster(const QString& path) {
  const geo::RasterStack stack = geo::RasterStack::open(path.toStdString());
  MapLayer layer;
  layer.path = path;
  layer.name = QFileInfo(path).fileName();
  layer.grid = stack.grid();
  for (const std::string& name : stack.bandNames()) layer.bandNames << QString::fromStdString(name);
  const int bands = int(stack.bandNames().size());
  const auto colours = stack.colourTable(0);
  if (!colours.empty()) {
    layer.style = LayerStyle::Classes;
    layer.colours = colours;
    for (const std::string& name : stack.categoryNames(0)) layer.classNames << QString::fromStdString(name);
  } else if (bands == 1 && stack.bandNames()[0] == "probability") {
    layer.style = LayerStyle::Probability;
    layer.low = {0, 0, 0};
    layer.high = {1, 1, 1};
  } else if (bands >= 3 && looksSpectral(stack.bandNames())) {
    layer.style = LayerStyle::Rgb;
    layer.bands = {2, 1, 0};
  } else {
    layer.style = LayerStyle::Ramp;
  }
  computeStretch(stack, layer);
  // A risk map's sidecar: <stem>.json next to <stem>.tif, or next to the probability map of a
  // <stem>_classes.tif.
  QString stem = QFileInfo(path).completeBaseName();
  if (stem.endsWith(QStringLiteral("_classes"))) stem.chop(8);
  QFile sidecar(QFileInfo(path).dir().filePath(stem + QStringLiteral(".json")));
  if (sidecar.open(QIODevice::ReadOnly)) {
    const QJsonObject json = QJsonDocument::fromJson(sidecar.readAll()).object();
    if (json.contains(QStringLiteral("model"))) {
      layer.lineage = QStringLiteral("Model %1, run %2; input %3 (sha256 %4)")
                          .arg(json.value(QStringLiteral("model")).toString(),
                               json.value(QStringLiteral("run_id")).toString().left(12),
                               QFileInfo(json.value(QStringLiteral("input")).toObject().value(QStringLiteral("path")).toString()).fileName(),
                               json.value(QStringLiteral("input")).toObject().value(QStringLiteral("sha256")).toString().left(12));
    }
  }
  return layer;
}

void paintPixels(const MapLayer& layer, const std::vector<std::vector<float>>& bands, int width,
                 int height, QImage& image, int x0, int y0) {
  for (int row = 0; row < height; ++row) {
    auto* line = reinterpret_cast<QRgb*>(image.scanLine(y0 + row)) + x0;
    for (int col = 0; col < width; ++col) {
      const std::size_t p = std::size_t(row) * std::size_t(width) + std::size_t(col);
      switch (layer.style) {
        case LayerStyle::Rgb: {
          if (missing(bands[0][p], layer.nodata[0]) || missing(bands[1][p], layer.nodata[1]) ||
              missing(bands[2][p], layer.nodata[2])) {
            continue;
          }
          line[col] = qRgb(scaled(bands[0][p], layer.low[0], layer.high[0]),
                           scaled(bands[1][p], layer.low[1], layer.high[1]),
                           scaled(bands[2][p], layer.low[2], layer.high[2]));
          break;
        }
        case LayerStyle::Ramp:
        case LayerStyle::Probability: {
          if (missing(bands[0][p], layer.nodata[0])) continue;
          line[col] = lookup(layer.style == LayerStyle::Probability)[std::size_t(
              scaled(bands[0][p], layer.low[0], layer.high[0]))];
          break;
        }
        case LayerStyle::Classes: {
          if (missing(bands[0][p], layer.nodata[0])) continue;
          const long code = std::lround(bands[0][p]);
          if (code < 0 || std::size_t(code) >= layer.colours.size()) continue;
          const auto& c = layer.colours[std::size_t(code)];
          if (c[3] == 0) continue;
          line[col] = qPremultiply(qRgba(c[0], c[1], c[2], c[3]));
          break;
        }
      }
    }
  }
}

}  // namespace geih::ui
