// geih drift --reference A --current B: per-feature drift tests, the dataset verdict, optional
// prediction and performance drift of a model, as a table, JSON or a self-contained HTML report.
// With a registered model (--model NAME@REF) the check is logged to the monitoring log, where the
// registry's max_drift_share gate reads it.
#include <chrono>
#include <iostream>
#include <map>

#include "app/cli/cli_context.h"
#include "app/cli/commands.h"
#include "core/common/atomic_file.h"
#include "core/common/error.h"
#include "core/common/sha256.h"
#include "core/common/time_util.h"
#include "core/drift/drift_report.h"
#include "core/eval/binary_metrics.h"
#include "core/pipeline/data_source.h"
#include "core/pipeline/model_source.h"
#include "core/report/drift_html_report.h"
#include "core/store/monitoring_log.h"

namespace geih::cli {
namespace {

struct Options {
  CommonOptions common;
  std::string reference;
  std::string current;
  std::string model;
  std::string target;
  std::vector<std::string> columns;
  std::vector<std::string> exclude;
  std::vector<std::string> tests;
  std::vector<std::string> thresholds;
  double share = 0.5;
  std::string correction = "none";
  std::string output;
};

std::pair<std::string, std::string> splitAssignment(const std::string& text, const char* option) {
  const auto equals = text.find('=');
  if (equals == std::string::npos || equals == 0 || equals + 1 == text.size()) {
    throw InputError(std::string(option) + " '" + text + "': expected COLUMN=VALUE");
  }
  return {text.substr(0, equals), text.substr(equals + 1)};
}

// A table loaded from a file or a registered dataset, and what to call it in the report.
struct Side {
  table::Table table;
  std::string description;
  std::string sha256;
};

Side loadSide(store::Workspace* workspace, const std::string& argument, Progress& progress) {
  Side side;
  if (workspace) {
    pipeline::LoadedData data = pipeline::loadData(*workspace, argument, progress);
    side.table = std::move(data.table);
    side.sha256 = data.dataset ? data.dataset->sha256 : sha256File(data.file);
    side.description = data.dataset ? data.dataset->name + " v" + std::to_string(data.dataset->version)
                                    : data.file.string();
  } else {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(argument, ec)) throw InputError("no such file '" + argument + "'");
    table::CsvReadResult read = table::readCsv(argument, {}, progress);
    if (read.table.rowCount() == 0) throw InputError("'" + argument + "' has no data rows");
    side.table = std::move(read.table);
    side.sha256 = sha256File(argument);
    side.description = argument;
  }
  side.description += " (sha256 " + side.sha256.substr(0, 12) + ")";
  return side;
}

// Adds the model's scores as a "prediction" column (so the report tests prediction drift), and
// returns the ROC AUC when the table has the 0/1 target.
std::optional<double> addPredictions(const ml::Model& model, table::Table& data,
                                     const std::string& target) {
  std::vector<double> scores = model.predict(data);
  std::optional<double> auc;
  if (!target.empty() && data.hasColumn(target)) {
    const table::Column& labels = data.column(target);
    std::vector<double> y;
    std::vector<double> s;
    for (std::size_t row = 0; row < labels.size(); ++row) {
      const double label = labels.numberAt(row);
      if (label == 0.0 || label == 1.0) {
        y.push_back(label);
        s.push_back(scores[row]);
      }
    }
    if (!y.empty()) auc = eval::rocAuc(y, s);
  }
  data.addColumn(table::Column::numeric("prediction", std::move(scores)));
  return auc;
}

}  // namespace

