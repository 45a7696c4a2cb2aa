// What a model predicts.
#pragma once

#include <string>

namespace geih::ml {

enum class Task { BinaryClassification, Regression };

// "binary" | "regression"
const char* taskName(Task task);
// Throws InputError on an unknown name.
Task taskFromName(const std::string& name);

}  // namespace geih::ml
