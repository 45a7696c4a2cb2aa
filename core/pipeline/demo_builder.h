// `geih demo`: fills a workspace with a complete, realistic example from a seeded synthetic
// fire-risk world, so a new user sees every part of the workbench working on first start.
//
// What it writes (deterministic for a seed):
//   data/raw/...        the generated table (20,000 cells x days), registered as dataset
//                       "fire_demo" version 1
//   experiment "fire-risk-baseline": logistic regressions on growing feature sets (temperature
//                       only, weather only, fuel and terrain only, all features)
//   experiment "fire-risk-tuning": all features over a sweep of C, and balanced class weights
// Refuses (Conflict) a workspace that already holds the demo experiments.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/common/progress.h"
#include "core/pipeline/training_job.h"

namespace geih::pipeline {

struct DemoOptions {
  std::uint64_t seed = 42;
  std::size_t rows = 20000;
};

struct DemoSummary {
  std::filesystem::path workspace;
  std::filesystem::path dataFile;
  std::vector<TrainResult> runs;
  std::string bestRunId;  // by test ROC AUC
  double bestRocAuc = 0;
};

DemoSummary buildDemo(const std::filesystem::path& workspaceRoot, const DemoOptions& options = {},
                      Progress& progress = Progress::none());

}  // namespace geih::pipeline
