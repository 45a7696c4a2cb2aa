#include "core/ml/learner_registry.h"

#include "core/common/atomic_file.h"
#include "core/common/error.h"
#include "core/ml/gbdt.h"
#include "core/ml/linear_model.h"
#include "core/ml/logistic_regression.h"
#include "core/ml/random_forest.h"
#include "core/ml/tree_ensemble_model.h"

namespace geih::ml {
namespace {

std::string knownKinds() {
  std::string names;
  for (const std::string& kind : learnerKinds()) names += (names.empty() ? "" : ", ") + kind;
  return names;
}

std::string prefixed(const std::string& source, const std::string& message) {
  return source.empty() ? message : source + ": " + message;
}

}  // namespace

std::vector<std::string> learnerKinds() { return {"logistic", "linear", "tree", "forest", "gbdt"}; }

std::unique_ptr<Learner> makeLearner(const std::string& kind, const ParamMap& params) {
  if (kind == "logistic") return std::make_unique<LogisticRegressionLearner>(params);
  if (kind == "linear") return std::make_unique<LinearRegressionLearner>(params);
  if (kind == "tree") return std::make_unique<DecisionTreeLearner>(params);
  if (kind == "forest") return std::make_unique<RandomForestLearner>(params);
  if (kind == "gbdt") return std::make_unique<GbdtLearner>(params);
  throw InputError("unknown model kind '" + kind + "' (known: " + knownKinds() + ")");
}

std::unique_ptr<Model> loadModel(const nlohmann::json& document, const std::string& source) {
  try {
    checkModelFormat(document);
    const auto kind = document.find("kind");
    if (kind == document.end()) throw Corrupt("model JSON: kind: missing");
    if (!kind->is_string()) throw Corrupt("model JSON: kind: must be a string");
    const std::string name = kind->get<std::string>();
    if (name == "logistic") return LogisticRegressionModel::fromJson(document);
    if (name == "linear") return LinearRegressionModel::fromJson(document);
    if (name == "tree") return TreeEnsembleModel::fromJson(document, name, DecisionTreeLearner::schema());
    if (name == "forest") return TreeEnsembleModel::fromJson(document, name, RandomForestLearner::schema());
    if (name == "gbdt") return TreeEnsembleModel::fromJson(document, name, GbdtLearner::schema());
    throw Corrupt("model JSON: kind: unknown model kind '" + name + "' (known: " + knownKinds() +
                  ")");
  } catch (const Corrupt& error) {
    if (source.empty()) throw;
    throw Corrupt(prefixed(source, error.what()));
  }
}

std::unique_ptr<Model> loadModelText(const std::string& text, const std::string& source) {
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& error) {
    // error.what() names the position, e.g. "parse error at line 3, column 7: ...".
    throw Corrupt(prefixed(source.empty() ? "model JSON" : source,
                           std::string("not valid JSON: ") + error.what() + " (byte " +
                               std::to_string(error.byte) + ")"));
  }
  return loadModel(document, source);
}

std::unique_ptr<Model> loadModelFile(const std::filesystem::path& path) {
  return loadModelText(readFile(path), path.string());
}

}  // namespace geih::ml
