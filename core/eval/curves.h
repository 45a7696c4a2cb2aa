// ROC and precision-recall curves as point lists (stored as data in the workspace, drawn by the UI).
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace geih::eval {

struct CurvePoint {
  double x = 0;
  double y = 0;
  double threshold = 0;  // score at which this point is reached (+inf for the ROC origin)
};

struct Curve {
  std::string kind;    // "roc" | "pr"
  std::string xLabel;  // "false_positive_rate" | "recall"
  std::string yLabel;  // "true_positive_rate" | "precision"
  std::vector<CurvePoint> points;
};

// One point per distinct score, descending thresholds, starting at (0,0) with threshold +inf,
// ending at (1,1). Same points as scikit-learn's roc_curve(drop_intermediate=False).
// Validation as rocAuc (InputError on mismatched/empty spans, NaN, or one class only).
Curve rocCurve(std::span<const double> labels, std::span<const double> scores);
// One point per distinct score, as scikit-learn's precision_recall_curve but ordered by increasing
// threshold reversed: recall ascending from the highest threshold, starting at (0, 1) with
// threshold +inf. Throws InputError when there is no positive label.
Curve prCurve(std::span<const double> labels, std::span<const double> scores);

// Keeps at most `maxPoints` points (always the first and last), choosing points evenly spaced
// along the curve's length so the drawn shape is preserved. Used before storing large curves.
// Throws InputError when maxPoints < 2.
Curve downsample(const Curve& curve, std::size_t maxPoints);

// {"kind", "x_label", "y_label", "x": [...], "y": [...], "threshold": [...]}. JSON has no
// infinity: a threshold of +inf is written as null, -inf as the string "-inf".
nlohmann::json toJson(const Curve& curve);
// Throws Corrupt naming the missing or ill-typed field.
Curve curveFromJson(const nlohmann::json& json);

}  // namespace geih::eval
