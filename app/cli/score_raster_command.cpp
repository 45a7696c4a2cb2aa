// geih score-raster --model REF --input STACK --output risk.tif: a risk map from a model
// (core/pipeline/risk_map_job.h). A registered model's scoring is logged to the monitoring log.
#include <iostream>
#include <optional>

#include "app/cli/cli_context.h"
#include "app/cli/commands.h"
#include "core/common/error.h"
#include "core/pipeline/risk_map_job.h"
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
    auto progress = makeStderrProgress(options->common.quiet);
    pipeline::RiskMapRequest request;
    request.model = options->model;
    request.input = options->input;
    request.bandNames = options->bandNames;
    request.output = options->output;
    request.classes = geo::parseRiskClasses(options->classes);
    request.compression = geo::compressionFromName(options->compression);
    request.cloudOptimized = options->cog;
    request.threads = options->threads;
    std::optional<store::Workspace> workspace;
    if (!std::filesystem::is_regular_file(options->model)) {
      workspace.emplace(options->common.openWorkspace(true));
    }
#ifdef GEIH_WITH_PDF
    // The preview is drawn with its legend while the probability file finishes.
    ui::PdfApplicationScope application;
    request.drawPreview = ui::drawPreviewWithLegend;
#endif
    const pipeline::RiskMapResult result =
        pipeline::makeRiskMap(workspace ? &*workspace : nullptr, request, *progress);
    const geo::ScoreSummary& summary = result.summary;

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
    std::cout << "\nModel: " << result.modelDescription << "\nWrote " << summary.probabilityPath.string()
              << ", " << summary.classesPath.filename().string() << ", "
              << summary.previewPath.filename().string() << ", "
              << summary.stylePath.filename().string() << ", "
              << summary.sidecarPath.filename().string() << " (" << summary.validPixels
              << " pixels scored, " << summary.nodataPixels << " nodata)\n";
  });
}

}  // namespace geih::cli
