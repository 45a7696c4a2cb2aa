// geih score-raster --model REF --input STACK --output risk.tif: a risk map from a model
// (core/geo/raster_scorer.h). A registered model's scoring is logged to the monitoring log.
#include <chrono>
#include <iostream>

#include "app/cli/cli_context.h"
#include "app/cli/commands.h"
#include "core/common/error.h"
#include "core/geo/raster_scorer.h"
#include "core/pipeline/model_source.h"
#include "core/store/monitoring_log.h"
#ifdef GEIH_WITH_PDF
#include "ui/report/pdf_export.h"
#include "ui/report/preview_legend.h"
#endif

namespace geih::cli {

void addScoreRasterCommand(CLI::App& app) {
  struct Options {
    CommonOptions common;
    std::string model;
    std::string input;
    std::string output;
    std::vector<std::string> bandNames;
    std::string classes = "default";
    bool cog = false;
    std::string compression = "zstd";
    int threads = 0;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = app.add_subcommand(
      "score-raster", "Turn a model into a risk map: probability and classified GeoTIFFs, preview, "
                      "QGIS style and a lineage sidecar");
  command->add_option("--model,-m", options->model,
                      "NAME@production, NAME@3, NAME@champion, a run id or a model JSON file")
      ->required();
  command->add_option("--input,-i", options->input, "Raster stack (any GDAL format)")->required();
  command->add_option("--output,-o", options->output, "Probability GeoTIFF to write (.tif)")
      ->required();
  command->add_option("--band-names", options->bandNames,
                      "Names of the input bands in order (default: the band descriptions)")
      ->delimiter(',');
  command->add_option("--classes", options->classes,
                      "default (low/medium/high/critical), inpe, bounds \"0.2,0.4,0.6,0.8\" or "
                      "\"low:0.3,medium:0.6,high\"")
      ->capture_default_str();
  command->add_flag("--cog", options->cog, "Write Cloud Optimized GeoTIFFs");
  command->add_option("--compress", options->compression,
                      "zstd (fast; any GDAL reads it), deflate (smaller floats, for readers "
                      "outside GDAL) or none")
      ->capture_default_str();
  command->add_option("--threads", options->threads, "Scoring threads (0 = all)");
  addCommonOptions(*command, options->common, true, "table|json");
  command->callback([options] {
    const auto started = std::chrono::steady_clock::now();
    auto progress = makeStderrProgress(options->common.quiet);
    const std::vector<geo::RiskClass> classes = geo::parseRiskClasses(options->classes);
    const geo::Compression compression = geo::compressionFromName(options->compression);
    std::optional<store::Workspace> workspace;
    if (!std::filesystem::is_regular_file(options->model)) {
      workspace.emplace(options->common.openWorkspace(true));
    }
    const pipeline::LoadedModel model =
        pipeline::loadModelArgument(workspace ? &*workspace : nullptr, options->model);
    const geo::RasterStack stack = geo::RasterStack::open(options->input, options->bandNames);

    geo::ScoreOptions scoreOptions;
    scoreOptions.output = options->output;
    scoreOptions.classes = classes;
    scoreOptions.cloudOptimized = options->cog;
    scoreOptions.compression = compression;
    scoreOptions.threads = options->threads;
    scoreOptions.modelDescription = model.description;
    scoreOptions.modelSha256 = model.sha256;
    scoreOptions.runId = model.runId;
    const geo::ScoreSummary summary = geo::scoreRaster(*model.model, stack, scoreOptions, *progress);
#ifdef GEIH_WITH_PDF
    {
      ui::PdfApplicationScope application;
      ui::addLegendToPreview(summary.sidecarPath);
    }
#endif

    if (workspace && !model.registeredName.empty()) {
      store::MonitoringEvent event;
      event.modelName = model.registeredName;
      event.modelVersion = *model.registeredVersion;
      event.kind = "score";
      event.inputSha256 = summary.sidecar["input"]["sha256"];
      event.rows = std::int64_t(summary.validPixels);
      event.latencyMs =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
      event.summaryJson = nlohmann::json({{"classes", summary.sidecar["classes"]},
                                          {"mean_probability", summary.meanProbability},
                                          {"output", summary.probabilityPath.string()}})
                              .dump();
      store::MonitoringLog(*workspace).log(event);
    }

    if (options->common.outputFormat() == OutputFormat::Json) {
      printJson(summary.sidecar);
      return;
    }
    TextTable table{{"class", "below", "pixels", "area_km2", "share"}, {}};
    for (const geo::ClassArea& area : summary.classes) {
      table.rows.push_back({area.name, formatNumber(area.upper, 2), std::to_string(area.pixels),
                            formatNumber(area.areaKm2, 3), formatNumber(area.share * 100, 1) + "%"});
    }
    printTable(table, OutputFormat::Table);
    std::cout << "\nModel: " << model.description << "\nWrote " << summary.probabilityPath.string()
              << ", " << summary.classesPath.filename().string() << ", "
              << summary.previewPath.filename().string() << ", "
              << summary.stylePath.filename().string() << ", "
              << summary.sidecarPath.filename().string() << " (" << summary.validPixels
              << " pixels scored, " << summary.nodataPixels << " nodata)\n";
  });
}

}  // namespace geih::cli
