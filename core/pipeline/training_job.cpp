#include "core/pipeline/training_job.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

#include "core/common/error.h"
#include "core/common/rng.h"
#include "core/common/sha256.h"
#include "core/common/time_util.h"
#include "core/eval/binary_metrics.h"
#include "core/eval/curves.h"
#include "core/ml/learner_registry.h"
#include "core/pipeline/cross_validation.h"
#include "core/pipeline/data_source.h"
#include "core/pipeline/git_info.h"
#include "core/pipeline/training_evaluation.h"
#include "core/table/split.h"

namespace geih::pipeline {
namespace {

// Throws InputError unless every present value is 0 or 1 and none is missing, naming the row.
void checkBinaryTarget(const table::Table& data, const std::string& target,
                       const std::string& source) {
  const table::Column& column = data.column(target);
  if (column.type() == table::ColumnType::Categorical) {
    throw InputError("target column '" + target + "' in '" + source +
                     "' is text (categorical); a binary target must be 0/1 or true/false");
  }
  for (std::size_t row = 0; row < column.size(); ++row) {
    const double value = column.numberAt(row);
    if (std::isnan(value)) {
      throw InputError("target column '" + target + "' in '" + source + "' is missing at data row " +
                       std::to_string(row + 1) + " (line " + std::to_string(row + 2) + ")");
    }
    if (value != 0.0 && value != 1.0) {
      std::ostringstream text;
      text << "target column '" << target << "' in '" << source << "' must be 0/1, found " << value
           << " at data row " << row + 1 << " (line " << row + 2 << ")";
      throw InputError(text.str());
    }
  }
}

// Throws InputError unless every value is a number and none is missing, naming the row.
void checkNumericTarget(const table::Table& data, const std::string& target,
                        const std::string& source) {
  const table::Column& column = data.column(target);
  if (column.type() == table::ColumnType::Categorical) {
    throw InputError("target column '" + target + "' in '" + source +
                     "' is text (categorical); a regression target must be numeric");
  }
  for (std::size_t row = 0; row < column.size(); ++row) {
    if (std::isnan(column.numberAt(row))) {
      throw InputError("target column '" + target + "' in '" + source +
                       "' is missing at data row " + std::to_string(row + 1) + " (line " +
                       std::to_string(row + 2) + ")");
    }
  }
}

// "binary" when every present value is 0 or 1 (numeric or boolean), else "regression" for a
// numeric column; a text column is refused.
ml::Task resolveTask(const std::string& task, const table::Table& data, const std::string& target,
                     const std::string& source) {
  if (task == "binary") return ml::Task::BinaryClassification;
  if (task == "regression") return ml::Task::Regression;
  if (task != "auto") {
    throw InputError("unknown task '" + task + "' (known: auto, binary, regression)");
  }
  const table::Column& column = data.column(target);
  if (column.type() == table::ColumnType::Categorical) {
    throw InputError("target column '" + target + "' in '" + source +
                     "' is text (categorical); give a 0/1 target for binary classification or a "
                     "numeric one for regression");
  }
  for (std::size_t row = 0; row < column.size(); ++row) {
    const double value = column.numberAt(row);
    if (!std::isnan(value) && value != 0.0 && value != 1.0) return ml::Task::Regression;
  }
  return ml::Task::BinaryClassification;
}

table::SplitIndices randomSplit(std::size_t n, double testFraction, std::uint64_t seed) {
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = i;
  Rng rng(seed);
  rng.shuffle(order);
  const auto test = std::max<std::size_t>(1, std::size_t(std::round(testFraction * double(n))));
  table::SplitIndices split;
  split.test.assign(order.begin(), order.begin() + std::ptrdiff_t(std::min(test, n - 1)));
  split.train.assign(order.begin() + std::ptrdiff_t(std::min(test, n - 1)), order.end());
  std::sort(split.train.begin(), split.train.end());
  std::sort(split.test.begin(), split.test.end());
  return split;
}

std::vector<std::string> chooseFeatures(const TrainRequest& request, const table::Table& data,
                                        const std::string& source) {
  std::vector<std::string> features = request.features;
  if (features.empty()) {
    const std::set<std::string> excluded(request.exclude.begin(), request.exclude.end());
    for (const std::string& name : data.columnNames()) {
      if (name != request.target && !excluded.count(name)) features.push_back(name);
    }
  }
  if (features.empty()) throw InputError("no feature columns left in '" + source + "'");
  for (const std::string& name : request.exclude) {
    if (!data.hasColumn(name)) (void)data.column(name);  // throws NotFound listing the columns
  }
  for (const std::string& name : features) {
    if (name == request.target) {
      throw InputError("the target '" + name + "' cannot also be a feature");
    }
    if (!data.hasColumn(name)) {
      throw InputError("feature column '" + name + "' not found in '" + source + "'");
    }
  }
  return features;
}

std::vector<double> labelsOf(const table::Table& data, const std::string& target) {
  const table::Column& column = data.column(target);
  std::vector<double> labels(column.size());
  for (std::size_t row = 0; row < labels.size(); ++row) labels[row] = column.numberAt(row);
  return labels;
}

std::string defaultRunName(const std::string& model, const ml::ParamMap& given) {
  std::string name = model;
  for (const auto& [key, value] : given) name += " " + key + "=" + value;
  return name;
}

}  // namespace

TrainResult runTraining(store::Workspace& workspace, const TrainRequest& request,
                        Progress& progress) {
  // ---- validate everything before the run exists
  if (request.target.empty()) throw InputError("no target column given (--target)");
  const bool split = !request.dataFile.empty();
  if (split == (!request.trainFile.empty() || !request.testFile.empty())) {
    throw InputError("give either a data file to split, or both a train and a test file");
  }
  if (!split && (request.trainFile.empty() || request.testFile.empty())) {
    throw InputError("a train file needs a test file, and a test file a train file");
  }
  if (split && !(request.testFraction > 0.0 && request.testFraction < 1.0)) {
    throw InputError("test fraction must be between 0 and 1, got " +
                     std::to_string(request.testFraction));
  }
  std::unique_ptr<ml::Learner> learner = ml::makeLearner(request.model, request.params);

  progress.report(0.0, "reading data");
  std::vector<LoadedData> inputs;
  if (split) {
    ProgressSlice reading(progress, 0.0, 0.1);
    inputs.push_back(loadData(workspace, request.dataFile, reading));
  } else {
    ProgressSlice readingTrain(progress, 0.0, 0.05);
    inputs.push_back(loadData(workspace, request.trainFile, readingTrain));
    ProgressSlice readingTest(progress, 0.05, 0.1);
    inputs.push_back(loadData(workspace, request.testFile, readingTest));
  }
  for (const LoadedData& input : inputs) {
    if (!input.table.hasColumn(request.target)) {
      throw InputError("target column '" + request.target + "' not found in '" + input.argument +
                       "' (columns: " + [&] {
                         std::string all;
                         for (const auto& n : input.table.columnNames()) all += (all.empty() ? "" : ", ") + n;
                         return all;
                       }() + ")");
    }
  }
  const ml::Task task =
      resolveTask(request.task, inputs.front().table, request.target, inputs.front().argument);
  if (!learner->supports(task)) {
    throw InputError("model '" + request.model + "' does not do " + ml::taskName(task) +
                     (task == ml::Task::Regression
                          ? " (the target '" + request.target +
                                "' is not 0/1; use --model linear|tree|forest|gbdt, or --task "
                                "binary if it is a class)"
                          : std::string()));
  }
  for (const LoadedData& input : inputs) {
    if (task == ml::Task::BinaryClassification) {
      checkBinaryTarget(input.table, request.target, input.argument);
    } else {
      checkNumericTarget(input.table, request.target, input.argument);
    }
  }
  // Derived features (lags, rolling means, seasonality, interactions) on copies: the datasets are
  // registered as the files are.
  std::vector<table::Table> derivedTables;
  for (const LoadedData& input : inputs) {
    if (request.derived.empty()) break;
    try {
      derivedTables.push_back(request.derived.apply(input.table));
    } catch (const InputError& error) {
      throw InputError("'" + input.argument + "': " + error.what());
    }
  }
  auto source = [&](std::size_t i) -> const table::Table& {
    return request.derived.empty() ? inputs[i].table : derivedTables[i];
  };
  TrainRequest choosing = request;
  if (choosing.features.empty()) {
    // Order, group and text date columns steer the derivation; they are not features themselves.
    for (const std::string& name : {request.derived.orderBy, request.derived.groupBy,
                                    request.derived.seasonalityFrom}) {
      if (!name.empty() && source(0).hasColumn(name) &&
          (name != request.derived.seasonalityFrom ||
           source(0).column(name).type() == table::ColumnType::Categorical)) {
        choosing.exclude.push_back(name);
      }
    }
  }
  const std::vector<std::string> features =
      chooseFeatures(choosing, source(0), inputs.front().argument);
  if (!split) {
    for (const std::string& name : features) {
      if (!source(1).hasColumn(name)) {
        throw InputError("feature column '" + name + "' not found in '" + inputs.back().argument +
                         "' (it is in the training file)");
      }
    }
  }
  progress.checkCancelled();

  table::Table trainTable, testTable;
  if (split) {
    const table::Table& all = source(0);
    const table::SplitIndices indices =
        task == ml::Task::BinaryClassification
            ? table::stratifiedSplit(all.column(request.target), request.testFraction, request.seed)
            : randomSplit(all.rowCount(), request.testFraction, request.seed);
    trainTable = all.selectRows(indices.train);
    testTable = all.selectRows(indices.test);
  } else {
    trainTable = source(0);
    testTable = source(1);
  }
  const std::vector<double> testLabels = labelsOf(testTable, request.target);
  const std::vector<double> trainLabels = labelsOf(trainTable, request.target);
  auto hasBoth = [](const std::vector<double>& labels) {
    bool zero = false, one = false;
    for (double v : labels) (v == 1.0 ? one : zero) = true;
    return zero && one;
  };
  if (task == ml::Task::BinaryClassification) {
    if (!hasBoth(trainLabels)) {
      throw InputError("the training rows hold only one class of '" + request.target + "'");
    }
    if (!hasBoth(testLabels)) {
      throw InputError("the test rows hold only one class of '" + request.target + "'");
    }
  } else if (std::all_of(trainLabels.begin(), trainLabels.end(),
                         [&](double v) { return v == trainLabels.front(); })) {
    throw InputError("target column '" + request.target + "' is constant in the training rows (" +
                     std::to_string(trainLabels.front()) + "); there is nothing to learn");
  }

  // Cross-validation settings are checked on the training rows before the run exists.
  if (request.cv) (void)ml::makeFolds(trainTable, request.target, *request.cv);

  // ---- register inputs and create the run
  progress.report(0.1, "registering datasets");
  std::vector<std::pair<store::DatasetRecord, std::string>> datasets;
  if (split) {
    datasets.emplace_back(registerLoaded(workspace, inputs[0], request.datasetName), "data");
  } else {
    datasets.emplace_back(registerLoaded(workspace, inputs[0], request.datasetName), "train");
    datasets.emplace_back(registerLoaded(workspace, inputs[1], {}), "test");
  }

  const std::int64_t experimentId = workspace.experimentIdByName(request.experiment, true);
  store::NewRun newRun;
  newRun.name = request.runName.empty() ? defaultRunName(request.model, request.params) : request.runName;
  newRun.seed = request.seed;
  newRun.gitCommit = gitCommitOf(request.gitSearchFrom);
  nlohmann::json config = {{"model", request.model}, {"params", learner->params()},
                           {"target", request.target}, {"features", features},
                           {"test_fraction", split ? request.testFraction : 0.0},
                           {"seed", request.seed}, {"task", ml::taskName(task)}};
  if (request.cv) {
    config["cv"] = {{"kind", ml::cvKindName(request.cv->kind)}, {"folds", request.cv->folds}};
  }
  for (const auto& [dataset, role] : datasets) config["datasets"][role] = dataset.sha256;
  if (!request.derived.empty()) config["derived_features"] = request.derived.toJson();
  newRun.configHash = sha256Hex(config.dump());
  newRun.parentRunId = request.parentRunId;
  const std::string runId = request.existingRunId.empty() ? workspace.createRun(experimentId, newRun)
                                                          : request.existingRunId;

  TrainResult result;
  result.runId = runId;
  result.runName = newRun.name;
  result.experiment = request.experiment;
  result.task = ml::taskName(task);
  result.trainRows = trainTable.rowCount();
  result.testRows = testTable.rowCount();
  for (const LoadedData& input : inputs) {
    result.warnings.insert(result.warnings.end(), input.warnings.begin(), input.warnings.end());
  }

  try {
    for (const auto& [dataset, role] : datasets) workspace.linkDataset(runId, dataset.id, role);
    std::map<std::string, std::string> params = learner->params();
    params["model"] = request.model;
    params["target"] = request.target;
    params["n_features"] = std::to_string(features.size());
    params["seed"] = std::to_string(request.seed);
    params["task"] = ml::taskName(task);
    if (task == ml::Task::BinaryClassification) {
      params["threshold"] = nlohmann::json(request.threshold).dump();
    }
    if (request.cv) {
      ml::CvKind kind = request.cv->kind;
      if (kind == ml::CvKind::Auto) {
        kind = task == ml::Task::BinaryClassification ? ml::CvKind::Stratified : ml::CvKind::KFold;
      }
      params["cv"] = std::string(ml::cvKindName(kind)) + ":" + std::to_string(request.cv->folds);
    }
    if (split) params["test_fraction"] = nlohmann::json(request.testFraction).dump();
    workspace.logParams(runId, params);
    workspace.setTag(runId, "geih.model.kind", request.model);
    for (const auto& [key, value] : request.tags) workspace.setTag(runId, key, value);

    ml::TrainingData training{&trainTable, request.target, features, task, request.threads};
    double fitFrom = 0.15;
    if (request.cv) {
      ProgressSlice validating(progress, 0.15, 0.5);
      result.cvMetrics = runCrossValidation(workspace, runId, *learner, training, *request.cv,
                                            request.threshold, validating);
      fitFrom = 0.5;
    }
    ProgressSlice fitting(progress, fitFrom, 0.8);
    fitting.report(0.0, "training " + request.model);
    std::unique_ptr<ml::Model> model = learner->fit(training, fitting);

    progress.report(0.8, "evaluating");
    ProgressSlice evaluating(progress, 0.8, 0.95);
    result.metrics = logEvaluation(workspace, runId, *model, trainTable, trainLabels, testTable,
                                   testLabels, request.threshold, request.seed, evaluating);
    workspace.logMetrics(runId, {{"train_rows", double(result.trainRows)},
                                 {"test_rows", double(result.testRows)}});

    progress.report(0.95, "saving model");
    for (const std::string& message : model->pipeline().unseenCategories(testTable)) {
      result.warnings.push_back({inputs.back().argument, 0, 0, {}, "test rows: " + message});
    }
    model->setDerivedFeatures(request.derived);
    model->trainingInfo() = {datasets.front().first.sha256, runId, trainTable.rowCount(),
                             isoUtc(nowMillis())};
    // Small models (linear) are stored indented for reading; tree ensembles compact.
    const nlohmann::json document = model->toJson();
    std::string text = document.dump();
    if (text.size() < 64 * 1024) text = document.dump(2);
    const store::ArtifactRecord artifact =
        workspace.logArtifact(runId, "model.json", text, "application/json");
    result.modelSha256 = artifact.sha256;
    workspace.finishRun(runId, store::RunStatus::Finished);
  } catch (const Cancelled&) {
    workspace.finishRun(runId, store::RunStatus::Killed);
    throw;
  } catch (...) {
    workspace.finishRun(runId, store::RunStatus::Failed);
    throw;
  }
  progress.report(1.0, "done");
  return result;
}

}  // namespace geih::pipeline
