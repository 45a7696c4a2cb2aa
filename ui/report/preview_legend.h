// The risk map's PNG preview with its legend: core writes the classified map as a plain PNG
// (GDAL has no text); this redraws it with a strip below it naming each class with its colour,
// probability range, area (km²) and share, and the model it came from, read from the map's JSON
// sidecar. Qt Gui only; needs a QGuiApplication (PdfApplicationScope in the CLI).
#pragma once

#include <filesystem>

#include <nlohmann/json.hpp>

#include "core/geo/geotiff_output.h"

namespace geih::ui {

// `sidecar` is the risk.json geih score-raster writes; the preview it names is replaced
// atomically. Throws InputError when the sidecar or the preview cannot be read.
void addLegendToPreview(const std::filesystem::path& sidecar);
// The same drawn straight from the classes (ScoreOptions::drawPreview): `legend` holds the
// sidecar's "model" and "classes"; the PNG is written to `png`. Throws IoError when it cannot be.
void drawPreviewWithLegend(const geo::PreviewImage& image, const nlohmann::json& legend,
                           const std::filesystem::path& png);

}  // namespace geih::ui
