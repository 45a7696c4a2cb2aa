// Resolves a model argument to a loaded model: a model JSON file, a run id (its model.json
// artifact), or a registry reference (NAME@production, NAME@3, NAME@champion, models:/NAME/2).
// Says which it was, so outputs can name the model version they came from.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "core/ml/model.h"
#include "core/store/workspace.h"

namespace geih::pipeline {

struct LoadedModel {
  std::unique_ptr<ml::Model> model;
  std::string description;           // "fire version 3 (Production)", "run 1a2b...", a path
  std::string runId;                 // when known
  std::string registeredName;        // registry references only
  std::optional<int> registeredVersion;
  std::string sha256;                // of the model JSON bytes
};

// `workspace` may be null when `argument` is a file. Throws InputError / NotFound naming the
// argument and what was tried; Corrupt for a malformed model JSON.
LoadedModel loadModelArgument(store::Workspace* workspace, const std::string& argument);

}  // namespace geih::pipeline
