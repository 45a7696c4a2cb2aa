// Cross-validation inside a training run: the learner is fitted once per fold on the fold's
// training rows and scored on its test rows; every fold's metrics are logged as a step of
// "cv_<metric>" (step = fold index, 0-based) and the run holds "cv_<metric>_mean" and
// "cv_<metric>_std" (population standard deviation).
#pragma once

#include <string>
#include <vector>

#include "core/common/progress.h"
#include "core/ml/cv_split.h"
#include "core/ml/learner.h"
#include "core/pipeline/training_evaluation.h"
#include "core/store/workspace.h"

namespace geih::pipeline {

// Returns the mean and std metrics it logged. Throws what fitting throws (e.g. a fold whose
// training rows hold one class), Cancelled when progress is cancelled.
NamedMetrics runCrossValidation(store::Workspace& workspace, const std::string& runId,
                                const ml::Learner& learner, const ml::TrainingData& training,
                                const ml::CvSpec& spec, double threshold, Progress& progress);

}  // namespace geih::pipeline
