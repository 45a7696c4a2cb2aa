// A risk-map report as self-contained HTML: the map preview (embedded PNG), its legend with each
// class's area (km²) and share, the model version and run that produced it, the input stack and
// its SHA-256, the band each feature was read from, and the grid. Read from the JSON sidecar that
// geih score-raster writes beside the map (risk.json for risk.tif).
#pragma once

#include <filesystem>
#include <string>

namespace geih::report {

// `map` is the probability GeoTIFF or its sidecar. InputError when the sidecar is missing or not
// a risk-map sidecar (naming the file and what is missing).
std::string riskMapReportHtml(const std::filesystem::path& map);

}  // namespace geih::report