void addDriftCommand(CLI::App& app) {
  auto options = std::make_shared<Options>();
  CLI::App* command = app.add_subcommand(
      "drift", "Compare current data with reference data: per-feature drift and a verdict");
  command->add_option("--reference,-r", options->reference,
                      "Reference data: a CSV file or dataset:NAME[@VERSION]")
      ->required();
  command->add_option("--current,-c", options->current, "Current data: a CSV file or dataset:NAME")
      ->required();
  command->add_option("--model,-m", options->model,
                      "Also test the model's predictions: a model JSON, a run id or NAME@REF "
                      "(a registered model's check is logged for its gates)");
  command->add_option("--target", options->target,
                      "0/1 label column: with --model, the AUC now vs on the reference");
  command->add_option("--columns", options->columns, "Only these columns")->delimiter(',');
  command->add_option("--exclude", options->exclude, "Never test these columns")->delimiter(',');
  command->add_option("--test", options->tests,
                      "Per-column test, COLUMN=ks|chisquare|z|wasserstein|jensenshannon|psi")
      ->delimiter(',');
  command->add_option("--threshold", options->thresholds, "Per-column threshold, COLUMN=VALUE")
      ->delimiter(',');
  command->add_option("--share", options->share,
                      "Dataset drift when at least this share of features drift")
      ->capture_default_str();
  command->add_option("--correction", options->correction, "none|bonferroni|bh")
      ->capture_default_str();
  command->add_option("--output,-o", options->output, "Write the report: FILE.html or FILE.json");
  addCommonOptions(*command, options->common, true, "table|json");
  command->callback([options] {
    const auto started = std::chrono::steady_clock::now();
    auto progress = makeStderrProgress(options->common.quiet);
    const bool needsWorkspace = options->reference.rfind("dataset:", 0) == 0 ||
                                options->current.rfind("dataset:", 0) == 0 ||
                                (!options->model.empty() && !std::filesystem::exists(options->model));
    std::optional<store::Workspace> workspace;
    if (needsWorkspace) workspace.emplace(options->common.openWorkspace(true));
    store::Workspace* ws = workspace ? &*workspace : nullptr;

    Side reference = loadSide(ws, options->reference, *progress);
    Side current = loadSide(ws, options->current, *progress);

    drift::DriftOptions driftOptions;
    driftOptions.columns = options->columns;
    driftOptions.exclude = options->exclude;
    if (!options->target.empty()) driftOptions.exclude.push_back(options->target);
    driftOptions.driftShare = options->share;
    driftOptions.correction = drift::parseCorrection(options->correction);
    for (const std::string& item : options->tests) {
      const auto [column, test] = splitAssignment(item, "--test");
      driftOptions.tests[column] = test;
    }
    for (const std::string& item : options->thresholds) {
      const auto [column, value] = splitAssignment(item, "--threshold");
      try {
        driftOptions.thresholds[column] = std::stod(value);
      } catch (const std::exception&) {
        throw InputError("--threshold '" + item + "': '" + value + "' is not a number");
      }
    }

    std::optional<pipeline::LoadedModel> model;
    std::optional<double> referenceAuc;
    std::optional<double> currentAuc;
    if (!options->model.empty()) {
      model = pipeline::loadModelArgument(ws, options->model);
      referenceAuc = addPredictions(*model->model, reference.table, options->target);
      currentAuc = addPredictions(*model->model, current.table, options->target);
      if (!driftOptions.columns.empty()) driftOptions.columns.push_back("prediction");
    }

    const drift::DriftReport report =
        drift::computeDriftReport(reference.table, current.table, driftOptions, *progress);
    nlohmann::json json = drift::toJson(report);
    json["reference"] = reference.description;
    json["current"] = current.description;
    if (model) {
      json["model"] = model->description;
      if (referenceAuc && currentAuc) {
        json["performance"] = {{"metric", "roc_auc"},
                               {"reference", *referenceAuc},
                               {"current", *currentAuc},
                               {"change", *currentAuc - *referenceAuc}};
      }
    }

    if (model && !model->registeredName.empty() && ws) {
      store::MonitoringEvent event;
      event.modelName = model->registeredName;
      event.modelVersion = *model->registeredVersion;
      event.kind = "drift";
      event.inputSha256 = current.sha256;
      event.rows = std::int64_t(report.currentRows);
      event.latencyMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() -
                                                                  started)
                            .count();
      nlohmann::json summary = {{"share_drifted", report.shareDrifted},
                                {"dataset_drift", report.datasetDrift},
                                {"drifted_features", report.driftedCount},
                                {"reference_sha256", reference.sha256}};
      if (json.contains("performance")) summary["performance"] = json["performance"];
      event.summaryJson = summary.dump();
      store::MonitoringLog(*ws).log(event);
    }

    if (!options->output.empty()) {
      const std::filesystem::path path = options->output;
      if (path.extension() == ".json") {
        writeFileAtomic(path, json.dump(2) + "\n");
      } else if (path.extension() == ".html" || path.extension() == ".htm") {
        report::DriftReportContext context;
        context.reference = reference.description;
        context.current = current.description;
        context.model = model ? model->description : "";
        context.created = isoUtc(nowMillis());
        writeFileAtomic(path, report::driftReportHtml(report, context));
      } else {
        throw InputError("--output '" + options->output + "': use a .html or .json file name");
      }
    }

    if (options->common.outputFormat() == OutputFormat::Json) {
      printJson(json);
      return;
    }
    TextTable table{{"feature", "type", "test", "statistic", "p_value", "threshold", "drift"}, {}};
    for (const drift::ColumnDrift& column : report.columns) {
      table.rows.push_back({column.name, column.type, column.test,
                            column.error.empty() ? formatNumber(column.statistic) : "-",
                            column.pValue ? formatNumber(*column.pValue) : "",
                            formatNumber(column.threshold),
                            !column.error.empty() ? "not tested: " + column.error
                            : column.drifted      ? "DRIFT"
                                                  : "ok"});
    }
    printTable(table, OutputFormat::Table);
    std::cout << "\n"
              << (report.datasetDrift ? "Dataset drift: " : "No dataset drift: ")
              << report.driftedCount << " of " << report.testedCount << " features drifted ("
              << formatNumber(report.shareDrifted * 100, 1) << "%, verdict at "
              << formatNumber(report.driftShareThreshold * 100, 1) << "%)\n";
    if (json.contains("performance")) {
      std::cout << "ROC AUC: " << formatNumber(*referenceAuc) << " on the reference, "
                << formatNumber(*currentAuc) << " now\n";
    }
    if (!options->output.empty()) std::cout << "Report written to " << options->output << "\n";
  });
}

}  // namespace geih::cli
