// The risk map's PNG preview with its legend: core writes the classified map as a plain PNG
// (GDAL has no text); this redraws it with a strip below it naming each class with its colour,
// probability range, area (km²) and share, and the model it came from, read from the map's JSON
// sidecar. Qt Gui only; needs a QGuiApplication (PdfApplicationScope in the CLI).
#pragma once

#include <filesystem>

namespace geih::ui {

// `sidecar` is the risk.json geih score-raster writes; the preview it names is replaced
// atomically. Throws InputError when the sidecar or the preview cannot be read.
void addLegendToPreview(const std::filesystem::path& sidecar);

}  // namespace geih::ui
