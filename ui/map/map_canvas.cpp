#include "ui/map/map_canvas.h"

#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>

#include <cmath>

namespace geih::ui {

namespace {
constexpr int kMinLevel = -6;   // 64 screen pixels per raster pixel
constexpr int kMaxLevel = 24;
constexpr int kFallbackLevels = 6;
}  // namespace

MapCanvas::MapCanvas(QWidget* parent) : QWidget(parent), m_renderer(new TileRenderer(this)) {
  setMouseTracking(true);
  setMinimumSize(320, 240);
  setAttribute(Qt::WA_OpaquePaintEvent);
  m_cache.setMaxCost(192 * 1024);  // 192 MiB of tiles (256 KiB each)
  connect(m_renderer, &TileRenderer::tileReady, this, &MapCanvas::onTileReady);
  connect(m_renderer, &TileRenderer::tileFailed, this, [this](const TileKey& key, const QString& message) {
    if (!m_reportedFailures.contains(key.layerId)) {
      m_reportedFailures.insert(key.layerId);
      emit layerFailed(message);
    }
  });
}

void MapCanvas::setLayers(const QList<MapLayer>& layers) {
  const bool first = m_layers.isEmpty();
  m_layers = layers;
  if (!m_layers.isEmpty()) {
    const auto& g = m_layers.front().grid.geoTransform;
    const MapFrame frame{g[0], g[3], std::abs(g[1])};
    if (first || frame.originX != m_frame.originX || frame.originY != m_frame.originY ||
        frame.unit != m_frame.unit) {
      m_frame = frame;
      m_cache.clear();
    }
  }
  if (first && !m_layers.isEmpty()) zoomToExtent();
  m_renderer->dropQueued();
  update();
}

void MapCanvas::zoomToLayer(int layerId) {
  for (const MapLayer& layer : m_layers) {
    if (layer.id != layerId) continue;
    const auto& g = layer.grid.geoTransform;
    const double w = layer.grid.width * g[1];
    const double h = layer.grid.height * -g[5];
    m_view.centreX = g[0] + w / 2;
    m_view.centreY = g[3] - h / 2;
    m_view.resolution = std::max(w / std::max(1, width() - 20), h / std::max(1, height() - 20));
    m_renderer->dropQueued();
    update();
    emit viewChanged();
  }
}

void MapCanvas::zoomToExtent() {
  if (!m_layers.isEmpty()) zoomToLayer(m_layers.front().id);
}

void MapCanvas::setView(const MapView& view) {
  m_view = view;
  m_renderer->dropQueued();
  update();
  emit viewChanged();
}

void MapCanvas::setSwipe(bool on) {
  m_swipe = on;
  update();
}

void MapCanvas::setSwipePosition(double share) {
  m_swipeShare = std::clamp(share, 0.0, 1.0);
  update();
}

QPointF MapCanvas::toMap(const QPointF& screen) const {
  return {m_view.centreX + (screen.x() - width() / 2.0) * m_view.resolution,
          m_view.centreY - (screen.y() - height() / 2.0) * m_view.resolution};
}

QPointF MapCanvas::toScreen(const QPointF& map) const {
  return {width() / 2.0 + (map.x() - m_view.centreX) / m_view.resolution,
          height() / 2.0 - (map.y() - m_view.centreY) / m_view.resolution};
}

int MapCanvas::levelFor(double resolution) const {
  // The finest level whose pixels are no larger than the screen's: drawn at 1x to 2x.
  const int level = int(std::floor(std::log2(resolution / m_frame.unit) + 1e-9));
  return std::clamp(level, kMinLevel, kMaxLevel);
}

bool MapCanvas::isComplete() const { return m_complete && m_renderer->isIdle(); }

std::pair<double, QString> MapCanvas::scaleBar() const {
  const double target = 120 * m_view.resolution;  // about 120 px
  const double magnitude = std::pow(10.0, std::floor(std::log10(target)));
  double length = magnitude;
  for (double step : {1.0, 2.0, 5.0, 10.0}) {
    if (step * magnitude <= target) length = step * magnitude;
  }
  const QString label = length >= 1000 ? QStringLiteral("%1 km").arg(length / 1000)
                                       : QStringLiteral("%1 m").arg(length);
  return {length, label};
}

void MapCanvas::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  painter.fillRect(rect(), QColor(236, 238, 240));
  m_complete = true;
  if (m_layers.isEmpty()) {
    painter.setPen(palette().color(QPalette::PlaceholderText));
    painter.drawText(rect(), Qt::AlignCenter,
                     tr("Add a raster (a stack, an index, a risk map) to see it here."));
    return;
  }
  painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
  int topVisible = -1;
  for (int i = 0; i < m_layers.size(); ++i) {
    if (m_layers[i].visible) topVisible = i;
  }
  const int swipeX = int(m_swipeShare * width());
  for (int i = 0; i < m_layers.size(); ++i) {
    const MapLayer& layer = m_layers[i];
    if (!layer.visible || layer.opacity <= 0) continue;
    painter.save();
    painter.setOpacity(layer.opacity);
    if (m_swipe && i == topVisible) painter.setClipRect(QRect(0, 0, swipeX, height()));
    drawLayer(painter, layer);
    painter.restore();
  }
  if (m_swipe) {
    painter.setPen(QPen(QColor(20, 20, 20), 2));
    painter.drawLine(swipeX, 0, swipeX, height());
    painter.setBrush(Qt::white);
    painter.drawEllipse(QPoint(swipeX, height() / 2), 8, 8);
  }
  // Scale bar.
  const auto [length, label] = scaleBar();
  const double pixels = length / m_view.resolution;
  const QRectF bar(12, height() - 26, pixels, 6);
  painter.setPen(Qt::NoPen);
  painter.setBrush(QColor(255, 255, 255, 200));
  painter.drawRect(QRectF(6, height() - 46, pixels + 12, 40));
  painter.setBrush(Qt::black);
  painter.drawRect(QRectF(bar.left(), bar.top(), pixels / 2, bar.height()));
  painter.setBrush(Qt::white);
  painter.setPen(QPen(Qt::black, 1));
  painter.drawRect(QRectF(bar.left() + pixels / 2, bar.top(), pixels / 2, bar.height()));
  painter.drawText(QRectF(12, height() - 44, pixels + 60, 16), Qt::AlignLeft, label);
}

