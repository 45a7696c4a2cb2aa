#include "ui/map/tile_renderer.h"

#include <QRunnable>

#include <cmath>
#include <map>
#include <memory>

namespace geih::ui {

namespace {

// GDAL handles are not shareable across threads: each pool thread opens its own.
const geo::RasterStack& threadStack(const QString& path) {
  thread_local std::map<QString, std::unique_ptr<geo::RasterStack>> stacks;
  auto& stack = stacks[path];
  if (!stack) stack = std::make_unique<geo::RasterStack>(geo::RasterStack::open(path.toStdString()));
  return *stack;
}

}  // namespace

QImage renderExtent(const MapLayer& layer, const geo::RasterStack& stack, double left, double top,
                    double resolution, int width, int height) {
  QImage image(width, height, QImage::Format_ARGB32_Premultiplied);
  image.fill(Qt::transparent);
  const auto& g = layer.grid.geoTransform;
  const double pixelX = g[1];
  const double pixelY = -g[5];
  // The requested rectangle in the layer's pixel coordinates, clipped to the raster.
  const double col0 = (left - g[0]) / pixelX;
  const double row0 = (g[3] - top) / pixelY;
  const double cols = width * resolution / pixelX;
  const double rows = height * resolution / pixelY;
  const double colA = std::max(0.0, col0);
  const double rowA = std::max(0.0, row0);
  const double colB = std::min(double(layer.grid.width), col0 + cols);
  const double rowB = std::min(double(layer.grid.height), row0 + rows);
  if (colB <= colA || rowB <= rowA) return image;
  const int x0 = std::clamp(int(std::lround((colA - col0) / cols * width)), 0, width - 1);
  const int y0 = std::clamp(int(std::lround((rowA - row0) / rows * height)), 0, height - 1);
  const int x1 = std::clamp(int(std::lround((colB - col0) / cols * width)), x0 + 1, width);
  const int y1 = std::clamp(int(std::lround((rowB - row0) / rows * height)), y0 + 1, height);
  const int outW = x1 - x0;
  const int outH = y1 - y0;
  std::vector<std::vector<float>> bands(std::size_t(layer.bandCount()),
                                        std::vector<float>(std::size_t(outW) * std::size_t(outH)));
  for (int b = 0; b < layer.bandCount(); ++b) {
    stack.readWindow(layer.bands[std::size_t(b)], colA, rowA, colB - colA, rowB - rowA, outW, outH,
                     bands[std::size_t(b)].data());
  }
  paintPixels(layer, bands, outW, outH, image, x0, y0);
  return image;
}

TileRenderer::TileRenderer(QObject* parent) : QObject(parent) {
  qRegisterMetaType<geih::ui::TileKey>();
  m_pool.setMaxThreadCount(std::max(2, QThread::idealThreadCount()));
}

TileRenderer::~TileRenderer() {
  m_pool.clear();
  m_pool.waitForDone();
}

void TileRenderer::request(const MapLayer& layer, const TileKey& key, const MapFrame& frame) {
  if (m_pending.contains(key)) return;
  m_pending.insert(key);
  const double resolution = frame.unit * std::ldexp(1.0, key.level);
  const double span = kTileSize * resolution;
  const double left = frame.originX + key.tx * span;
  const double top = frame.originY - key.ty * span;
  QRunnable* job = QRunnable::create([this, layer, key, left, top, resolution] {
    QImage image;
    QString error;
    try {
      image = renderExtent(layer, threadStack(layer.path), left, top, resolution, kTileSize, kTileSize);
    } catch (const std::exception& e) {
      error = QString::fromStdString(e.what());
    }
    QMetaObject::invokeMethod(
        this,
        [this, key, image, error] {
          m_pending.remove(key);
          if (error.isEmpty()) {
            emit tileReady(key, image);
          } else {
            emit tileFailed(key, error);
          }
        },
        Qt::QueuedConnection);
  });
  m_pool.start(job);
}

void TileRenderer::dropQueued() {
  m_pool.clear();
  // Keys of cleared jobs would stay pending forever: forget them all; running ones re-add
  // nothing and report normally (a duplicate request at worst redraws one tile).
  m_pending.clear();
}

}  // namespace geih::ui
