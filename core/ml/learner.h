// A learning algorithm: a params schema and fit(). Learners are created by name through
// learner_registry.h.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/common/progress.h"
#include "core/ml/model.h"
#include "core/ml/params.h"
#include "core/table/table.h"

namespace geih::ml {

struct TrainingData {
  const table::Table* table = nullptr;
  std::string target;                 // label column: 0/1 numeric or boolean for binary tasks
  std::vector<std::string> features;  // input columns; empty = every column but the target
  Task task = Task::BinaryClassification;
  int threads = 0;  // worker threads for fit(); 0 = every core. Results never depend on it.
};

class Learner {
 public:
  virtual ~Learner() = default;
  virtual std::string kind() const = 0;
  virtual std::vector<ParamSpec> paramsSchema() const = 0;
  // Whether fit() accepts data of this task (checked before a run is created).
  virtual bool supports(Task task) const { (void)task; return true; }
  // The resolved parameters this learner will use (defaults overlaid with the given ones).
  virtual const ParamMap& params() const = 0;
  // Throws InputError for unusable data (missing target, non-binary labels, one class only, a task
  // the learner does not do), Cancelled when progress is cancelled.
  virtual std::unique_ptr<Model> fit(const TrainingData& data, Progress& progress) const = 0;
};

}  // namespace geih::ml
