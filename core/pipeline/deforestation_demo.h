// The deforestation scenario of `geih demo --olinda SCENE`: the real Landsat 7 scene of Olinda,
// Brazil (r-cran-stars' L7_ETMs.tif, six reflective bands: blue, green, red, NIR, SWIR1, SWIR2 —
// bands 3 and 4 are red and NIR) as the first date, and a simulated second date in which forest
// was cleared where a known risk function says (near forest edges), so every step of a
// deforestation-risk workflow runs on real spectra and its result can be checked against the
// truth. Deterministic for a seed. Writes under the workspace:
//   data/external/olinda_before.tif, olinda_after.tif   the two dates, bands named blue..swir2
//   data/external/olinda_cleared.tif   label: 1 cleared, 0 forest kept, 255 not forest (nodata)
//   data/external/olinda_features.tif  first-date features of forest pixels: ndvi, nbr,
//                                      edge_distance_m (nodata elsewhere)
//   data/external/olinda_true_risk.tif the exact chance of each forest pixel being cleared (the
//                                      ceiling a model's map can be held against)
//   maps/olinda_dndvi.tif              NDVI(before) − NDVI(after)
//   data/external/olinda_deforestation.csv   samples (every labelled pixel), registered as
//                                      dataset "olinda_deforestation"
//   experiment "deforestation-olinda": a GBDT with spatial block CV on x/y
//   registered model "deforestation-risk" version 1 in Production
//   maps/deforestation_risk.tif (+ classes low < 0.02 ≤ medium < 0.04 ≤ high < 0.07 ≤ critical,
//                                      preview, style, sidecar): its risk map of the forest
// The simulation: forest is NDVI > 0.25 on the first date; each forest pixel seeds a clearing with
// probability 0.04 · σ(1 − d/40 m − 12 · (NDVI − 0.35)) (d its distance to the forest edge: edges
// and sparse forest go first); a clearing is the seed pixel or, half of the time, the seed and its
// four neighbours, given bare-soil digital numbers (± noise) on the second date.
// Scenes above 4 Mpx are refused (the simulation holds the scene in memory).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "core/common/progress.h"
#include "core/pipeline/training_job.h"
#include "core/store/workspace.h"

namespace geih::pipeline {

struct DeforestationDemoSummary {
  std::filesystem::path before, after, labels, features, change, samples, riskMap;
  std::filesystem::path trueRisk;  // the exact chance of each forest pixel being cleared
  std::size_t forestPixels = 0;
  std::size_t clearedPixels = 0;
  TrainResult run;
  std::string registeredModel;  // "deforestation-risk"
  int version = 0;
};

// Throws InputError unless `scene` opens as a raster with six bands and at most 4 Mpx (checked
// before the demo writes anything).
void requireDemoScene(const std::filesystem::path& scene);

DeforestationDemoSummary buildDeforestationDemo(store::Workspace& workspace, const std::filesystem::path& scene,
                                                std::uint64_t seed, Progress& progress);

}  // namespace geih::pipeline
