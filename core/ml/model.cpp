#include "core/ml/model.h"

#include "core/common/error.h"

namespace geih::ml {
namespace {

[[noreturn]] void corrupt(const std::string& field, const std::string& problem) {
  throw Corrupt("model JSON: " + field + ": " + problem);
}

const nlohmann::json& field(const nlohmann::json& object, const char* name,
                            const std::string& path) {
  const auto it = object.find(name);
  if (it == object.end()) corrupt(path + name, "missing");
  return *it;
}

std::string stringField(const nlohmann::json& object, const char* name, const std::string& path) {
  const nlohmann::json& value = field(object, name, path);
  if (!value.is_string())
    corrupt(path + name, std::string("must be a string, is ") + value.type_name());
  return value.get<std::string>();
}

}  // namespace

void Model::predict(const table::Table& data, std::span<double> out) const {
  if (m_derived.empty()) {
    predictPrepared(data, out);
    return;
  }
  predictPrepared(m_derived.apply(data), out);
}

std::vector<double> Model::predict(const table::Table& data) const {
  std::vector<double> scores(data.rowCount());
  predict(data, scores);
  return scores;
}

nlohmann::json Model::toJson() const {
  nlohmann::json features = nlohmann::json::array();
  for (const FeatureSpec& spec : pipeline().inputs()) {
    features.push_back({{"name", spec.name}, {"type", table::columnTypeName(spec.type)}});
  }
  nlohmann::json params = nlohmann::json::object();
  for (const auto& [name, value] : this->params()) params[name] = value;
  nlohmann::json document = {{"format", kModelFormat},
                             {"version", kModelFormatVersion},
                             {"kind", kind()},
                             {"task", taskName(task())},
                             {"target", target()},
                             {"features", std::move(features)},
                             {"preprocessing", pipeline().toJson()},
                             {"params", std::move(params)},
                             {"body", bodyJson()},
                             {"training",
                              {{"dataset_sha256", m_training.datasetSha256},
                               {"run_id", m_training.runId},
                               {"rows", m_training.rows},
                               {"created", m_training.created}}}};
  if (!m_derived.empty()) document["derived_features"] = m_derived.toJson();
  return document;
}

void checkModelFormat(const nlohmann::json& document) {
  if (!document.is_object()) {
    throw Corrupt(std::string("model JSON: expected an object, got ") + document.type_name());
  }
  const std::string format = stringField(document, "format", "");
  if (format != kModelFormat) {
    corrupt("format", "'" + format + "' is not '" + kModelFormat + "'");
  }
  const nlohmann::json& version = field(document, "version", "");
  if (!version.is_number_integer()) corrupt("version", "must be an integer");
  if (version.get<long long>() != kModelFormatVersion) {
    corrupt("version", std::to_string(version.get<long long>()) +
                           " is not supported (this build reads version " +
                           std::to_string(kModelFormatVersion) + ")");
  }
}

ModelDocumentCommon readModelDocumentCommon(const nlohmann::json& document, const std::string& kind,
                                            Task task) {
  checkModelFormat(document);
  const std::string storedKind = stringField(document, "kind", "");
  if (storedKind != kind) corrupt("kind", "'" + storedKind + "', expected '" + kind + "'");
  const std::string storedTask = stringField(document, "task", "");
  if (storedTask != taskName(task)) {
    corrupt("task", "'" + storedTask + "', expected '" + taskName(task) + "'");
  }

  ModelDocumentCommon common;
  common.target = stringField(document, "target", "");
  if (common.target.empty()) corrupt("target", "is empty");
  try {
    common.pipeline = FeaturePipeline::fromJson(field(document, "preprocessing", ""));
  } catch (const Corrupt& error) {
    throw Corrupt(std::string("model JSON: ") + error.what());
  }

  const nlohmann::json& features = field(document, "features", "");
  if (!features.is_array()) corrupt("features", "must be an array");
  const std::vector<FeatureSpec>& inputs = common.pipeline.inputs();
  if (features.size() != inputs.size()) {
    corrupt("features", "has " + std::to_string(features.size()) + " entries, preprocessing has " +
                            std::to_string(inputs.size()) + " inputs");
  }
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const std::string path = "features[" + std::to_string(i) + "].";
    if (!features[i].is_object()) corrupt(path.substr(0, path.size() - 1), "must be an object");
    const std::string name = stringField(features[i], "name", path);
    const std::string type = stringField(features[i], "type", path);
    if (name != inputs[i].name || type != table::columnTypeName(inputs[i].type)) {
      corrupt(path.substr(0, path.size() - 1),
              "'" + name + "' (" + type + ") does not match preprocessing input '" +
                  inputs[i].name + "' (" + table::columnTypeName(inputs[i].type) + ")");
    }
  }

  const nlohmann::json& params = field(document, "params", "");
  if (!params.is_object()) corrupt("params", "must be an object");
  for (const auto& [name, value] : params.items()) {
    if (!value.is_string()) corrupt("params." + name, "must be a string");
    common.params[name] = value.get<std::string>();
  }

  if (const auto derived = document.find("derived_features"); derived != document.end()) {
    try {
      common.derived = DerivedFeatures::fromJson(*derived);
    } catch (const Corrupt& error) {
      throw Corrupt(std::string("model JSON: ") + error.what());
    }
  }
  const auto training = document.find("training");
  if (training != document.end()) {
    if (!training->is_object()) corrupt("training", "must be an object");
    common.training.datasetSha256 = stringField(*training, "dataset_sha256", "training.");
    common.training.runId = stringField(*training, "run_id", "training.");
    common.training.created = stringField(*training, "created", "training.");
    const nlohmann::json& rows = field(*training, "rows", "training.");
    if (!rows.is_number_unsigned() && !(rows.is_number_integer() && rows.get<long long>() >= 0)) {
      corrupt("training.rows", "must be a non-negative integer");
    }
    common.training.rows = rows.get<std::size_t>();
  }
  return common;
}

bool Model::acceptsDenseInput() const {
  if (!m_derived.empty()) return false;
  for (const FeatureSpec& input : pipeline().inputs()) {
    if (input.type == table::ColumnType::Categorical) return false;
  }
  return true;
}

void Model::predictDense(const double* raw, std::size_t rows, double* out, std::vector<double>& scratch) const {
  const FeaturePipeline& features = pipeline();
  scratch.resize(rows * features.outputCount());
  features.transformDense(raw, rows, scratch.data());
  predictTransformed(scratch.data(), rows, out);
}

}  // namespace geih::ml
