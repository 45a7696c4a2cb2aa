// A risk map from a model reference and a raster stack, as `geih score-raster` and the GUI's
// "Make risk map" dialog make it: the model resolved (registry reference, run id or model JSON),
// the stack opened with optional band names, the map scored (core/geo/raster_scorer.h), and a
// registered model's scoring logged to the monitoring log (kind "score", rows = valid pixels).
// With a workspace, the input's SHA-256 is remembered (store/file_hash_cache.h) and reused while
// the file is unchanged.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/common/progress.h"
#include "core/geo/raster_scorer.h"
#include "core/store/workspace.h"

namespace geih::pipeline {

struct RiskMapRequest {
  std::string model;                  // NAME@production, NAME@3, a run id or a model JSON file
  std::filesystem::path input;        // any GDAL raster stack
  std::vector<std::string> bandNames; // empty: the band descriptions
  std::filesystem::path output;       // the probability GeoTIFF
  std::vector<geo::RiskClass> classes = geo::defaultRiskClasses();
  geo::Compression compression = geo::Compression::Zstd;
  bool cloudOptimized = false;
  int threads = 0;
  decltype(geo::ScoreOptions::drawPreview) drawPreview;  // see ScoreOptions
};

struct RiskMapResult {
  geo::ScoreSummary summary;
  std::string modelDescription;  // "fire version 3 (Production)", "run 1a2b...", a path
};

// `workspace` may be null when the model is a file. Throws what loading, opening and scoring throw
// (InputError naming the missing bands, NotFound for an unknown model, Cancelled); nothing is
// left behind then.
RiskMapResult makeRiskMap(store::Workspace* workspace, const RiskMapRequest& request,
                          Progress& progress);

}  // namespace geih::pipeline
