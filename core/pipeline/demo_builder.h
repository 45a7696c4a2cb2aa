// `geih demo`: fills a workspace with a complete, realistic example from a seeded synthetic
// fire-risk world, so a new user sees every part of the workbench working on first start.
//
// What it writes (deterministic for a seed):
//   data/raw/...        the generated table (20,000 cells x days), registered as dataset
//                       "fire_demo" version 1
//   experiment "fire-risk-baseline": logistic regressions on growing feature sets (temperature
//                       only, weather only, fuel and terrain only, all features)
//   experiment "fire-risk-tuning": all features over a sweep of C, and balanced class weights
//   registered model "fire-risk": v1 weather only (promoted, then archived by v2), v2 all
//                       features (Production, alias champion), v3 balanced (Staging, challenger),
//                       with gates (ROC AUC >= 0.85, not worse than Production)
//   data/external/landscape.tif   a 400 x 400 synthetic landscape (500 m pixels) on day 240, and
//                       landscape_fire.tif with the drawn fire labels
//   maps/fire_risk*.{tif,png,qml,json}   the Production model's risk map of the landscape
//   data/external/fire_current.csv   a warmer "current season" (+3 °C), and its drift report
//                       against the training data with the Production model's predictions
//                       (returned, logged to the monitoring log for the drift gate)
//   with `olindaScene`: the deforestation scenario on the real Landsat 7 scene of Olinda
//                       (deforestation_demo.h)
// Refuses (Conflict) a workspace that already holds the demo experiments.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/common/progress.h"
#include "core/drift/drift_report.h"
#include "core/pipeline/deforestation_demo.h"
#include "core/pipeline/training_job.h"

namespace geih::pipeline {

struct DemoOptions {
  std::uint64_t seed = 42;
  std::size_t rows = 20000;
  std::filesystem::path olindaScene;  // L7_ETMs.tif; empty = no deforestation scenario
};

struct DemoSummary {
  std::filesystem::path workspace;
  std::filesystem::path dataFile;
  std::vector<TrainResult> runs;
  std::string bestRunId;  // by test ROC AUC
  double bestRocAuc = 0;
  std::string registeredModel;  // "fire-risk"
  int productionVersion = 0;
  std::filesystem::path landscape;
  std::filesystem::path riskMap;
  std::filesystem::path currentData;
  drift::DriftReport drift;  // current season vs the training data
  std::optional<DeforestationDemoSummary> deforestation;
};

DemoSummary buildDemo(const std::filesystem::path& workspaceRoot, const DemoOptions& options = {},
                      Progress& progress = Progress::none());

}  // namespace geih::pipeline
