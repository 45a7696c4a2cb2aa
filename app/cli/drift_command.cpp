// geih drift --reference A --current B: per-feature drift tests, the dataset verdict, optional
// prediction and performance drift of a model, as a table, JSON or a self-contained HTML report.
// With a registered model (--model NAME@REF) the check is logged to the monitoring log, where the
// registry's max_drift_share gate reads it.
#include <iostream>
#include <map>

#include "app/cli/cli_context.h"
#include "app/cli/commands.h"
#include "app/cli/report_output.h"
#include "core/common/atomic_file.h"
#include "core/common/error.h"
#include "core/common/time_util.h"
#include "core/drift/drift_report.h"
#include "core/pipeline/drift_check.h"
#include "core/report/drift_html_report.h"

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
  command->add_option("--output,-o", options->output, "Write the report: FILE.html, FILE.pdf or FILE.json");
  addCommonOptions(*command, options->common, true, "table|json");
  command->callback([options] {
    auto progress = makeStderrProgress(options->common.quiet);
    const bool needsWorkspace = options->reference.rfind("dataset:", 0) == 0 ||
                                options->current.rfind("dataset:", 0) == 0 ||
                                (!options->model.empty() && !std::filesystem::exists(options->model));
    std::optional<store::Workspace> workspace;
    if (needsWorkspace) workspace.emplace(options->common.openWorkspace(true));

    pipeline::DriftCheckRequest request;
    request.reference = options->reference;
    request.current = options->current;
    request.model = options->model;
    request.target = options->target;
    request.options.columns = options->columns;
    request.options.exclude = options->exclude;
    request.options.driftShare = options->share;
    request.options.correction = drift::parseCorrection(options->correction);
    for (const std::string& item : options->tests) {
      const auto [column, test] = splitAssignment(item, "--test");
      request.options.tests[column] = test;
    }
    for (const std::string& item : options->thresholds) {
      const auto [column, value] = splitAssignment(item, "--threshold");
      try {
        request.options.thresholds[column] = std::stod(value);
      } catch (const std::exception&) {
        throw InputError("--threshold '" + item + "': '" + value + "' is not a number");
      }
    }
    const pipeline::DriftCheck check =
        pipeline::runDriftCheck(workspace ? &*workspace : nullptr, request, *progress);
    const drift::DriftReport& report = check.report;
    nlohmann::json json = drift::toJson(report);
    json["reference"] = check.referenceDescription;
    json["current"] = check.currentDescription;
    json["multivariate"] = check.multivariate ? drift::toJson(*check.multivariate)
                                              : nlohmann::json{{"error", check.multivariateProblem}};
    if (!check.modelDescription.empty()) {
      json["model"] = check.modelDescription;
      if (check.referenceAuc && check.currentAuc) {
        json["performance"] = {{"metric", "roc_auc"},
                               {"reference", *check.referenceAuc},
                               {"current", *check.currentAuc},
                               {"change", *check.currentAuc - *check.referenceAuc}};
      }
    }

    if (!options->output.empty()) {
      const std::filesystem::path path = options->output;
      if (path.extension() == ".json") {
        writeFileAtomic(path, json.dump(2) + "\n");
      } else if (path.extension() == ".html" || path.extension() == ".htm" || path.extension() == ".pdf") {
        report::DriftReportContext context;
        context.reference = check.referenceDescription;
        context.current = check.currentDescription;
        context.model = check.modelDescription;
        context.created = isoUtc(nowMillis());
        writeReport(report::driftReportHtml(report, context), path, context.title);
      } else {
        throw InputError("--output '" + options->output + "': use a .html, .pdf or .json file name");
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
      std::cout << "ROC AUC: " << formatNumber(*check.referenceAuc) << " on the reference, "
                << formatNumber(*check.currentAuc) << " now\n";
    }
    if (!options->output.empty()) std::cout << "Report written to " << options->output << "\n";
  });
}

}  // namespace geih::cli
