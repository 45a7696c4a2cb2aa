#include "core/pipeline/model_source.h"

#include <filesystem>

#include "core/common/atomic_file.h"
#include "core/common/error.h"
#include "core/common/sha256.h"
#include "core/ml/learner_registry.h"
#include "core/store/registry.h"

namespace geih::pipeline {

LoadedModel loadModelArgument(store::Workspace* workspace, const std::string& argument) {
  LoadedModel loaded;
  std::error_code ec;
  if (std::filesystem::is_regular_file(argument, ec)) {
    const std::string bytes = readFile(argument);
    loaded.model = ml::loadModelText(bytes, argument);
    loaded.description = argument;
    loaded.sha256 = sha256Hex(bytes);
    loaded.runId = loaded.model->trainingInfo().runId;
    return loaded;
  }
  if (!workspace) {
    throw InputError("model '" + argument + "' is not a file, and no workspace is open to look it "
                     "up as a run or a registered model");
  }
  const bool registryReference =
      argument.find('@') != std::string::npos || argument.rfind("models:/", 0) == 0;
  if (!registryReference) {
    // A run id or prefix first; else a registered model's Production version.
    try {
      loaded.runId = workspace->resolveRunId(argument);
    } catch (const Error&) {
      loaded.runId.clear();
    }
  }
  std::string bytes;
  if (!loaded.runId.empty()) {
    bytes = workspace->readArtifact(loaded.runId, "model.json");
    loaded.description = "run " + loaded.runId;
  } else {
    store::Registry registry(*workspace);
    store::ModelVersion version;
    try {
      version = registry.resolve(argument);
    } catch (const NotFound& error) {
      throw NotFound("model '" + argument + "' is not a file, a run or a registered model (" +
                     error.what() + ")");
    }
    bytes = workspace->readArtifact(version.runId, version.artifactPath);
    loaded.runId = version.runId;
    loaded.registeredName = version.model;
    loaded.registeredVersion = version.version;
    loaded.description = version.model + " version " + std::to_string(version.version) + " (" +
                         store::stageName(version.stage) + ")";
  }
  loaded.model = ml::loadModelText(bytes, argument);
  loaded.sha256 = sha256Hex(bytes);
  return loaded;
}

}  // namespace geih::pipeline
