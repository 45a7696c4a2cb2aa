// geih train: fit a model on a CSV (split here) or on train/test files, track it as a run.
#include <cstdio>
#include <iostream>

#include "app/cli/cli_context.h"
#include "app/cli/commands.h"
#include "core/ml/learner_registry.h"
#include "core/pipeline/search_job.h"
#include "core/pipeline/train_config.h"
#include "core/pipeline/training_job.h"

namespace geih::cli {

namespace {

nlohmann::json resultJson(const pipeline::TrainResult& result) {
  nlohmann::json metrics = nlohmann::json::object(), cv = nlohmann::json::object();
  for (const auto& [key, value] : result.metrics) metrics[key] = value;
  for (const auto& [key, value] : result.cvMetrics) cv[key] = value;
  return {{"run_id", result.runId},       {"name", result.runName},
          {"experiment", result.experiment}, {"task", result.task},
          {"train_rows", result.trainRows}, {"test_rows", result.testRows},
          {"model_sha256", result.modelSha256}, {"metrics", metrics},
          {"cv_metrics", cv}};
}

// Several runs: a JSON array, or a table of their headline test metrics.
void printRunResults(const std::vector<pipeline::TrainResult>& results, OutputFormat format) {
  if (format == OutputFormat::Json) {
    nlohmann::json all = nlohmann::json::array();
    for (const auto& result : results) all.push_back(resultJson(result));
    printJson(all);
    return;
  }
  TextTable table{{"RUN", "NAME", "TASK", "METRIC", "VALUE", "CV MEAN"}, {}};
  for (const auto& result : results) {
    const std::string headline = result.task == "regression" ? "r2" : "roc_auc";
    std::string value = "-", cv = "-";
    for (const auto& [key, v] : result.metrics) {
      if (key == headline) value = formatNumber(v);
    }
    for (const auto& [key, v] : result.cvMetrics) {
      if (key == "cv_" + headline + "_mean") cv = formatNumber(v);
    }
    table.rows.push_back({result.runId.substr(0, 8), result.runName, result.task, headline, value, cv});
  }
  printTable(table, format);
}

}  // namespace

void addTrainCommand(CLI::App& app) {
  struct Options {
    CommonOptions common;
    pipeline::TrainRequest request;
    std::vector<std::string> params;
    std::string cv;
    std::string timeColumn, xColumn, yColumn;
    double blockSize = 0;
    std::string search;
    std::string config;
    std::vector<std::string> lags, rolling, interactions;
    bool listParams = false;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = app.add_subcommand("train", "Train a model and track the run");
  pipeline::TrainRequest& request = options->request;
  command->add_option("--data", request.dataFile,
                      "CSV to split into train/test (or dataset:NAME[@VERSION])");
  command->add_option("--train", request.trainFile, "Training CSV (with --test)");
  command->add_option("--test", request.testFile, "Test CSV (with --train)");
  command->add_option("--target,-t", request.target,
                      "Label column: 0/1 for binary, numeric for regression");
  command->add_option("--task", request.task, "auto | binary | regression")
      ->check(CLI::IsMember({"auto", "binary", "regression"}))
      ->capture_default_str();
  command->add_option("--model,-m", request.model, "Learner")
      ->check(CLI::IsMember(ml::learnerKinds()))
      ->capture_default_str();
  command->add_option("--param,-p", options->params, "Learner parameter KEY=VALUE (repeatable)");
  command->add_option("--features", request.features, "Feature columns (default: all but target)")
      ->delimiter(',');
  command->add_option("--exclude", request.exclude, "Columns to leave out")->delimiter(',');
  command->add_option("--test-fraction", request.testFraction, "Share of rows held out for test")
      ->capture_default_str();
  command->add_option("--seed", request.seed, "Seed for the split and the learner")
      ->capture_default_str();
  command->add_option("--threshold", request.threshold, "Decision threshold for the metrics")
      ->capture_default_str();
  command->add_option("--cv", options->cv,
                      "Cross-validate the training rows first: kfold|stratified|timeseries|"
                      "spatial[:K] (K folds, default 5)");
  command->add_option("--time-column", options->timeColumn, "Time column for --cv timeseries");
  command->add_option("--x-column", options->xColumn, "X coordinate column for --cv spatial");
  command->add_option("--y-column", options->yColumn, "Y coordinate column for --cv spatial");
  command->add_option("--block-size", options->blockSize,
                      "Block side for --cv spatial, in the x/y units (default: ~10 blocks a fold)");
  command->add_option("--threads", request.threads, "Worker threads (0 = every core)")
      ->capture_default_str();
  command->add_option("--order-by", request.derived.orderBy,
                      "Time column ordering the rows for --lag and --rolling (e.g. a date)");
  command->add_option("--group-by", request.derived.groupBy,
                      "Compute lags and rolling means within groups of this column (e.g. a cell)");
  command->add_option("--lag", options->lags, "Lagged copies COLUMN:K[,K...] (repeatable)");
  command->add_option("--rolling", options->rolling,
                      "Means of the K previous rows COLUMN:K[,K...] (repeatable)");
  command->add_option("--seasonality", request.derived.seasonalityFrom,
                      "Date column to derive day-of-year sin/cos, month and weekday from");
  command->add_option("--interaction", options->interactions,
                      "Product of two columns A*B (repeatable)");
  command->add_flag("--list-params", options->listParams,
                    "Print the model's parameters (type, default, range, help) and exit");
  command->add_option("--search", options->search,
                      "Hyper-parameter search file (JSON: method, trials, metric, direction, "
                      "space); one parent run, a child run per trial");
  command->add_option("--config", options->config,
                      "Experiment config (JSON): shared data/target/cv and a list of models");
  command->add_option("--experiment,-e", request.experiment, "Experiment name")
      ->capture_default_str();
  command->add_option("--name", request.runName, "Run name");
  command->add_option("--dataset-name", request.datasetName,
                      "Name to register the data under (default: the file name)");
  addCommonOptions(*command, options->common, true, "table|json");
  command->callback([options] {
    if (options->listParams) {
      const auto schema = ml::makeLearner(options->request.model)->paramsSchema();
      if (options->common.outputFormat() == OutputFormat::Json) {
        printJson(ml::toJson(schema));
        return;
      }
      auto compact = [](double value) {
        char text[32];
        std::snprintf(text, sizeof text, "%g", value);
        return std::string(text);
      };
      TextTable table{{"PARAMETER", "TYPE", "DEFAULT", "RANGE", "HELP"}, {}};
      for (const ml::ParamSpec& spec : schema) {
        std::string range;
        if (!spec.choices.empty()) {
          for (const std::string& choice : spec.choices) range += (range.empty() ? "" : "|") + choice;
        } else if (spec.min || spec.max) {
          range = std::string(spec.minExclusive ? "(" : "[") +
                  (spec.min ? compact(*spec.min) : "-inf") + ", " +
                  (spec.max ? compact(*spec.max) : "inf") + (spec.maxExclusive ? ")" : "]");
        }
        const char* types[] = {"double", "int", "bool", "choice"};
        table.rows.push_back(
            {spec.name, types[int(spec.type)], spec.defaultValue, range, spec.help});
      }
      printTable(table, options->common.outputFormat());
      return;
    }
    for (const std::string& assignment : options->params) {
      options->request.params.insert(ml::parseParamAssignment(assignment));
    }
    for (const std::string& text : options->lags) {
      for (const auto& lag : ml::parseColumnCounts(text)) options->request.derived.lags.push_back(lag);
    }
    for (const std::string& text : options->rolling) {
      for (const auto& window : ml::parseColumnCounts(text)) {
        options->request.derived.rollingMeans.push_back(window);
      }
    }
    for (const std::string& text : options->interactions) {
      options->request.derived.interactions.push_back(ml::parseInteraction(text));
    }
    if (!options->cv.empty()) {
      ml::CvSpec spec = ml::parseCvSpec(options->cv);
      spec.timeColumn = options->timeColumn;
      spec.xColumn = options->xColumn;
      spec.yColumn = options->yColumn;
      spec.blockSize = options->blockSize;
      spec.seed = options->request.seed;
      options->request.cv = spec;
    }
    store::Workspace workspace = options->common.openWorkspace(false);
    auto progress = makeStderrProgress(options->common.quiet);
    if (!options->config.empty()) {
      const std::vector<pipeline::ConfigEntry> entries =
          pipeline::readTrainConfig(options->config, options->request);
      std::vector<pipeline::TrainResult> results;
      for (std::size_t i = 0; i < entries.size(); ++i) {
        ProgressSlice slice(*progress, double(i) / double(entries.size()),
                            double(i + 1) / double(entries.size()));
        results.push_back(entries[i].search
                              ? pipeline::runSearch(workspace, entries[i].request,
                                                    *entries[i].search, slice)
                                    .parent
                              : pipeline::runTraining(workspace, entries[i].request, slice));
      }
      progress.reset();
      printRunResults(results, options->common.outputFormat());
      return;
    }
    if (!options->search.empty()) {
      const pipeline::SearchSpec spec =
          pipeline::readSearchSpec(options->search, options->request.model);
      const pipeline::SearchResult search =
          pipeline::runSearch(workspace, options->request, spec, *progress);
      progress.reset();
      std::vector<pipeline::TrainResult> rows = search.trials;
      rows.insert(rows.begin(), search.parent);
      if (options->common.outputFormat() != OutputFormat::Json) {
        std::cout << "Search " << search.parent.runId << ": best of " << search.trials.size()
                  << " trials is " << search.trials[search.best].runName << " (cv_" << spec.metric
                  << "_mean " << formatNumber(search.bestScore) << "), refitted into the parent\n";
      }
      printRunResults(rows, options->common.outputFormat());
      return;
    }
    const pipeline::TrainResult result =
        pipeline::runTraining(workspace, options->request, *progress);
    progress.reset();
    printWarnings(result.warnings);
    if (options->common.outputFormat() == OutputFormat::Json) {
      printJson(resultJson(result));
      return;
    }
    std::cout << "Run " << result.runId << " (" << result.runName << ") in experiment '"
              << result.experiment << "': " << result.trainRows << " train rows, "
              << result.testRows << " test rows\n";
    TextTable table{{"METRIC", "VALUE"}, {}};
    for (const auto& [key, value] : result.metrics) table.rows.push_back({key, formatNumber(value)});
    for (const auto& [key, value] : result.cvMetrics) table.rows.push_back({key, formatNumber(value)});
    printTable(table, OutputFormat::Table);
  });
}

}  // namespace geih::cli
