#include "core/pipeline/search_job.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/common/error.h"
#include "core/common/rng.h"
#include "core/common/sha256.h"
#include "core/ml/learner_registry.h"
#include "core/pipeline/git_info.h"

namespace geih::pipeline {
namespace {

constexpr std::size_t kMaxGrid = 1000;

std::string text(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  if (value.is_number_integer()) return std::to_string(value.get<long long>());
  return value.dump();
}

const ml::ParamSpec* findSpec(const std::vector<ml::ParamSpec>& schema, const std::string& name) {
  for (const ml::ParamSpec& spec : schema) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

void checkValue(const std::vector<ml::ParamSpec>& schema, const std::string& name,
                const std::string& value, const std::string& where) {
  const std::vector<std::string> problems = ml::validateParams(schema, {{name, value}});
  if (!problems.empty()) throw InputError("search space." + where + ": " + problems.front());
}

}  // namespace

SearchSpec parseSearchSpec(const nlohmann::json& document, const std::string& model) {
  if (!document.is_object()) throw InputError("search file: must be a JSON object");
  SearchSpec spec;
  const std::vector<ml::ParamSpec> schema = ml::makeLearner(model)->paramsSchema();
  spec.method = document.value("method", std::string("random"));
  if (spec.method != "grid" && spec.method != "random") {
    throw InputError("search method: '" + spec.method + "' (known: grid, random)");
  }
  if (document.contains("trials")) {
    if (!document["trials"].is_number_integer() || document["trials"].get<int>() < 1 ||
        document["trials"].get<int>() > 10000) {
      throw InputError("search trials: must be an integer in [1, 10000]");
    }
    spec.trials = document["trials"].get<int>();
  }
  if (document.contains("seed")) {
    if (!document["seed"].is_number_unsigned()) throw InputError("search seed: must be >= 0");
    spec.seed = document["seed"].get<std::uint64_t>();
  }
  spec.metric = document.value("metric", std::string("roc_auc"));
  const std::string direction = document.value("direction", std::string("maximize"));
  if (direction != "maximize" && direction != "minimize") {
    throw InputError("search direction: '" + direction + "' (known: maximize, minimize)");
  }
  spec.maximize = direction == "maximize";
  const auto space = document.find("space");
  if (space == document.end() || !space->is_object() || space->empty()) {
    throw InputError("search space: missing or empty (an object of parameter -> values)");
  }
  for (const auto& [name, values] : space->items()) {
    const ml::ParamSpec* param = findSpec(schema, name);
    if (!param) {
      std::string known;
      for (const ml::ParamSpec& s : schema) known += (known.empty() ? "" : ", ") + s.name;
      throw InputError("search space." + name + ": not a parameter of " + model + " (known: " +
                       known + ")");
    }
    if (values.is_array()) {
      if (values.empty()) throw InputError("search space." + name + ": the list is empty");
      for (const nlohmann::json& value : values) checkValue(schema, name, text(value), name);
    } else if (values.is_object()) {
      if (spec.method == "grid") {
        throw InputError("search space." + name + ": a grid search needs a list of values");
      }
      if (!values.contains("low") || !values.contains("high") || !values["low"].is_number() ||
          !values["high"].is_number()) {
        throw InputError("search space." + name + ": a range needs numbers low and high");
      }
      const double low = values["low"], high = values["high"];
      if (!(low <= high)) throw InputError("search space." + name + ": low > high");
      if (values.value("log", false) && !(low > 0)) {
        throw InputError("search space." + name + ": a log range needs low > 0");
      }
      checkValue(schema, name, text(values["low"]), name + ".low");
      checkValue(schema, name, text(values["high"]), name + ".high");
    } else {
      throw InputError("search space." + name + ": must be a list or {\"low\", \"high\"}");
    }
  }
  spec.space = *space;
  if (spec.method == "grid") {
    std::size_t combinations = 1;
    for (const auto& [name, values] : spec.space.items()) {
      combinations *= values.size();
      if (combinations > kMaxGrid) {
        throw InputError("search space: the grid has more than 1000 combinations");
      }
    }
  }
  return spec;
}

SearchSpec readSearchSpec(const std::string& path, const std::string& model) {
  std::ifstream file(path);
  if (!file) throw InputError("search file '" + path + "': cannot be read");
  std::stringstream buffer;
  buffer << file.rdbuf();
  try {
    return parseSearchSpec(nlohmann::json::parse(buffer.str()), model);
  } catch (const nlohmann::json::parse_error& error) {
    throw InputError("search file '" + path + "': not valid JSON: " + error.what());
  } catch (const InputError& error) {
    throw InputError("search file '" + path + "': " + error.what());
  }
}

std::vector<ml::ParamMap> searchTrials(const SearchSpec& spec) {
  std::vector<ml::ParamMap> trials;
  if (spec.method == "grid") {
    trials.emplace_back();
    for (const auto& [name, values] : spec.space.items()) {
      std::vector<ml::ParamMap> expanded;
      for (const ml::ParamMap& partial : trials) {
        for (const nlohmann::json& value : values) {
          ml::ParamMap next = partial;
          next[name] = text(value);
          expanded.push_back(std::move(next));
        }
      }
      trials = std::move(expanded);
    }
    return trials;
  }
  Rng rng(spec.seed);
  for (int t = 0; t < spec.trials; ++t) {
    ml::ParamMap params;
    for (const auto& [name, values] : spec.space.items()) {
      if (values.is_array()) {
        params[name] = text(values[std::size_t(rng.below(values.size()))]);
        continue;
      }
      const double low = values["low"], high = values["high"];
      const bool log = values.value("log", false);
      double value = log ? std::exp(rng.uniform(std::log(low), std::log(high)))
                         : rng.uniform(low, high);
      if (values.value("int", false)) {
        params[name] = std::to_string((long long)std::llround(value));
      } else {
        // Six significant digits: readable run names, and still a continuous draw.
        char buffer[32];
        std::snprintf(buffer, sizeof buffer, "%.6g", value);
        params[name] = buffer;
      }
    }
    trials.push_back(std::move(params));
  }
  return trials;
}

SearchResult runSearch(store::Workspace& workspace, const TrainRequest& request,
                       const SearchSpec& spec, Progress& progress) {
  const std::vector<ml::ParamMap> trials = searchTrials(spec);
  // Every trial's params must make a learner before anything is written.
  for (const ml::ParamMap& trial : trials) {
    ml::ParamMap params = request.params;
    for (const auto& [key, value] : trial) params[key] = value;
    (void)ml::makeLearner(request.model, params);
  }
  for (const std::string& file : {request.dataFile, request.trainFile, request.testFile}) {
    if (!file.empty() && file.rfind("dataset:", 0) != 0 && !std::filesystem::exists(file)) {
      throw InputError("data file '" + file + "' does not exist");
    }
  }

  store::NewRun parentRun;
  parentRun.name = request.runName.empty() ? request.model + " " + spec.method + " search"
                                           : request.runName;
  parentRun.seed = request.seed;
  parentRun.gitCommit = gitCommitOf(request.gitSearchFrom);
  parentRun.configHash = sha256Hex(spec.space.dump());
  const std::string parentId =
      workspace.createRun(workspace.experimentIdByName(request.experiment, true), parentRun);
  SearchResult result;
  try {
    workspace.setTag(parentId, "geih.search.method", spec.method);
    workspace.setTag(parentId, "geih.search.metric", spec.metric);
    for (std::size_t t = 0; t < trials.size(); ++t) {
      progress.checkCancelled();
      TrainRequest trial = request;
      for (const auto& [key, value] : trials[t]) trial.params[key] = value;
      trial.parentRunId = parentId;
      if (!trial.cv) {
        ml::CvSpec cv;
        cv.kind = ml::CvKind::Auto;
        cv.folds = 3;
        cv.seed = request.seed;
        trial.cv = cv;
      }
      trial.runName = "trial " + std::to_string(t + 1);
      for (const auto& [key, value] : trials[t]) trial.runName += " " + key + "=" + value;
      ProgressSlice slice(progress, 0.9 * double(t) / double(trials.size()),
                          0.9 * double(t + 1) / double(trials.size()));
      result.trials.push_back(runTraining(workspace, trial, slice));
    }
    // The best trial by its cross-validated metric.
    const std::string key = "cv_" + spec.metric + "_mean";
    bool found = false;
    for (std::size_t t = 0; t < result.trials.size(); ++t) {
      for (const auto& [name, value] : result.trials[t].cvMetrics) {
        if (name != key || std::isnan(value)) continue;
        if (!found || (spec.maximize ? value > result.bestScore : value < result.bestScore)) {
          found = true;
          result.best = t;
          result.bestScore = value;
        }
      }
    }
    if (!found) {
      throw InputError("search metric '" + spec.metric + "' was not measured by the trials (" +
                       "binary: roc_auc, average_precision, log_loss, f1, ...; regression: r2, "
                       "rmse, mae, mape)");
    }
    workspace.setTag(parentId, "geih.best_trial", result.trials[result.best].runId);
    TrainRequest refit = request;
    for (const auto& [key, value] : trials[result.best]) refit.params[key] = value;
    refit.existingRunId = parentId;
    refit.cv.reset();
    ProgressSlice slice(progress, 0.9, 1.0);
    result.parent = runTraining(workspace, refit, slice);
    workspace.logMetrics(parentId, {{"best_cv_" + spec.metric, result.bestScore},
                                    {"search_trials", double(trials.size())}});
  } catch (const Cancelled&) {
    workspace.finishRun(parentId, store::RunStatus::Killed);
    throw;
  } catch (...) {
    workspace.finishRun(parentId, store::RunStatus::Failed);
    throw;
  }
  return result;
}

}  // namespace geih::pipeline
