// Turns a model into a risk map: matches the model's features to bands by name, streams the
// input stack window by window on several threads (stack_windows.h, window_pipeline.h; memory
// bounded by a few strips of windows, never by the raster), scores the valid pixels
// (window_scorer.h), and writes
//   <output>              probability GeoTIFF: float32, tiled, compressed (Zstandard unless
//                         asked otherwise), overviews, same grid and
//                         CRS as the input, nodata -9999 where any input band is nodata
//   <stem>_classes.tif    classified uint8 GeoTIFF with a colour table and category names
//                         (nodata 255), or a Cloud Optimized GeoTIFF pair when asked
//   <stem>_classes.png    a preview of the classes in their colours (with the legend when
//                         ScoreOptions::drawPreview draws it)
//   <stem>_classes.qml    a QGIS paletted style with the class names and colours
//   <stem>.json           lineage and summary: model, run, inputs with SHA-256, thresholds, and
//                         per class the pixels, the area in km² and the share
// Every file is written under a temporary name and renamed into place.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/common/progress.h"
#include "core/geo/geotiff_output.h"
#include "core/geo/raster_stack.h"
#include "core/geo/risk_classes.h"
#include "core/ml/model.h"

namespace geih::geo {

struct ScoreOptions {
  std::filesystem::path output;           // the probability GeoTIFF
  std::vector<RiskClass> classes = defaultRiskClasses();
  bool cloudOptimized = false;
  Compression compression = Compression::Zstd;
  int threads = 0;                        // 0: all
  // Lineage written into the sidecar.
  std::string modelDescription;
  std::string modelSha256;
  std::string runId;
  // Read an uncompressed float32 GeoTIFF's blocks straight from the file (stack_windows.h);
  // false reads through GDAL. The map is the same either way.
  bool directReads = true;
  // The input's SHA-256 when already known (a workspace's file-hash cache); empty: hashed while
  // scoring.
  std::string inputSha256;
  // Writes the PNG preview at `png` from the classes shrunk for looking at and the legend (the
  // sidecar's "model" and "classes"), e.g. with the legend drawn below (ui/report/preview_legend.h).
  // Runs while the probability file finishes. Empty: a plain paletted PNG through GDAL.
  std::function<void(const PreviewImage& image, const nlohmann::json& legend, const std::filesystem::path& png)>
      drawPreview;
};

struct ClassArea {
  std::string name;
  double upper = 1;
  std::size_t pixels = 0;
  double areaKm2 = 0;
  double share = 0;  // of the valid pixels
};

struct ScoreSummary {
  std::filesystem::path probabilityPath;
  std::filesystem::path classesPath;
  std::filesystem::path previewPath;
  std::filesystem::path stylePath;
  std::filesystem::path sidecarPath;
  std::size_t validPixels = 0;
  std::size_t nodataPixels = 0;
  double meanProbability = 0;
  std::vector<ClassArea> classes;
  nlohmann::json sidecar;
};

// Throws InputError when a model feature has no band (listing what the model needs and what
// the stack has), IoError when an output cannot be written, Cancelled when cancelled.
ScoreSummary scoreRaster(const ml::Model& model, const RasterStack& input, const ScoreOptions& options,
                         Progress& progress);

}  // namespace geih::geo
