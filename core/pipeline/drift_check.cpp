#include "core/pipeline/drift_check.h"

#include <chrono>

#include <nlohmann/json.hpp>

#include "core/common/error.h"
#include "core/common/sha256.h"
#include "core/drift/psi.h"
#include "core/eval/binary_metrics.h"
#include "core/pipeline/data_source.h"
#include "core/pipeline/model_source.h"
#include "core/store/monitoring_log.h"
#include "core/table/csv_reader.h"

namespace geih::pipeline {

namespace {

struct Side {
  table::Table table;
  std::string description;
  std::string sha256;
};

Side loadSide(store::Workspace* workspace, const std::string& argument, Progress& progress) {
  Side side;
  if (workspace) {
    LoadedData data = loadData(*workspace, argument, progress);
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

nlohmann::json numericFeaturePsi(const table::Table& reference, const table::Table& current,
                                 const drift::DriftReport& report) {
  nlohmann::json out = nlohmann::json::object();
  const auto present = [](const table::Column& column) {
    std::vector<double> values;
    for (std::size_t row = 0; row < column.size(); ++row) {
      if (!column.isMissing(row)) values.push_back(column.numberAt(row));
    }
    return values;
  };
  for (const drift::ColumnDrift& column : report.columns) {
    if (column.type != "numeric" || !reference.hasColumn(column.name) || !current.hasColumn(column.name)) continue;
    const std::vector<double> a = present(reference.column(column.name));
    const std::vector<double> b = present(current.column(column.name));
    if (a.empty() || b.empty()) continue;
    out[column.name] = drift::populationStabilityIndex(a, b).psi;
  }
  return out;
}

DriftCheck runDriftCheck(store::Workspace* workspace, const DriftCheckRequest& request,
                         Progress& progress) {
  const auto started = std::chrono::steady_clock::now();
  Side reference = loadSide(workspace, request.reference, progress);
  Side current = loadSide(workspace, request.current, progress);
  drift::DriftOptions options = request.options;
  if (!request.target.empty()) options.exclude.push_back(request.target);

  DriftCheck check;
  std::optional<LoadedModel> model;
  if (!request.model.empty()) {
    model = loadModelArgument(workspace, request.model);
    check.modelDescription = model->description;
    check.referenceAuc = addPredictions(*model->model, reference.table, request.target);
    check.currentAuc = addPredictions(*model->model, current.table, request.target);
    if (!options.columns.empty()) options.columns.push_back("prediction");
  }
  check.report = drift::computeDriftReport(reference.table, current.table, options, progress);
  try {
    std::vector<std::string> inputs;
    for (const std::string& name : reference.table.columnNames()) {
      if (name != "prediction" && name != request.target) inputs.push_back(name);
    }
    check.multivariate = drift::pcaReconstructionDrift(reference.table.selectColumns(inputs),
                                                       current.table, {});
  } catch (const InputError& error) {
    check.multivariateProblem = error.what();
  }
  check.referenceDescription = reference.description;
  check.currentDescription = current.description;
  check.referenceSha256 = reference.sha256;
  check.currentSha256 = current.sha256;

  if (model && !model->registeredName.empty() && workspace) {
    store::MonitoringEvent event;
    event.modelName = model->registeredName;
    event.modelVersion = *model->registeredVersion;
    event.kind = "drift";
    event.inputSha256 = current.sha256;
    event.rows = std::int64_t(check.report.currentRows);
    event.latencyMs =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    nlohmann::json summary = {{"share_drifted", check.report.shareDrifted},
                              {"dataset_drift", check.report.datasetDrift},
                              {"drifted_features", check.report.driftedCount},
                              {"reference_sha256", reference.sha256}};
    summary["feature_psi"] = numericFeaturePsi(reference.table, current.table, check.report);
    if (check.referenceAuc && check.currentAuc) {
      summary["performance"] = {{"metric", "roc_auc"},
                                {"reference", *check.referenceAuc},
                                {"current", *check.currentAuc}};
    }
    event.summaryJson = summary.dump();
    store::MonitoringLog(*workspace).log(event);
    check.logged = true;
  }
  return check;
}

}  // namespace geih::pipeline
