// Map tiles drawn off the GUI thread. The map is cut into 256 x 256-pixel tiles per zoom level
// (level L has pixels of unit x 2^L map units, unit being the first layer's pixel size); a tile
// of a layer is read through GDAL at the tile's own resolution (so from the matching overview)
// and coloured by the layer's style. Requests run on a private thread pool whose threads keep
// their own GDAL handles; finished tiles come back to the GUI thread through tileReady.
#pragma once

#include <QHash>
#include <QImage>
#include <QObject>
#include <QSet>
#include <QThreadPool>

#include "ui/map/map_layer.h"

namespace geih::ui {

// Where level 0 tile (0, 0) starts and how big a level-0 pixel is, in map units.
struct MapFrame {
  double originX = 0;
  double originY = 0;
  double unit = 1;
};

struct TileKey {
  int layerId = 0;
  int level = 0;
  int tx = 0;
  int ty = 0;
  bool operator==(const TileKey& other) const = default;
};
inline size_t qHash(const TileKey& key, size_t seed = 0) {
  return qHashMulti(seed, key.layerId, key.level, key.tx, key.ty);
}

inline constexpr int kTileSize = 256;

// Renders the map rectangle whose top-left corner is (left, top) at `resolution` map units per
// pixel into a width x height image (transparent where the layer has no data). Opens the raster
// itself; for the thread-pool path, see TileRenderer.
QImage renderExtent(const MapLayer& layer, const geo::RasterStack& stack, double left, double top,
                    double resolution, int width, int height);

class TileRenderer : public QObject {
  Q_OBJECT

 public:
  explicit TileRenderer(QObject* parent = nullptr);
  ~TileRenderer() override;

  // Queues the tile unless it is already queued or being drawn.
  void request(const MapLayer& layer, const TileKey& key, const MapFrame& frame);
  // Forgets tiles that have not started (the view moved on); running ones still report.
  void dropQueued();
  bool isIdle() const { return m_pending.isEmpty(); }
  void waitForDone() { m_pool.waitForDone(); }

 signals:
  void tileReady(const geih::ui::TileKey& key, const QImage& image);
  // A layer could not be read (moved file, I/O error): its message, once per failure.
  void tileFailed(const geih::ui::TileKey& key, const QString& message);

 private:
  QThreadPool m_pool;
  QSet<TileKey> m_pending;
};

}  // namespace geih::ui

Q_DECLARE_METATYPE(geih::ui::TileKey)
