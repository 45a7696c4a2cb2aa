#include "core/pipeline/demo_builder.h"

#include <chrono>

#include "core/common/error.h"
#include "core/geo/raster_scorer.h"
#include "core/geo/synthetic_landscape.h"
#include "core/pipeline/data_source.h"
#include "core/pipeline/drift_check.h"
#include "core/pipeline/model_source.h"
#include "core/store/monitoring_log.h"
#include "core/store/registry.h"
#include "core/store/workspace.h"
#include "core/table/csv_writer.h"
#include "core/table/synthetic_fire.h"

namespace geih::pipeline {
namespace {

constexpr const char* kBaselineExperiment = "fire-risk-baseline";
constexpr const char* kTuningExperiment = "fire-risk-tuning";
constexpr const char* kFamiliesExperiment = "fire-risk-model-families";

struct DemoRun {
  const char* experiment;
  const char* name;
  ml::ParamMap params;
  std::vector<std::string> features;  // empty = all but x, y, day_of_year
  const char* model = "logistic";
};

std::vector<DemoRun> demoRuns() {
  const std::vector<std::string> weather = {"temperature_c", "relative_humidity", "wind_speed_ms",
                                            "precipitation_mm", "days_without_rain"};
  const std::vector<std::string> fuelTerrain = {"ndvi", "land_cover", "slope_deg", "elevation_m",
                                                "distance_to_road_km", "population_density"};
  return {
      {kBaselineExperiment, "temperature only", {{"C", "1"}}, {"temperature_c"}},
      {kBaselineExperiment, "weather only", {{"C", "1"}}, weather},
      {kBaselineExperiment, "fuel and terrain only", {{"C", "1"}}, fuelTerrain},
      {kBaselineExperiment, "all features", {{"C", "1"}}, {}},
      {kTuningExperiment, "logistic C=0.0005", {{"C", "0.0005"}}, {}},
      {kTuningExperiment, "logistic C=0.01", {{"C", "0.01"}}, {}},
      {kTuningExperiment, "logistic C=1, balanced", {{"C", "1"}, {"class_weight", "balanced"}}, {}},
      {kFamiliesExperiment, "gbdt 200 trees, lr 0.05",
       {{"n_estimators", "200"}, {"learning_rate", "0.05"}, {"max_leaves", "15"}}, {}, "gbdt"},
      {kFamiliesExperiment, "forest 100 trees", {{"n_estimators", "100"}, {"min_samples_leaf", "5"}},
       {}, "forest"},
  };
}

const TrainResult& runNamed(const DemoSummary& summary, const std::string& name) {
  for (const TrainResult& run : summary.runs) {
    if (run.runName == name) return run;
  }
  throw NotFound("demo run '" + name + "'");
}

// The registry's story: a first model in Production, a better one promoted through the gates
// (archiving the first, which rollback would restore), and a challenger in Staging.
void buildRegistry(store::Workspace& workspace, DemoSummary& summary) {
  store::Registry registry(workspace);
  summary.registeredModel = "fire-risk";
  registry.registerVersion(summary.registeredModel, runNamed(summary, "weather only").runId,
                           "model.json", "weather features only");
  registry.setGates(summary.registeredModel,
                    R"({"rules": ["metrics.roc_auc >= 0.85",
                                  {"not_worse_than_production": "roc_auc"},
                                  {"max_drift_share": 0.5}]})");
  registry.transition(summary.registeredModel, 1, store::Stage::Production, "first fire-risk model");
  registry.registerVersion(summary.registeredModel, runNamed(summary, "all features").runId,
                           "model.json", "weather, fuel and terrain");
  registry.transition(summary.registeredModel, 2, store::Stage::Production,
                      "fuel and terrain improve ROC AUC");
  registry.registerVersion(summary.registeredModel, runNamed(summary, "logistic C=1, balanced").runId,
                           "model.json", "balanced class weights");
  registry.transition(summary.registeredModel, 3, store::Stage::Staging, "candidate for next season");
  registry.setAlias(summary.registeredModel, 2, "champion");
  registry.setAlias(summary.registeredModel, 3, "challenger");
  summary.productionVersion = 2;
}

void logMonitoring(store::Workspace& workspace, const DemoSummary& summary, const std::string& kind,
                   const std::string& inputSha, std::size_t rows, double milliseconds,
                   nlohmann::json summaryJson) {
  store::MonitoringEvent event;
  event.modelName = summary.registeredModel;
  event.modelVersion = summary.productionVersion;
  event.kind = kind;
  event.inputSha256 = inputSha;
  event.rows = std::int64_t(rows);
  event.latencyMs = milliseconds;
  event.summaryJson = summaryJson.dump();
  store::MonitoringLog(workspace).log(event);
}

double millisecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

