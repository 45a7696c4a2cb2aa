// geih mlflow import MLRUNS_DIR | export DIR: MLflow file-store interop (core/store/mlflow_file_store.h).
#include <iostream>

#include "app/cli/cli_context.h"
#include "app/cli/commands.h"
#include "core/store/mlflow_file_store.h"

namespace geih::cli {
namespace {

void printSummary(const store::MlflowTransferSummary& summary, const std::string& verb,
                  OutputFormat format) {
  if (format == OutputFormat::Json) {
    printJson({{"experiments", summary.experiments},
               {"runs", summary.runs},
               {"metric_points", summary.metricPoints},
               {"params", summary.params},
               {"tags", summary.tags},
               {"artifacts", summary.artifacts},
               {"registered_models", summary.models},
               {"model_versions", summary.versions},
               {"warnings", summary.warnings}});
    return;
  }
  std::cout << verb << " " << summary.experiments << " experiments, " << summary.runs << " runs ("
            << summary.metricPoints << " metric points, " << summary.params << " params, "
            << summary.tags << " tags, " << summary.artifacts << " artifacts), " << summary.models
            << " registered models with " << summary.versions << " versions\n";
  for (const std::string& warning : summary.warnings) std::cerr << "warning: " << warning << "\n";
}

}  // namespace

void addMlflowCommand(CLI::App& app) {
  CLI::App* mlflow = app.add_subcommand("mlflow", "Read or write an MLflow file store (mlruns/)");
  mlflow->require_subcommand(1);
  struct Options {
    CommonOptions common;
    std::string folder;
  };
  auto importOptions = std::make_shared<Options>();
  CLI::App* importCommand = mlflow->add_subcommand(
      "import", "Import experiments, runs, metric histories, artifacts and registered models");
  importCommand->add_option("MLRUNS_DIR", importOptions->folder, "The mlruns folder")->required();
  addCommonOptions(*importCommand, importOptions->common, true, "table|json");
  importCommand->callback([importOptions] {
    store::Workspace workspace = importOptions->common.openWorkspace(false);
    auto progress = makeStderrProgress(importOptions->common.quiet);
    printSummary(store::MlflowFileStore::importStore(workspace, importOptions->folder, *progress),
                 "Imported", importOptions->common.outputFormat());
  });
  auto exportOptions = std::make_shared<Options>();
  CLI::App* exportCommand =
      mlflow->add_subcommand("export", "Write the workspace as a store MLflow 2.x reads");
  exportCommand->add_option("DIR", exportOptions->folder, "A new (or empty) folder")->required();
  addCommonOptions(*exportCommand, exportOptions->common, true, "table|json");
  exportCommand->callback([exportOptions] {
    store::Workspace workspace = exportOptions->common.openWorkspace(true);
    auto progress = makeStderrProgress(exportOptions->common.quiet);
    printSummary(store::MlflowFileStore::exportStore(workspace, exportOptions->folder, *progress),
                 "Exported", exportOptions->common.outputFormat());
  });
}

}  // namespace geih::cli
