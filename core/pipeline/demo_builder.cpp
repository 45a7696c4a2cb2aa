#include "core/pipeline/demo_builder.h"

#include "core/common/error.h"
#include "core/store/workspace.h"
#include "core/table/csv_writer.h"
#include "core/table/synthetic_fire.h"

namespace geih::pipeline {
namespace {

constexpr const char* kBaselineExperiment = "fire-risk-baseline";
constexpr const char* kTuningExperiment = "fire-risk-tuning";

struct DemoRun {
  const char* experiment;
  const char* name;
  ml::ParamMap params;
  std::vector<std::string> features;  // empty = all but x, y, day_of_year
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
  };
}

}  // namespace

DemoSummary buildDemo(const std::filesystem::path& workspaceRoot, const DemoOptions& options,
                      Progress& progress) {
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
  progress.report(1.0, "demo ready");
  return summary;
}

}  // namespace geih::pipeline