void buildRiskMap(store::Workspace& workspace, const DemoOptions& options, DemoSummary& summary,
                  Progress& progress) {
  const auto start = std::chrono::steady_clock::now();
  const std::filesystem::path external = workspace.root() / "data" / "external";
  summary.landscape = external / "landscape.tif";
  geo::LandscapeOptions landscape;
  landscape.seed = options.seed + 7;
  geo::writeSyntheticLandscape(summary.landscape, external / "landscape_fire.tif", landscape);
  const LoadedModel model = loadModelArgument(&workspace, summary.registeredModel + "@production");
  geo::ScoreOptions score;
  score.output = workspace.root() / "maps" / "fire_risk.tif";
  score.modelDescription = model.description;
  score.modelSha256 = model.sha256;
  score.runId = model.runId;
  const geo::RasterStack stack = geo::RasterStack::open(summary.landscape);
  const geo::ScoreSummary map = geo::scoreRaster(*model.model, stack, score, progress);
  summary.riskMap = map.probabilityPath;
  logMonitoring(workspace, summary, "score", map.sidecar["input"]["sha256"], map.validPixels,
                millisecondsSince(start),
                {{"classes", map.sidecar["classes"]}, {"output", "maps/fire_risk.tif"}});
}

void buildDriftCheck(store::Workspace& workspace, const DemoOptions& options,
                     const table::Table& reference, DemoSummary& summary, Progress& progress) {
  const auto start = std::chrono::steady_clock::now();
  table::SyntheticFireOptions season;
  season.rows = std::max<std::size_t>(2000, options.rows / 4);
  season.seed = options.seed + 1;
  season.temperatureShift = 3.0;
  table::Table current = table::makeSyntheticFireTable(season);
  summary.currentData = workspace.root() / "data" / "external" / "fire_current.csv";
  table::writeCsv(current, summary.currentData);
  // Registered too, so the drift view can compare it with the training data.
  registerLoaded(workspace, loadData(workspace, summary.currentData.string(), progress), "fire_current");

  const LoadedModel model = loadModelArgument(&workspace, summary.registeredModel + "@production");
  table::Table before = reference;
  before.addColumn(table::Column::numeric("prediction", model.model->predict(reference)));
  current.addColumn(table::Column::numeric("prediction", model.model->predict(current)));
  drift::DriftOptions driftOptions;
  driftOptions.exclude = {"fire", "x", "y", "day_of_year"};
  summary.drift = drift::computeDriftReport(before, current, driftOptions, progress);
  logMonitoring(workspace, summary, "drift", "", current.rowCount(), millisecondsSince(start),
                {{"share_drifted", summary.drift.shareDrifted},
                 {"dataset_drift", summary.drift.datasetDrift},
                 {"drifted_features", summary.drift.driftedCount},
                 {"feature_psi", numericFeaturePsi(before, current, summary.drift)},
                 {"current", "data/external/fire_current.csv"}});
}

}  // namespace

DemoSummary buildDemo(const std::filesystem::path& workspaceRoot, const DemoOptions& options,
                      Progress& progress) {
  if (!options.olindaScene.empty()) requireDemoScene(options.olindaScene);  // before writing anything
  store::Workspace workspace = store::Workspace::open(workspaceRoot);
  for (const store::Experiment& experiment : workspace.listExperiments()) {
    if (experiment.name == kBaselineExperiment || experiment.name == kTuningExperiment) {
      throw Conflict("workspace '" + workspaceRoot.string() + "' already holds the demo (experiment '" +
                     experiment.name + "'); choose another folder");
    }
  }

  DemoSummary summary;
  summary.workspace = workspaceRoot;
  progress.report(0.0, "generating the synthetic fire world");
  table::SyntheticFireOptions world;
  world.rows = options.rows;
  world.seed = options.seed;
  const table::Table data = table::makeSyntheticFireTable(world);
  summary.dataFile = workspaceRoot / "data" / "external" / "fire_demo.csv";
  table::writeCsv(data, summary.dataFile);
  progress.checkCancelled();

  const std::vector<DemoRun> runs = demoRuns();
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const DemoRun& run = runs[i];
    TrainRequest request;
    request.experiment = run.experiment;
    request.runName = run.name;
    request.dataFile = summary.dataFile.string();
    request.datasetName = "fire_demo";
    request.target = "fire";
    request.features = run.features;
    if (run.features.empty()) request.exclude = {"x", "y", "day_of_year"};
    request.model = run.model;
    request.params = run.params;
    request.seed = options.seed;
    request.tags = {{"geih.source", "demo"}};
    ProgressSlice slice(progress, 0.05 + 0.95 * double(i) / double(runs.size()),
                        0.05 + 0.95 * double(i + 1) / double(runs.size()));
    TrainResult result = runTraining(workspace, request, slice);
    for (const auto& [key, value] : result.metrics) {
      if (key == "roc_auc" && value > summary.bestRocAuc) {
        summary.bestRocAuc = value;
        summary.bestRunId = result.runId;
      }
    }
    summary.runs.push_back(std::move(result));
  }
  buildRegistry(workspace, summary);
  progress.checkCancelled();
  progress.report(0.0, "drawing the landscape and its risk map");
  buildRiskMap(workspace, options, summary, progress);
  progress.report(0.0, "checking a warmer season for drift");
  buildDriftCheck(workspace, options, data, summary, progress);
  if (!options.olindaScene.empty()) {
    summary.deforestation = buildDeforestationDemo(workspace, options.olindaScene, options.seed, progress);
  }
  progress.report(1.0, "demo ready");
  return summary;
}

}  // namespace geih::pipeline
