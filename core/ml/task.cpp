#include "core/ml/task.h"

#include "core/common/error.h"

namespace geih::ml {

const char* taskName(Task task) {
  switch (task) {
    case Task::BinaryClassification:
      return "binary";
    case Task::Regression:
      return "regression";
  }
  return "binary";
}

Task taskFromName(const std::string& name) {
  if (name == "binary") return Task::BinaryClassification;
  if (name == "regression") return Task::Regression;
  throw InputError("unknown task '" + name + "' (known: binary, regression)");
}

}  // namespace geih::ml
