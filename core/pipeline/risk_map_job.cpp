#include "core/pipeline/risk_map_job.h"

#include <chrono>
#include <optional>

#include "core/geo/raster_stack.h"
#include "core/pipeline/model_source.h"
#include "core/store/file_hash_cache.h"
#include "core/store/monitoring_log.h"

namespace geih::pipeline {

RiskMapResult makeRiskMap(store::Workspace* workspace, const RiskMapRequest& request,
                          Progress& progress) {
  const auto started = std::chrono::steady_clock::now();
  const LoadedModel model = loadModelArgument(workspace, request.model);
  const geo::RasterStack stack = geo::RasterStack::open(request.input, request.bandNames);

  geo::ScoreOptions options;
  options.output = request.output;
  options.classes = request.classes;
  options.cloudOptimized = request.cloudOptimized;
  options.compression = request.compression;
  options.threads = request.threads;
  options.drawPreview = request.drawPreview;
  options.modelDescription = model.description;
  options.modelSha256 = model.sha256;
  options.runId = model.runId;
  // The input's hash is remembered in the workspace: a stack mapped again (another model, other
  // classes) is not read again for its lineage.
  std::optional<store::FileHashCache> hashes;
  std::optional<store::FileStamp> stamp;
  if (workspace) {
    hashes.emplace(*workspace);
    stamp = store::stampOf(request.input);
    options.inputSha256 = hashes->find(request.input).value_or("");
  }
  RiskMapResult result;
  result.summary = geo::scoreRaster(*model.model, stack, options, progress);
  result.modelDescription = model.description;
  if (hashes && options.inputSha256.empty()) {
    hashes->remember(request.input, *stamp, result.summary.sidecar["input"]["sha256"]);
  }

  if (workspace && !model.registeredName.empty()) {
    store::MonitoringEvent event;
    event.modelName = model.registeredName;
    event.modelVersion = *model.registeredVersion;
    event.kind = "score";
    event.inputSha256 = result.summary.sidecar["input"]["sha256"];
    event.rows = std::int64_t(result.summary.validPixels);
    event.latencyMs =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    event.summaryJson = nlohmann::json({{"classes", result.summary.sidecar["classes"]},
                                        {"mean_probability", result.summary.meanProbability},
                                        {"output", result.summary.probabilityPath.string()}})
                            .dump();
    store::MonitoringLog(*workspace).log(event);
  }
  return result;
}

}  // namespace geih::pipeline