void MapCanvas::drawLayer(QPainter& painter, const MapLayer& layer) {
  const int level = levelFor(m_view.resolution);
  const double tileRes = m_frame.unit * std::ldexp(1.0, level);
  const double span = kTileSize * tileRes;
  const QPointF topLeft = toMap(QPointF(0, 0));
  const QPointF bottomRight = toMap(QPointF(width(), height()));
  // Tiles of the view, clipped to the layer's extent.
  const auto& g = layer.grid.geoTransform;
  const double layerLeft = g[0];
  const double layerRight = g[0] + layer.grid.width * g[1];
  const double layerTop = g[3];
  const double layerBottom = g[3] + layer.grid.height * g[5];
  const double left = std::max(topLeft.x(), layerLeft);
  const double right = std::min(bottomRight.x(), layerRight);
  const double top = std::min(topLeft.y(), layerTop);
  const double bottom = std::max(bottomRight.y(), layerBottom);
  if (right <= left || top <= bottom) return;
  const int tx0 = int(std::floor((left - m_frame.originX) / span));
  const int tx1 = int(std::floor((right - m_frame.originX) / span - 1e-9));
  const int ty0 = int(std::floor((m_frame.originY - top) / span));
  const int ty1 = int(std::floor((m_frame.originY - bottom) / span - 1e-9));
  const double size = span / m_view.resolution;
  for (int ty = ty0; ty <= ty1; ++ty) {
    for (int tx = tx0; tx <= tx1; ++tx) {
      const TileKey key{layer.id, level, tx, ty};
      const QPointF corner = toScreen(QPointF(m_frame.originX + tx * span, m_frame.originY - ty * span));
      // Snap to whole pixels so neighbouring tiles meet without seams.
      const QRect target(QPoint(int(std::floor(corner.x())), int(std::floor(corner.y()))),
                         QPoint(int(std::floor(corner.x() + size)) - 1, int(std::floor(corner.y() + size)) - 1));
      if (const QImage* image = m_cache.object(key)) {
        painter.drawImage(target, *image);
        continue;
      }
      m_complete = false;
      m_renderer->request(layer, key, m_frame);
      drawFallback(painter, key, target);
    }
  }
}

bool MapCanvas::drawFallback(QPainter& painter, const TileKey& key, const QRectF& target) {
  for (int up = 1; up <= kFallbackLevels; ++up) {
    const TileKey parent{key.layerId, key.level + up, key.tx >> up, key.ty >> up};
    const QImage* image = m_cache.object(parent);
    if (!image) continue;
    const int parts = 1 << up;
    const double part = double(kTileSize) / parts;
    const QRectF source((key.tx - (parent.tx << up)) * part, (key.ty - (parent.ty << up)) * part, part, part);
    painter.drawImage(target, *image, source);
    return true;
  }
  return false;
}

void MapCanvas::onTileReady(const TileKey& key, const QImage& image) {
  bool known = false;
  for (const MapLayer& layer : m_layers) known = known || layer.id == key.layerId;
  if (!known) return;
  m_cache.insert(key, new QImage(image), int(image.sizeInBytes() / 1024));
  update();
}

void MapCanvas::wheelEvent(QWheelEvent* event) {
  const double steps = event->angleDelta().y() / 120.0;
  if (steps == 0) return;
  const QPointF anchor = toMap(event->position());
  m_view.resolution *= std::pow(1.25, -steps);
  // Keep the point under the cursor where it is.
  const QPointF moved = toMap(event->position());
  m_view.centreX += anchor.x() - moved.x();
  m_view.centreY += anchor.y() - moved.y();
  m_renderer->dropQueued();
  update();
  emit viewChanged();
}

void MapCanvas::mousePressEvent(QMouseEvent* event) {
  m_lastMouse = event->pos();
  if (m_swipe && std::abs(event->pos().x() - m_swipeShare * width()) < 8) {
    m_draggingSwipe = true;
  } else if (event->button() == Qt::LeftButton) {
    m_panning = true;
    setCursor(Qt::ClosedHandCursor);
  }
}

void MapCanvas::mouseMoveEvent(QMouseEvent* event) {
  if (m_draggingSwipe) {
    setSwipePosition(double(event->pos().x()) / std::max(1, width()));
  } else if (m_panning) {
    const QPoint delta = event->pos() - m_lastMouse;
    m_view.centreX -= delta.x() * m_view.resolution;
    m_view.centreY += delta.y() * m_view.resolution;
    update();
    emit viewChanged();
  }
  m_lastMouse = event->pos();
  const QPointF map = toMap(event->position());
  emit cursorMoved(map.x(), map.y());
}

void MapCanvas::mouseReleaseEvent(QMouseEvent*) {
  m_panning = false;
  m_draggingSwipe = false;
  unsetCursor();
}

void MapCanvas::resizeEvent(QResizeEvent* event) {
  QWidget::resizeEvent(event);
  update();
}

}  // namespace geih::ui
