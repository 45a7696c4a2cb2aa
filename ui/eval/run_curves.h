// What the curve charts draw for one run: its ROC and PR curves with their summary scores.
#pragma once

#include <limits>

#include <QString>

#include "core/eval/curves.h"

namespace geih::ui {

// AUC / AP are NaN when unknown (the charts then leave them out of the run's name).
struct RunCurves {
  QString runId;
  QString runName;
  eval::Curve roc;
  eval::Curve pr;
  double auc = std::numeric_limits<double>::quiet_NaN();
  double ap = std::numeric_limits<double>::quiet_NaN();
};

}  // namespace geih::ui
