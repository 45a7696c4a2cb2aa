#include "core/pipeline/train_config.h"

#include <fstream>
#include <sstream>

#include "core/common/error.h"
#include "core/ml/learner_registry.h"

namespace geih::pipeline {
namespace {

std::string paramText(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  if (value.is_number_integer()) return std::to_string(value.get<long long>());
  return value.dump();
}

template <typename T>
void read(const nlohmann::json& object, const char* field, T& target, const std::string& where) {
  const auto it = object.find(field);
  if (it == object.end()) return;
  try {
    target = it->get<T>();
  } catch (const nlohmann::json::exception&) {
    throw InputError(where + field + ": has the wrong type");
  }
}

void readCv(const nlohmann::json& object, TrainRequest& request, const std::string& where) {
  std::string cv;
  read(object, "cv", cv, where);
  if (cv.empty()) return;
  ml::CvSpec spec = ml::parseCvSpec(cv);
  read(object, "time_column", spec.timeColumn, where);
  read(object, "x_column", spec.xColumn, where);
  read(object, "y_column", spec.yColumn, where);
  read(object, "block_size", spec.blockSize, where);
  spec.seed = request.seed;
  request.cv = spec;
}

}  // namespace

std::vector<ConfigEntry> parseTrainConfig(const nlohmann::json& document,
                                          const TrainRequest& defaults) {
  if (!document.is_object()) throw InputError("config: must be a JSON object");
  TrainRequest base = defaults;
  read(document, "experiment", base.experiment, "config.");
  read(document, "data", base.dataFile, "config.");
  read(document, "train", base.trainFile, "config.");
  read(document, "test", base.testFile, "config.");
  read(document, "target", base.target, "config.");
  read(document, "task", base.task, "config.");
  read(document, "features", base.features, "config.");
  read(document, "exclude", base.exclude, "config.");
  read(document, "test_fraction", base.testFraction, "config.");
  read(document, "seed", base.seed, "config.");
  read(document, "threshold", base.threshold, "config.");
  read(document, "dataset_name", base.datasetName, "config.");
  readCv(document, base, "config.");
  const auto models = document.find("models");
  if (models == document.end() || !models->is_array() || models->empty()) {
    throw InputError("config.models: missing or not a non-empty list");
  }
  std::vector<ConfigEntry> entries;
  for (std::size_t i = 0; i < models->size(); ++i) {
    const nlohmann::json& item = (*models)[i];
    const std::string where = "config.models[" + std::to_string(i) + "].";
    if (!item.is_object()) throw InputError(where.substr(0, where.size() - 1) + ": not an object");
    ConfigEntry entry;
    entry.request = base;
    entry.request.params.clear();
    entry.request.runName.clear();
    read(item, "model", entry.request.model, where);
    read(item, "name", entry.request.runName, where);
    readCv(item, entry.request, where);
    if (const auto params = item.find("params"); params != item.end()) {
      if (!params->is_object()) throw InputError(where + "params: must be an object");
      for (const auto& [key, value] : params->items()) {
        entry.request.params[key] = paramText(value);
      }
    }
    try {
      (void)ml::makeLearner(entry.request.model, entry.request.params);
      if (const auto search = item.find("search"); search != item.end()) {
        entry.search = parseSearchSpec(*search, entry.request.model);
      }
    } catch (const InputError& error) {
      throw InputError(where.substr(0, where.size() - 1) + ": " + error.what());
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

std::vector<ConfigEntry> readTrainConfig(const std::string& path, const TrainRequest& defaults) {
  std::ifstream file(path);
  if (!file) throw InputError("config file '" + path + "': cannot be read");
  std::stringstream buffer;
  buffer << file.rdbuf();
  try {
    return parseTrainConfig(nlohmann::json::parse(buffer.str()), defaults);
  } catch (const nlohmann::json::parse_error& error) {
    throw InputError("config file '" + path + "': not valid JSON: " + error.what());
  } catch (const InputError& error) {
    throw InputError("config file '" + path + "': " + error.what());
  }
}

}  // namespace geih::pipeline
