// What every learner checks before fitting: the target column and its labels for the task, and
// the feature list (empty = every column but the target).
#pragma once

#include <string>
#include <vector>

#include "core/ml/learner.h"

namespace geih::ml {

// Binary: 0/1 (numeric or boolean), no missing value, both classes present. Regression: numeric,
// finite, not constant. Throws InputError naming the column, and the row and value when one is
// at fault.
std::vector<double> trainingLabels(const TrainingData& data);

// The feature columns; throws InputError when the target is among them or one is absent.
std::vector<std::string> trainingFeatures(const TrainingData& data);

}  // namespace geih::ml
