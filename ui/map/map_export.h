// Map export: the view, or the whole first layer, as a PNG or a PDF page with a title, the map,
// a legend per visible layer, a scale bar and the lineage text of risk maps (model, run, input
// hash). The map is read again at the export resolution (not copied from the screen's tiles),
// so an export is complete and sharp whatever was on screen. Runs on the calling thread: call
// it from a TaskRunner job.
#pragma once

#include <QList>
#include <QPainter>
#include <QString>

#include "core/common/progress.h"
#include "ui/map/map_layer.h"

namespace geih::ui {

struct MapExportRequest {
  QList<MapLayer> layers;  // bottom first
  double left = 0;         // map coordinates of the top-left corner
  double top = 0;
  double resolution = 1;   // map units per map-image pixel
  int width = 1200;        // map image size
  int height = 900;
  QString title;
  QString path;            // .png or .pdf
  double swipeShare = -1;  // ≥ 0: the top layer drawn only left of this share (swipe view)
};

// A request covering the whole first layer at its own resolution, at most `maxSide` pixels.
MapExportRequest wholeMapRequest(const QList<MapLayer>& layers, int maxSide = 4000);

// Writes the file (atomically). Throws geih::InputError for an unknown extension, geih::IoError
// when the file cannot be written, geih::Cancelled on cancel.
void exportMap(const MapExportRequest& request, Progress& progress);

// Draws one layer's legend (class swatches with names, or a ramp with its range) in `area`;
// returns the height used.
double paintLegend(QPainter& painter, const MapLayer& layer, const QRectF& area);

}  // namespace geih::ui
