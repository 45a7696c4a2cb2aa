#include "ui/map/map_export.h"

#include <QDateTime>
#include <QFileInfo>
#include <QLinearGradient>
#include <QPdfWriter>
#include <QSaveFile>
#include <QBuffer>

#include <cmath>

#include "core/common/error.h"
#include "ui/map/tile_renderer.h"

namespace geih::ui {

namespace {

constexpr int kMargin = 24;
constexpr int kLegendWidth = 240;

QImage renderMap(const MapExportRequest& request, Progress& progress) {
  QImage map(request.width, request.height, QImage::Format_ARGB32_Premultiplied);
  map.fill(QColor(236, 238, 240));
  QPainter painter(&map);
  int topVisible = -1;
  for (int i = 0; i < request.layers.size(); ++i) {
    if (request.layers[i].visible) topVisible = i;
  }
  for (int i = 0; i < request.layers.size(); ++i) {
    const MapLayer& layer = request.layers[i];
    if (!layer.visible || layer.opacity <= 0) continue;
    progress.checkCancelled();
    progress.report(double(i) / request.layers.size(), "rendering " + layer.name.toStdString());
    const geo::RasterStack stack = geo::RasterStack::open(layer.path.toStdString());
    const QImage image = renderExtent(layer, stack, request.left, request.top, request.resolution,
                                      request.width, request.height);
    painter.save();
    painter.setOpacity(layer.opacity);
    if (request.swipeShare >= 0 && i == topVisible) {
      painter.setClipRect(QRect(0, 0, int(request.swipeShare * request.width), request.height));
    }
    painter.drawImage(0, 0, image);
    painter.restore();
  }
  return map;
}

std::pair<double, QString> niceLength(double target) {
  const double magnitude = std::pow(10.0, std::floor(std::log10(target)));
  double length = magnitude;
  for (double step : {1.0, 2.0, 5.0, 10.0}) {
    if (step * magnitude <= target) length = step * magnitude;
  }
  return {length, length >= 1000 ? QStringLiteral("%1 km").arg(length / 1000) : QStringLiteral("%1 m").arg(length)};
}

QSize compositionSize(const MapExportRequest& request) {
  return {kMargin * 3 + request.width + kLegendWidth, kMargin * 2 + 48 + request.height + 90};
}

void paintComposition(QPainter& painter, const MapExportRequest& request, const QImage& map) {
  const QSize size = compositionSize(request);
  painter.fillRect(QRect(QPoint(0, 0), size), Qt::white);
  QFont titleFont = painter.font();
  titleFont.setPointSizeF(18);
  titleFont.setBold(true);
  painter.setFont(titleFont);
  painter.setPen(Qt::black);
  painter.drawText(QRect(kMargin, kMargin, size.width() - 2 * kMargin, 36), Qt::AlignLeft | Qt::AlignVCenter,
                   request.title.isEmpty() ? QStringLiteral("GEIH risk map") : request.title);
  const QRect mapRect(kMargin, kMargin + 48, request.width, request.height);
  painter.drawImage(mapRect, map);
  painter.setPen(QPen(QColor(80, 80, 80), 1));
  painter.setBrush(Qt::NoBrush);
  painter.drawRect(mapRect);

  QFont body = painter.font();
  body.setPointSizeF(9);
  body.setBold(false);
  painter.setFont(body);
  // Legends, top layer first.
  double y = mapRect.top();
  for (int i = int(request.layers.size()) - 1; i >= 0; --i) {
    const MapLayer& layer = request.layers[i];
    if (!layer.visible) continue;
    y += paintLegend(painter, layer, QRectF(mapRect.right() + kMargin, y, kLegendWidth, size.height() - y)) + 12;
  }
  // Scale bar under the map.
  const auto [length, label] = niceLength(request.width * request.resolution / 5);
  const double pixels = length / request.resolution;
  const double barY = mapRect.bottom() + 16;
  painter.setPen(QPen(Qt::black, 1));
  painter.setBrush(Qt::black);
  painter.drawRect(QRectF(mapRect.left(), barY, pixels / 2, 6));
  painter.setBrush(Qt::white);
  painter.drawRect(QRectF(mapRect.left() + pixels / 2, barY, pixels / 2, 6));
  painter.drawText(QRectF(mapRect.left() + pixels + 8, barY - 5, 200, 16), Qt::AlignLeft | Qt::AlignVCenter, label);
  // Lineage.
  QStringList lines;
  for (int i = int(request.layers.size()) - 1; i >= 0; --i) {
    const MapLayer& layer = request.layers[i];
    if (!layer.visible) continue;
    lines << (layer.name + (layer.lineage.isEmpty() ? QString() : QStringLiteral(": ") + layer.lineage));
  }
  lines << QStringLiteral("Made with GEIH Workbench on %1").arg(QDateTime::currentDateTimeUtc().toString(Qt::ISODate));
  painter.setPen(QColor(60, 60, 60));
  painter.drawText(QRectF(mapRect.left(), barY + 14, size.width() - 2 * kMargin, 70),
                   Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, lines.join(QLatin1Char('\n')));
}

}  // namespace

MapExportRequest wholeMapRequest(const QList<MapLayer>& layers, int maxSide) {
  MapExportRequest request;
  request.layers = layers;
  if (layers.isEmpty()) return request;
  const geo::Grid& grid = layers.front().grid;
  const auto& g = grid.geoTransform;
  const double factor = std::max(1.0, double(std::max(grid.width, grid.height)) / maxSide);
  request.left = g[0];
  request.top = g[3];
  request.resolution = std::abs(g[1]) * factor;
  request.width = std::max(1, int(std::lround(grid.width / factor)));
  request.height = std::max(1, int(std::lround(grid.height * std::abs(g[5] / g[1]) / factor)));
  return request;
}

double paintLegend(QPainter& painter, const MapLayer& layer, const QRectF& area) {
  painter.save();
  QFont bold = painter.font();
  bold.setBold(true);
  painter.setFont(bold);
  painter.setPen(Qt::black);
  painter.drawText(QRectF(area.left(), area.top(), area.width(), 16), Qt::AlignLeft | Qt::AlignVCenter,
                   layer.name);
  QFont normal = painter.font();
  normal.setBold(false);
  painter.setFont(normal);
  double y = area.top() + 20;
  switch (layer.style) {
    case LayerStyle::Classes:
      for (int k = 0; k < layer.classNames.size() && std::size_t(k) < layer.colours.size(); ++k) {
        const auto& c = layer.colours[std::size_t(k)];
        painter.setPen(QPen(QColor(60, 60, 60), 0.5));
        painter.setBrush(QColor(c[0], c[1], c[2]));
        painter.drawRect(QRectF(area.left(), y + 2, 18, 12));
        painter.setPen(Qt::black);
        painter.drawText(QRectF(area.left() + 26, y, area.width() - 26, 16), Qt::AlignLeft | Qt::AlignVCenter,
                         layer.classNames[k]);
        y += 18;
      }
      break;
    case LayerStyle::Ramp:
    case LayerStyle::Probability: {
      QLinearGradient gradient(area.left(), 0, area.left() + area.width() - 20, 0);
      for (int i = 0; i <= 10; ++i) {
        gradient.setColorAt(i / 10.0, layer.style == LayerStyle::Probability ? probabilityColour(i / 10.0)
                                                                              : rampColour(i / 10.0));
      }
      painter.setPen(Qt::NoPen);
      painter.setBrush(gradient);
      painter.drawRect(QRectF(area.left(), y, area.width() - 20, 12));
      painter.setPen(Qt::black);
      painter.drawText(QRectF(area.left(), y + 14, 100, 16), Qt::AlignLeft, QString::number(layer.low[0], 'g', 4));
      painter.drawText(QRectF(area.left() + area.width() - 120, y + 14, 100, 16), Qt::AlignRight,
                       QString::number(layer.high[0], 'g', 4));
      painter.drawText(QRectF(area.left(), y + 30, area.width(), 16), Qt::AlignLeft,
                       layer.style == LayerStyle::Probability ? QStringLiteral("probability")
                                                              : layer.bandNames.value(layer.bands[0]));
      y += 48;
      break;
    }
    case LayerStyle::Rgb:
      painter.drawText(QRectF(area.left(), y, area.width(), 34), Qt::AlignLeft | Qt::TextWordWrap,
                       QStringLiteral("R %1, G %2, B %3 (2–98 % stretch)")
                           .arg(layer.bandNames.value(layer.bands[0]), layer.bandNames.value(layer.bands[1]),
                                layer.bandNames.value(layer.bands[2])));
      y += 34;
      break;
  }
  painter.restore();
  return y - area.top();
}

void exportMap(const MapExportRequest& request, Progress& progress) {
  const QString suffix = QFileInfo(request.path).suffix().toLower();
  if (suffix != QLatin1String("png") && suffix != QLatin1String("pdf")) {
    throw InputError("export '" + request.path.toStdString() + "': use a .png or .pdf file name");
  }
  const QImage map = renderMap(request, progress);
  progress.report(0.9, "writing " + QFileInfo(request.path).fileName().toStdString());
  QSaveFile file(request.path);
  if (!file.open(QIODevice::WriteOnly)) {
    throw IoError("cannot write '" + request.path.toStdString() + "': " + file.errorString().toStdString());
  }
  const QSize size = compositionSize(request);
  if (suffix == QLatin1String("png")) {
    QImage page(size, QImage::Format_ARGB32_Premultiplied);
    QPainter painter(&page);
    painter.setRenderHint(QPainter::Antialiasing);
    paintComposition(painter, request, map);
    painter.end();
    if (!page.save(&file, "PNG")) throw IoError("cannot encode the PNG '" + request.path.toStdString() + "'");
  } else {
    QPdfWriter pdf(&file);
    pdf.setTitle(request.title);
    pdf.setCreator(QStringLiteral("GEIH Workbench"));
    pdf.setPageSize(QPageSize(QSizeF(size.width(), size.height()) * 0.75, QPageSize::Point));
    pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
    pdf.setResolution(96);
    QPainter painter(&pdf);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setWindow(QRect(QPoint(0, 0), size));
    painter.setViewport(QRect(QPoint(0, 0), size));
    paintComposition(painter, request, map);
    painter.end();
  }
  if (!file.commit()) throw IoError("cannot write '" + request.path.toStdString() + "': " + file.errorString().toStdString());
  progress.report(1.0);
}

}  // namespace geih::ui
