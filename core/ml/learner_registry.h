// The one explicit registry of learners and model kinds (no static self-registration).
// Adding a learner: implement Learner + Model, add one line to each function in the .cpp.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/ml/learner.h"

namespace geih::ml {

// Names accepted by makeLearner, e.g. {"logistic"}.
std::vector<std::string> learnerKinds();

// Throws InputError for an unknown kind (listing the known ones) or invalid params.
std::unique_ptr<Learner> makeLearner(const std::string& kind, const ParamMap& params = {});

// Validates the document (format, version, kind, task, features, body) and builds the model.
// Throws Corrupt naming the offending field (and `source`, e.g. a file path, when given).
std::unique_ptr<Model> loadModel(const nlohmann::json& document, const std::string& source = {});
std::unique_ptr<Model> loadModelText(const std::string& text, const std::string& source = {});
std::unique_ptr<Model> loadModelFile(const std::filesystem::path& path);

}  // namespace geih::ml
