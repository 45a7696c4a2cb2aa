#include "ui/map/map_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPainter>
#include <QPushButton>
#include <QSlider>
#include <QSplitter>
#include <QVBoxLayout>

#include <cmath>

#include "core/geo/raster_stack.h"
#include "ui/common/task_runner.h"
#include "ui/map/map_canvas.h"
#include "ui/map/map_export.h"

namespace geih::ui {

namespace {

QString styleName(LayerStyle style) {
  switch (style) {
    case LayerStyle::Rgb: return QObject::tr("RGB composite");
    case LayerStyle::Ramp: return QObject::tr("single band, colour ramp");
    case LayerStyle::Probability: return QObject::tr("probability");
    case LayerStyle::Classes: return QObject::tr("classes");
  }
  return {};
}

}  // namespace

MapPanel::MapPanel(TaskRunner* runner, QWidget* parent)
    : QWidget(parent),
      m_runner(runner),
      m_canvas(new MapCanvas(this)),
      m_list(new QListWidget(this)),
      m_opacity(new QSlider(Qt::Horizontal, this)),
      m_bandChoice(new QComboBox(this)),
      m_swipe(new QCheckBox(tr("Swipe top layer"), this)),
      m_legend(new QLabel(this)),
      m_cursor(new QLabel(this)),
      m_message(new QLabel(this)) {
  auto* add = new QPushButton(tr("Add raster…"), this);
  auto* remove = new QPushButton(tr("Remove"), this);
  auto* up = new QPushButton(tr("Up"), this);
  auto* down = new QPushButton(tr("Down"), this);
  auto* zoom = new QPushButton(tr("Zoom to layer"), this);
  auto* exportButton = new QPushButton(tr("Export…"), this);
  auto* riskMap = new QPushButton(tr("Make risk map…"), this);
  riskMap->setToolTip(tr("Score a raster stack with a model; the maps open here"));
  m_opacity->setRange(0, 100);
  m_opacity->setValue(100);
  m_opacity->setToolTip(tr("Opacity of the selected layer"));
  m_list->setToolTip(tr("Top layer first; tick to show"));
  m_legend->setAlignment(Qt::AlignTop | Qt::AlignLeft);
  m_cursor->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_message->setWordWrap(true);
  m_message->hide();

  auto* side = new QWidget(this);
  auto* sideLayout = new QVBoxLayout(side);
  sideLayout->setContentsMargins(0, 0, 0, 0);
  sideLayout->addWidget(riskMap);
  sideLayout->addWidget(new QLabel(tr("<b>Layers</b>"), side));
  sideLayout->addWidget(m_list, 2);
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(add);
  buttons->addWidget(remove);
  sideLayout->addLayout(buttons);
  auto* order = new QHBoxLayout;
  order->addWidget(up);
  order->addWidget(down);
  order->addWidget(zoom);
  sideLayout->addLayout(order);
  auto* opacityRow = new QHBoxLayout;
  opacityRow->addWidget(new QLabel(tr("Opacity"), side));
  opacityRow->addWidget(m_opacity);
  sideLayout->addLayout(opacityRow);
  auto* bandRow = new QHBoxLayout;
  bandRow->addWidget(new QLabel(tr("Show"), side));
  bandRow->addWidget(m_bandChoice, 1);
  sideLayout->addLayout(bandRow);
  sideLayout->addWidget(m_swipe);
  sideLayout->addWidget(exportButton);
  sideLayout->addWidget(new QLabel(tr("<b>Legend</b>"), side));
  sideLayout->addWidget(m_legend, 3);

  auto* mapSide = new QWidget(this);
  auto* mapLayout = new QVBoxLayout(mapSide);
  mapLayout->setContentsMargins(0, 0, 0, 0);
  mapLayout->addWidget(m_message);
  mapLayout->addWidget(m_canvas, 1);
  mapLayout->addWidget(m_cursor);

  auto* splitter = new QSplitter(this);
  splitter->addWidget(side);
  splitter->addWidget(mapSide);
  splitter->setStretchFactor(1, 1);
  splitter->setSizes({260, 900});
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addWidget(splitter);

  connect(add, &QPushButton::clicked, this, &MapPanel::chooseRaster);
  connect(remove, &QPushButton::clicked, this, [this] { removeLayer(m_list->currentRow()); });
  connect(up, &QPushButton::clicked, this, [this] { moveSelected(+1); });
  connect(down, &QPushButton::clicked, this, [this] { moveSelected(-1); });
  connect(zoom, &QPushButton::clicked, this, [this] {
    const int row = m_list->currentRow();
    if (row >= 0) m_canvas->zoomToLayer(m_layers[m_layers.size() - 1 - row].id);
  });
  connect(exportButton, &QPushButton::clicked, this, &MapPanel::exportView);
  connect(riskMap, &QPushButton::clicked, this, &MapPanel::riskMapRequested);
  connect(m_list, &QListWidget::currentRowChanged, this, &MapPanel::onSelectionChanged);
  connect(m_list, &QListWidget::itemChanged, this, [this](QListWidgetItem* item) {
    const int index = int(m_layers.size()) - 1 - m_list->row(item);
    if (index < 0 || index >= m_layers.size()) return;
    const bool visible = item->checkState() == Qt::Checked;
    if (m_layers[index].visible == visible) return;
    m_layers[index].visible = visible;
    pushLayers();
  });
  connect(m_opacity, &QSlider::valueChanged, this, [this](int value) {
    const int row = m_list->currentRow();
    if (row < 0) return;
    m_layers[m_layers.size() - 1 - row].opacity = value / 100.0;
    pushLayers();
  });
  connect(m_bandChoice, &QComboBox::activated, this, &MapPanel::onBandChosen);
  connect(m_swipe, &QCheckBox::toggled, m_canvas, &MapCanvas::setSwipe);
  connect(m_canvas, &MapCanvas::cursorMoved, this, [this](double x, double y) { m_cursor->setText(probe(x, y)); });
  connect(m_canvas, &MapCanvas::layerFailed, this, [this](const QString& message) { showMessage(message, true); });
}

MapPanel::~MapPanel() = default;

void MapPanel::chooseRaster() {
  const QString path = QFileDialog::getOpenFileName(this, tr("Add raster"), QString(),
                                                    tr("Rasters (*.tif *.tiff *.vrt *.nc *.img);;All files (*)"));
  if (!path.isEmpty()) addRaster(path);
}

void MapPanel::addRaster(const QString& path) {
  showMessage(tr("Reading %1…").arg(QFileInfo(path).fileName()), false);
  const int id = m_nextId++;
  m_runner->start(
      tr("Open %1").arg(QFileInfo(path).fileName()),
      [path](Progress&) { return QVariant::fromValue(describeRaster(path)); },
      [this, path, id](const TaskResult& result) {
        if (!result.ok()) {
          showMessage(tr("Cannot show %1: %2").arg(path, result.message), true);
          emit layerFailed(path, result.message);
          return;
        }
        MapLayer layer = result.value.value<MapLayer>();
        layer.id = id;
        addLayer(layer);
      },
      this);
}

void MapPanel::addLayer(MapLayer layer) {
  if (!m_layers.isEmpty() &&
      !geo::sameCrs(m_layers.front().grid.projectionWkt, layer.grid.projectionWkt)) {
    const QString message = tr("%1 is in another CRS than %2; stack it onto the same grid first "
                               "(geih raster stack --warp)")
                                .arg(layer.name, m_layers.front().name);
    showMessage(message, true);
    emit layerFailed(layer.path, message);
    return;
  }
  if (layer.id == 0) layer.id = m_nextId++;
  const QString path = layer.path;
  try {
    m_probes[layer.id] = std::make_unique<geo::RasterStack>(geo::RasterStack::open(path.toStdString()));
  } catch (const std::exception& error) {
    showMessage(QString::fromStdString(error.what()), true);
    emit layerFailed(path, QString::fromStdString(error.what()));
    return;
  }
  int position = int(m_layers.size());
  while (position > 0 && m_layers[position - 1].id > layer.id) --position;
  m_layers.insert(position, std::move(layer));
  m_message->hide();
  syncList();
  m_list->setCurrentRow(int(m_layers.size()) - 1 - position);
  pushLayers();
  emit layerAdded(path);
}

void MapPanel::removeLayer(int row) {
  if (row < 0 || row >= m_layers.size()) return;
  const int index = int(m_layers.size()) - 1 - row;
  m_probes.erase(m_layers[index].id);
  m_layers.removeAt(index);
  m_message->hide();  // a refusal or error about the layers no longer describes them
  syncList();
  pushLayers();
}

void MapPanel::moveSelected(int delta) {
  const int row = m_list->currentRow();
  if (row < 0) return;
  const int index = int(m_layers.size()) - 1 - row;
  const int target = index + delta;
  if (target < 0 || target >= m_layers.size()) return;
  m_layers.swapItemsAt(index, target);
  syncList();
  m_list->setCurrentRow(int(m_layers.size()) - 1 - target);
  pushLayers();
}

void MapPanel::syncList() {
  const QSignalBlocker blocker(m_list);
  m_list->clear();
  for (int i = int(m_layers.size()) - 1; i >= 0; --i) {
    const MapLayer& layer = m_layers[i];
    auto* item = new QListWidgetItem(layer.name, m_list);
    item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
    item->setCheckState(layer.visible ? Qt::Checked : Qt::Unchecked);
    item->setToolTip(QStringLiteral("%1\n%2 x %3, %4%5")
                         .arg(layer.path)
                         .arg(layer.grid.width)
                         .arg(layer.grid.height)
                         .arg(styleName(layer.style),
                              layer.lineage.isEmpty() ? QString() : QStringLiteral("\n") + layer.lineage));
  }
}

void MapPanel::onSelectionChanged() {
  fillBandChooser();
  const int row = m_list->currentRow();
  if (row < 0 || row >= m_layers.size()) return;
  const QSignalBlocker blocker(m_opacity);
  m_opacity->setValue(int(std::lround(m_layers[m_layers.size() - 1 - row].opacity * 100)));
}

void MapPanel::fillBandChooser() {
  const QSignalBlocker blocker(m_bandChoice);
  m_bandChoice->clear();
  const int row = m_list->currentRow();
  if (row < 0 || row >= m_layers.size()) {
    m_bandChoice->setEnabled(false);
    return;
  }
  const MapLayer& layer = m_layers[m_layers.size() - 1 - row];
  const bool fixed = layer.style == LayerStyle::Classes || layer.style == LayerStyle::Probability;
  m_bandChoice->setEnabled(!fixed);
  if (fixed) {
    m_bandChoice->addItem(styleName(layer.style));
    return;
  }
  for (int b = 0; b < layer.bandNames.size(); ++b) m_bandChoice->addItem(layer.bandNames[b], b);
  if (layer.bandNames.size() >= 3) m_bandChoice->addItem(tr("RGB composite (bands 3, 2, 1)"), -1);
  m_bandChoice->setCurrentIndex(layer.style == LayerStyle::Rgb ? m_bandChoice->count() - 1
                                                               : m_bandChoice->findData(layer.bands[0]));
}

void MapPanel::onBandChosen(int index) {
  const int row = m_list->currentRow();
  if (row < 0 || row >= m_layers.size() || index < 0) return;
  const MapLayer layer = m_layers[m_layers.size() - 1 - row];
  const int band = m_bandChoice->itemData(index).toInt();
  const LayerStyle style = band < 0 ? LayerStyle::Rgb : LayerStyle::Ramp;
  const std::array<int, 3> bands = band < 0 ? std::array<int, 3>{2, 1, 0} : std::array<int, 3>{band, band, band};
  m_runner->start(
      tr("Restyle %1").arg(layer.name),
      [layer, style, bands](Progress&) { return QVariant::fromValue(restyle(layer, style, bands)); },
      [this](const TaskResult& result) {
        if (!result.ok()) {
          showMessage(result.message, true);
          return;
        }
        const MapLayer changed = result.value.value<MapLayer>();
        for (MapLayer& existing : m_layers) {
          if (existing.id != changed.id) continue;
          const double opacity = existing.opacity;
          const bool visible = existing.visible;
          existing = changed;
          existing.opacity = opacity;
          existing.visible = visible;
          // New look, new tiles: a fresh id keeps the cache from showing the old style.
          m_probes[m_nextId] = std::move(m_probes[existing.id]);
          m_probes.erase(existing.id);
          existing.id = m_nextId++;
        }
        pushLayers();
      },
      this);
}

void MapPanel::pushLayers() {
  m_canvas->setLayers(m_layers);
  updateLegend();
}

void MapPanel::updateLegend() {
  QImage image(240, 600, QImage::Format_ARGB32_Premultiplied);
  image.fill(Qt::transparent);
  QPainter painter(&image);
  painter.setFont(font());
  double y = 0;
  for (int i = int(m_layers.size()) - 1; i >= 0; --i) {
    if (!m_layers[i].visible) continue;
    y += paintLegend(painter, m_layers[i], QRectF(0, y, 230, 600 - y)) + 10;
  }
  painter.end();
  m_legend->setPixmap(QPixmap::fromImage(image.copy(0, 0, 240, std::max(1, int(y)))));
}

QString MapPanel::probe(double x, double y) {
  QStringList parts{QStringLiteral("x %1  y %2").arg(x, 0, 'f', 1).arg(y, 0, 'f', 1)};
  for (int i = int(m_layers.size()) - 1; i >= 0; --i) {
    const MapLayer& layer = m_layers[i];
    if (!layer.visible) continue;
    const auto& g = layer.grid.geoTransform;
    const double col = (x - g[0]) / g[1];
    const double row = (y - g[3]) / g[5];
    if (col < 0 || row < 0 || col >= layer.grid.width || row >= layer.grid.height) continue;
    // One pixel from GDAL's block cache: quick enough for the GUI thread.
    const geo::RasterStack& stack = *m_probes.at(layer.id);
    QStringList values;
    const int bands = layer.style == LayerStyle::Rgb ? int(layer.bandNames.size()) : 1;
    for (int b = 0; b < std::min(bands, 6); ++b) {
      const int band = layer.style == LayerStyle::Rgb ? b : layer.bands[0];
      float value = 0;
      stack.readWindow(band, std::floor(col), std::floor(row), 1, 1, 1, 1, &value);
      const auto nodata = stack.nodata(band);
      QString text = (std::isnan(value) || (nodata && double(value) == *nodata)) ? tr("nodata")
                                                                                : QString::number(value, 'g', 5);
      if (layer.style == LayerStyle::Classes && text != tr("nodata")) {
        text = layer.classNames.value(int(std::lround(value)), text);
      }
      values << (bands > 1 ? layer.bandNames.value(band) + QLatin1Char('=') : QString()) + text;
    }
    parts << layer.name + QStringLiteral(": ") + values.join(QLatin1Char(' '));
  }
  return parts.join(QStringLiteral("   |   "));
}

void MapPanel::exportView() {
  if (m_layers.isEmpty()) {
    showMessage(tr("Add a layer before exporting."), true);
    return;
  }
  const QString path = QFileDialog::getSaveFileName(this, tr("Export map"), QStringLiteral("map.png"),
                                                    tr("PNG image (*.png);;PDF document (*.pdf)"));
  if (!path.isEmpty()) exportTo(path, false);
}

int MapPanel::exportTo(const QString& path, bool whole, const QString& title) {
  MapExportRequest request;
  if (whole) {
    request = wholeMapRequest(m_layers);
  } else {
    const MapView& view = m_canvas->view();
    request.layers = m_layers;
    // Twice the screen's pixels, for print.
    request.width = m_canvas->width() * 2;
    request.height = m_canvas->height() * 2;
    request.resolution = view.resolution / 2;
    request.left = view.centreX - request.width / 2.0 * request.resolution;
    request.top = view.centreY + request.height / 2.0 * request.resolution;
    if (m_canvas->swipe()) request.swipeShare = 0.5;
  }
  request.path = path;
  request.title = title.isEmpty() ? m_layers.back().name : title;
  return m_runner->start(
      tr("Export %1").arg(QFileInfo(path).fileName()),
      [request](Progress& progress) {
        exportMap(request, progress);
        return QVariant(request.path);
      },
      [this, path](const TaskResult& result) {
        if (!result.ok()) {
          showMessage(tr("Export failed: %1").arg(result.message), true);
          return;
        }
        showMessage(tr("Exported %1").arg(path), false);
        emit exported(path);
      },
      this);
}

void MapPanel::showMessage(const QString& text, bool error) {
  m_message->setText(text);
  m_message->setStyleSheet(error ? QStringLiteral("color: #a40000; font-weight: bold;") : QString());
  m_message->show();
}

}  // namespace geih::ui
