// The map view: a layer list (check to show, drag order by Up/Down, opacity slider), the canvas,
// the legend of the visible layers, and under the map the cursor's coordinates with every visible
// layer's value there. Adding a raster describes it (style, stretch) as a background job; export
// of the view or the whole map (PNG/PDF) is another. Layers must share the first one's CRS.
#pragma once

#include <map>
#include <memory>

#include <QWidget>

#include "ui/map/map_layer.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QListWidget;
class QPushButton;
class QSlider;

namespace geih::geo {
class RasterStack;
}

namespace geih::ui {

class MapCanvas;
class TaskRunner;

class MapPanel : public QWidget {
  Q_OBJECT

 public:
  explicit MapPanel(TaskRunner* runner, QWidget* parent = nullptr);
  ~MapPanel() override;

  // Describes and adds a raster as the new top layer (background job); layerAdded or a message
  // follows.
  void addRaster(const QString& path);
  // Adds an already described layer (tests, and the job's callback). Layers stack in the order
  // they were asked for, whichever finished describing first.
  void addLayer(MapLayer layer);
  void removeLayer(int row);
  // Asks for a file name and exports. exportTo does it without asking ("whole" = whole map).
  void exportView();
  int exportTo(const QString& path, bool whole, const QString& title = {});
  // Values of every visible layer at map point (x, y), as shown under the map.
  QString probe(double x, double y);

  MapCanvas* canvas() const { return m_canvas; }
  QListWidget* layerList() const { return m_list; }
  QSlider* opacitySlider() const { return m_opacity; }
  // How the selected layer is shown: one of its bands as a ramp, or an RGB composite.
  QComboBox* bandChooser() const { return m_bandChoice; }
  const QList<MapLayer>& layers() const { return m_layers; }
  QCheckBox* swipeBox() const { return m_swipe; }
  QLabel* cursorLabel() const { return m_cursor; }
  QLabel* messageLabel() const { return m_message; }

 signals:
  void layerAdded(const QString& path);
  void layerFailed(const QString& path, const QString& message);
  void exported(const QString& path);
  // "Make risk map…" was clicked (the main window owns the dialog and the job).
  void riskMapRequested();

 private:
  void chooseRaster();
  void pushLayers();
  void syncList();
  void onSelectionChanged();
  void moveSelected(int delta);
  void updateLegend();
  void fillBandChooser();
  void onBandChosen(int index);
  void showMessage(const QString& text, bool error);

  TaskRunner* m_runner;
  MapCanvas* m_canvas;
  QListWidget* m_list;
  QSlider* m_opacity;
  QComboBox* m_bandChoice;
  QCheckBox* m_swipe;
  QLabel* m_legend;
  QLabel* m_cursor;
  QLabel* m_message;
  QList<MapLayer> m_layers;  // bottom first
  int m_nextId = 1;
  std::map<int, std::unique_ptr<geo::RasterStack>> m_probes;  // GUI-thread handles for values
};

}  // namespace geih::ui
