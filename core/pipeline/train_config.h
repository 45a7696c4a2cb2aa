// An experiment config: several models trained on the same data in one call
// (`geih train --config FILE.json`).
//
//   {"experiment": "fire-models", "data": "fire.csv" | "train": ..., "test": ...,
//    "target": "fire", "task": "auto", "features": [...], "exclude": [...],
//    "test_fraction": 0.2, "seed": 42, "cv": "stratified:5",
//    "time_column": ..., "x_column": ..., "y_column": ..., "block_size": ...,
//    "models": [{"model": "logistic", "params": {"C": 1}, "name": "baseline"},
//               {"model": "gbdt", "search": {...a search file's content, search_job.h...}}]}
// Top-level fields override the defaults given (the command line's); each model entry may
// override "params", "name", "cv".
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/pipeline/search_job.h"
#include "core/pipeline/training_job.h"

namespace geih::pipeline {

struct ConfigEntry {
  TrainRequest request;
  std::optional<SearchSpec> search;
};

// Throws InputError naming the file and the field.
std::vector<ConfigEntry> readTrainConfig(const std::string& path, const TrainRequest& defaults);
std::vector<ConfigEntry> parseTrainConfig(const nlohmann::json& document,
                                          const TrainRequest& defaults);

}  // namespace geih::pipeline
