// geih demo: build a complete demo workspace and say where everything was written.
#include <iostream>

#include "app/cli/cli_context.h"
#include "app/cli/commands.h"
#include "core/common/atomic_file.h"
#include "core/common/time_util.h"
#include "core/pipeline/demo_builder.h"
#include "core/report/drift_html_report.h"
#ifdef GEIH_WITH_PDF
#include "ui/report/pdf_export.h"
#include "ui/report/preview_legend.h"
#endif

namespace geih::cli {

void addDemoCommand(CLI::App& app) {
  struct Options {
    CommonOptions common;
    pipeline::DemoOptions demo;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = app.add_subcommand(
      "demo", "Build a demo workspace: a synthetic fire world, experiments, a model registry, a risk map and a drift report");
  addCommonOptions(*command, options->common, true, "table|json");
  command->add_option("--seed", options->demo.seed, "Random seed of the synthetic world")
      ->capture_default_str();
  command->add_option("--rows", options->demo.rows, "Rows in the generated table")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t(1000), std::size_t(10'000'000)));
  command->add_option("--olinda", options->demo.olindaScene,
                      "Also build the deforestation scenario on this Landsat 7 scene of Olinda "
                      "(r-cran-stars' tif/L7_ETMs.tif)");
  command->callback([options] {
    const std::filesystem::path root = options->common.workspacePath();
    auto progress = makeStderrProgress(options->common.quiet);
    const pipeline::DemoSummary summary = pipeline::buildDemo(root, options->demo, *progress);
    progress.reset();
#ifdef GEIH_WITH_PDF
    {
      ui::PdfApplicationScope application;
      ui::addLegendToPreview(std::filesystem::path(summary.riskMap).replace_extension(".json"));
      if (summary.deforestation) {
        ui::addLegendToPreview(std::filesystem::path(summary.deforestation->riskMap).replace_extension(".json"));
      }
    }
#endif
    const std::filesystem::path driftReport = root / "reports" / "drift_current_season.html";
    report::DriftReportContext context;
    context.title = "Data drift: current season vs training data";
    context.reference = "fire_demo (training data)";
    context.current = "data/external/fire_current.csv (a season 3 °C warmer)";
    context.model = summary.registeredModel + " version " + std::to_string(summary.productionVersion) +
                    " (Production)";
    context.created = isoUtc(nowMillis());
    std::filesystem::create_directories(driftReport.parent_path());
    writeFileAtomic(driftReport, report::driftReportHtml(summary.drift, context));
    if (options->common.outputFormat() == OutputFormat::Json) {
      nlohmann::json runs = nlohmann::json::array();
      for (const auto& run : summary.runs) {
        nlohmann::json metrics;
        for (const auto& [key, value] : run.metrics) metrics[key] = value;
        runs.push_back({{"run_id", run.runId}, {"name", run.runName},
                        {"experiment", run.experiment}, {"metrics", metrics}});
      }
      nlohmann::json out = {{"workspace", std::filesystem::absolute(root).string()},
                 {"data", std::filesystem::absolute(summary.dataFile).string()},
                 {"runs", runs},
                 {"best_run_id", summary.bestRunId},
                 {"best_roc_auc", summary.bestRocAuc},
                 {"registered_model", summary.registeredModel},
                 {"production_version", summary.productionVersion},
                 {"landscape", std::filesystem::absolute(summary.landscape).string()},
                 {"risk_map", std::filesystem::absolute(summary.riskMap).string()},
                 {"drift_report", std::filesystem::absolute(driftReport).string()},
                 {"share_drifted", summary.drift.shareDrifted}};
      if (const auto& d = summary.deforestation) {
        nlohmann::json metrics;
        for (const auto& [key, value] : d->run.metrics) metrics[key] = value;
        for (const auto& [key, value] : d->run.cvMetrics) metrics[key] = value;
        out["deforestation"] = {{"before", std::filesystem::absolute(d->before).string()},
                                {"after", std::filesystem::absolute(d->after).string()},
                                {"labels", std::filesystem::absolute(d->labels).string()},
                                {"features", std::filesystem::absolute(d->features).string()},
                                {"change", std::filesystem::absolute(d->change).string()},
                                {"risk_map", std::filesystem::absolute(d->riskMap).string()},
                                {"true_risk", std::filesystem::absolute(d->trueRisk).string()},
                                {"forest_pixels", d->forestPixels},
                                {"cleared_pixels", d->clearedPixels},
                                {"run_id", d->run.runId},
                                {"metrics", metrics},
                                {"registered_model", d->registeredModel},
                                {"version", d->version}};
      }
      printJson(out);
      return;
    }
    TextTable table{{"RUN", "EXPERIMENT", "NAME", "ROC AUC", "AVG PRECISION"}, {}};
    for (const auto& run : summary.runs) {
      std::string auc, ap;
      for (const auto& [key, value] : run.metrics) {
        if (key == "roc_auc") auc = formatNumber(value);
        if (key == "average_precision") ap = formatNumber(value);
      }
      table.rows.push_back({run.runId.substr(0, 8), run.experiment, run.runName, auc, ap});
    }
    const std::filesystem::path absolute = std::filesystem::absolute(root);
    std::cout << "Demo workspace: " << absolute.string() << "\n"
              << "  database   " << (absolute / "geih.db").string() << "\n"
              << "  artifacts  " << (absolute / "artifacts").string() << "\n"
              << "  data       " << std::filesystem::absolute(summary.dataFile).string() << "\n\n";
    printTable(table, OutputFormat::Table);
    std::cout << "\nBest run " << summary.bestRunId.substr(0, 8) << " (ROC AUC "
              << formatNumber(summary.bestRocAuc) << ").\n"
              << "Registry: " << summary.registeredModel << " version " << summary.productionVersion
              << " in Production (champion), version 3 in Staging (challenger); see "
                 "`geih models audit`.\n"
              << "Risk map: " << std::filesystem::absolute(summary.riskMap).string()
              << " (+ _classes.tif/.png/.qml and .json)\n"
              << "Drift: " << summary.drift.driftedCount << " of " << summary.drift.testedCount
              << " features drifted in a warmer season; report "
              << std::filesystem::absolute(driftReport).string() << "\n"
              << "Open it:  geih-workbench " << absolute.string() << "\n";
    if (const auto& d = summary.deforestation) {
      double auc = 0;
      for (const auto& [key, value] : d->run.metrics) {
        if (key == "roc_auc") auc = value;
      }
      std::cout << "Deforestation (Olinda): " << d->clearedPixels << " of " << d->forestPixels
                << " forest pixels cleared on the simulated second date; dNDVI "
                << std::filesystem::absolute(d->change).string() << "; model "
                << d->registeredModel << " version " << d->version << " (test ROC AUC "
                << formatNumber(auc) << ", spatial CV) in Production; risk map "
                << std::filesystem::absolute(d->riskMap).string() << "\n";
    }
  });
}

}  // namespace geih::cli
