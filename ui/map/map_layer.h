// A raster shown on the map: which file, how its values become colours, and whether and how
// opaquely it is drawn. describeRaster() picks a style from what the file holds:
//   a colour table (a classified risk map)      → Classes, drawn in its colours, with its names
//   one band called "probability"               → Probability, a fixed 0..1 ramp
//   three or more bands                          → Rgb composite (bands 3, 2, 1: true colour for
//                                                  Landsat's band order), each stretched 2–98 %
//   otherwise                                    → Ramp over the band's 2–98 % range
// Nodata and NaN are transparent. Everything here is a value type, safe to copy to a worker.
#pragma once

#include <array>
#include <optional>
#include <vector>

#include <QColor>
#include <QImage>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include "core/geo/raster_stack.h"

namespace geih::ui {

enum class LayerStyle { Rgb, Ramp, Probability, Classes };

struct MapLayer {
  int id = 0;
  QString path;
  QString name;
  LayerStyle style = LayerStyle::Ramp;
  std::array<int, 3> bands{0, 0, 0};  // 0-based; Rgb uses all three, the others bands[0]
  std::array<double, 3> low{0, 0, 0};
  std::array<double, 3> high{1, 1, 1};
  std::array<std::optional<double>, 3> nodata;
  std::vector<std::array<std::uint8_t, 4>> colours;  // Classes
  QStringList classNames;                           // Classes
  QStringList bandNames;
  geo::Grid grid;
  QString lineage;  // from a risk map's JSON sidecar: model, run, inputs
  double opacity = 1.0;
  bool visible = true;

  int bandCount() const { return style == LayerStyle::Rgb ? 3 : 1; }
};

// Opens `path`, chooses the style and computes the stretch from a ≤ 512-pixel overview read.
// Rgb is chosen for imagery only: three or more bands named like spectral bands (band_N, red,
// green, blue, B4...); a stack of other features starts as a ramp of its first band.
// Throws geih::InputError when GDAL cannot open it. Slow on huge rasters without overviews: call
// it from a worker.
MapLayer describeRaster(const QString& path);

// The same layer shown another way: Rgb over bands {r, g, b}, or a Ramp of band `band` (its
// stretch read again). Classes and Probability layers keep their style. Reads the raster: call
// it from a worker.
MapLayer restyle(const MapLayer& layer, LayerStyle style, const std::array<int, 3>& bands);

// Colours `width` x `height` pixels whose band values are in `bands` (bandCount() arrays) into
// `image` (Format_ARGB32_Premultiplied) at (x, y). Nodata/NaN pixels are left as they are.
void paintPixels(const MapLayer& layer, const std::vector<std::vector<float>>& bands, int width,
                 int height, QImage& image, int x = 0, int y = 0);

// The ramps, for legends: t in [0, 1].
QColor rampColour(double t);         // dark blue → green → yellow (viridis-like)
QColor probabilityColour(double t);  // pale yellow → orange → dark red

}  // namespace geih::ui

Q_DECLARE_METATYPE(geih::ui::MapLayer)
