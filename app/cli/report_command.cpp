// geih report run|model|map: a run report, a model card or a risk-map report as HTML or PDF
// (core/report, written by app/cli/report_output.h). Drift reports: geih drift --output.
#include <iostream>

#include "app/cli/cli_context.h"
#include "app/cli/commands.h"
#include "app/cli/report_output.h"
#include "core/report/map_report.h"
#include "core/report/run_report.h"
#include "core/store/registry.h"

namespace geih::cli {

void addReportCommand(CLI::App& app) {
  struct Options {
    CommonOptions common;
    std::string subject, output;
  };
  CLI::App* report = app.add_subcommand("report", "Reports as HTML or PDF: a run, a model version (model card), a risk map");
  report->require_subcommand(1);

  auto run = std::make_shared<Options>();
  CLI::App* runCommand = report->add_subcommand("run", "Run report: lineage, params, metrics, ROC/PR, confusion matrix, importance");
  runCommand->add_option("RUN", run->subject, "Run id or unique prefix")->required();
  runCommand->add_option("--output,-o", run->output, "FILE.html or FILE.pdf")->required();
  addCommonOptions(*runCommand, run->common, false);
  runCommand->callback([run] {
    store::Workspace workspace = run->common.openWorkspace(true);
    const std::string html = report::runReportHtml(workspace, run->subject);
    writeReport(html, run->output, "Run report " + run->subject);
    if (!run->common.quiet) std::cout << "Wrote " << run->output << "\n";
  });

  auto model = std::make_shared<Options>();
  CLI::App* modelCommand = report->add_subcommand(
      "model", "Model card of a registered version: stage, gates, alerts, audit, then its run report");
  modelCommand->add_option("REF", model->subject, "NAME@production, NAME@3, NAME@champion, ...")->required();
  modelCommand->add_option("--output,-o", model->output, "FILE.html or FILE.pdf")->required();
  addCommonOptions(*modelCommand, model->common, false);
  modelCommand->callback([model] {
    store::Workspace workspace = model->common.openWorkspace(true);
    const std::string html = report::modelCardHtml(workspace, model->subject);
    writeReport(html, model->output, "Model card " + model->subject);
    if (!model->common.quiet) std::cout << "Wrote " << model->output << "\n";
  });

  auto map = std::make_shared<Options>();
  CLI::App* mapCommand = report->add_subcommand(
      "map", "Risk-map report: the map, its legend and class areas, the model version, inputs and hashes");
  mapCommand->add_option("MAP", map->subject, "risk.tif (or its sidecar risk.json) from geih score-raster")->required();
  mapCommand->add_option("--output,-o", map->output, "FILE.html or FILE.pdf")->required();
  addCommonOptions(*mapCommand, map->common, false);
  mapCommand->callback([map] {
    const std::string html = report::riskMapReportHtml(map->subject);
    writeReport(html, map->output, "Risk map " + std::filesystem::path(map->subject).stem().string());
    if (!map->common.quiet) std::cout << "Wrote " << map->output << "\n";
  });
}

}  // namespace geih::cli
