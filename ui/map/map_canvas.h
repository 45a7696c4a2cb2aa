// The map canvas: draws the visible layers bottom to top from cached tiles, asking the
// TileRenderer for missing ones and meanwhile showing a coarser cached tile scaled up, so panning
// and zooming never wait for GDAL. Drag pans, the wheel zooms about the cursor, a scale bar sits
// at the bottom left. In swipe mode the top visible layer is drawn only left of a divider the
// user drags, to compare it with the layer below (e.g. the Production and Staging models' maps).
// Layers must share the first layer's CRS (the panel checks); map units are that CRS's.
#pragma once

#include <QCache>
#include <QList>
#include <QWidget>

#include "ui/map/map_layer.h"
#include "ui/map/tile_renderer.h"

namespace geih::ui {

struct MapView {
  double centreX = 0;
  double centreY = 0;
  double resolution = 1;  // map units per screen pixel
};

class MapCanvas : public QWidget {
  Q_OBJECT

 public:
  explicit MapCanvas(QWidget* parent = nullptr);

  // Layers bottom first. Tiles of layers that kept their id stay cached.
  void setLayers(const QList<MapLayer>& layers);
  const QList<MapLayer>& layers() const { return m_layers; }
  void zoomToExtent();
  void zoomToLayer(int layerId);
  const MapView& view() const { return m_view; }
  void setView(const MapView& view);
  void setSwipe(bool on);
  bool swipe() const { return m_swipe; }
  // The swipe divider as a share of the width.
  void setSwipePosition(double share);

  QPointF toMap(const QPointF& screen) const;
  QPointF toScreen(const QPointF& map) const;
  // True when every tile the current view needs is cached (nothing left to draw).
  bool isComplete() const;
  TileRenderer* renderer() const { return m_renderer; }
  // Length and label of the scale bar for the current view (e.g. 500, "500 m").
  std::pair<double, QString> scaleBar() const;

 signals:
  void cursorMoved(double x, double y);
  void viewChanged();
  void layerFailed(const QString& message);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;

 private:
  void drawLayer(QPainter& painter, const MapLayer& layer);
  bool drawFallback(QPainter& painter, const TileKey& key, const QRectF& target);
  int levelFor(double resolution) const;
  void onTileReady(const TileKey& key, const QImage& image);

  QList<MapLayer> m_layers;
  MapFrame m_frame;
  MapView m_view;
  TileRenderer* m_renderer;
  QCache<TileKey, QImage> m_cache;  // cost in KiB
  mutable bool m_complete = true;
  bool m_swipe = false;
  double m_swipeShare = 0.5;
  bool m_draggingSwipe = false;
  bool m_panning = false;
  QPoint m_lastMouse;
  QSet<int> m_reportedFailures;
};

}  // namespace geih::ui
