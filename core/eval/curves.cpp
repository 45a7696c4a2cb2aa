#include "core/eval/curves.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/common/error.h"
#include "core/eval/sorted_scores.h"

namespace geih::eval {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

}  // namespace

Curve rocCurve(std::span<const double> labels, std::span<const double> scores) {
  const detail::SortedScores sorted(labels, scores, "ROC curve");
  if (sorted.positives() == 0 || sorted.negatives() == 0) {
    throw InputError("ROC curve: needs both classes, but every label is " +
                     std::string(sorted.positives() == 0 ? "0" : "1"));
  }
  Curve curve{"roc", "false_positive_rate", "true_positive_rate", {}};
  curve.points.push_back({0.0, 0.0, kInf});
  const double positives = double(sorted.positives());
  const double negatives = double(sorted.negatives());
  std::size_t truePositives = 0, falsePositives = 0;
  sorted.forEachGroup([&](double score, std::size_t pos, std::size_t neg) {
    truePositives += pos;
    falsePositives += neg;
    curve.points.push_back(
        {double(falsePositives) / negatives, double(truePositives) / positives, score});
  });
  return curve;
}

Curve prCurve(std::span<const double> labels, std::span<const double> scores) {
  const detail::SortedScores sorted(labels, scores, "precision-recall curve");
  if (sorted.positives() == 0) {
    throw InputError("precision-recall curve: needs positive labels, but every label is 0");
  }
  Curve curve{"pr", "recall", "precision", {}};
  curve.points.push_back({0.0, 1.0, kInf});
  const double positives = double(sorted.positives());
  std::size_t truePositives = 0, falsePositives = 0;
  sorted.forEachGroup([&](double score, std::size_t pos, std::size_t neg) {
    truePositives += pos;
    falsePositives += neg;
    curve.points.push_back({double(truePositives) / positives,
                            double(truePositives) / double(truePositives + falsePositives), score});
  });
  return curve;
}

Curve downsample(const Curve& curve, std::size_t maxPoints) {
  if (maxPoints < 2) {
    throw InputError("downsample: needs room for at least 2 points, got " +
                     std::to_string(maxPoints));
  }
  const std::size_t n = curve.points.size();
  if (n <= maxPoints) return curve;

  std::vector<double> arc(n, 0.0);  // cumulative length along the polyline
  for (std::size_t i = 1; i < n; ++i) {
    arc[i] = arc[i - 1] + std::hypot(curve.points[i].x - curve.points[i - 1].x,
                                     curve.points[i].y - curve.points[i - 1].y);
  }
  const double length = arc.back();
  Curve result{curve.kind, curve.xLabel, curve.yLabel, {}};
  result.points.reserve(maxPoints);
  std::size_t previous = 0;
  result.points.push_back(curve.points.front());
  for (std::size_t k = 1; k + 1 < maxPoints; ++k) {
    // Earliest index at or past the k-th even arc position (or even index spacing for a curve of
    // zero length), kept strictly increasing and leaving room for the points still to come.
    std::size_t index;
    if (length > 0.0) {
      const double target = length * double(k) / double(maxPoints - 1);
      index = std::size_t(std::lower_bound(arc.begin(), arc.end(), target) - arc.begin());
      if (index > 0 && target - arc[index - 1] < arc[index] - target) --index;
    } else {
      index = k * (n - 1) / (maxPoints - 1);
    }
    index = std::max(index, previous + 1);
    index = std::min(index, n - 1 - (maxPoints - 1 - k));
    result.points.push_back(curve.points[index]);
    previous = index;
  }
  result.points.push_back(curve.points.back());
  return result;
}

nlohmann::json toJson(const Curve& curve) {
  nlohmann::json x = nlohmann::json::array(), y = nlohmann::json::array(),
                 threshold = nlohmann::json::array();
  for (const CurvePoint& point : curve.points) {
    x.push_back(point.x);
    y.push_back(point.y);
    // JSON has no infinity: +inf (the curves' starting threshold) is written as null, -inf as the
    // string "-inf".
    if (point.threshold == kInf) {
      threshold.push_back(nullptr);
    } else if (point.threshold == -kInf) {
      threshold.push_back("-inf");
    } else {
      threshold.push_back(point.threshold);
    }
  }
  return {{"kind", curve.kind}, {"x_label", curve.xLabel}, {"y_label", curve.yLabel},
          {"x", std::move(x)},  {"y", std::move(y)},       {"threshold", std::move(threshold)}};
}

Curve curveFromJson(const nlohmann::json& json) {
  if (!json.is_object())
    throw Corrupt("curve JSON: expected an object, got " + std::string(json.type_name()));
  auto text = [&](const char* field) {
    const auto it = json.find(field);
    if (it == json.end()) throw Corrupt(std::string("curve JSON: missing field '") + field + "'");
    if (!it->is_string())
      throw Corrupt(std::string("curve JSON: field '") + field + "' must be a string");
    return it->get<std::string>();
  };
  auto array = [&](const char* field) -> const nlohmann::json& {
    const auto it = json.find(field);
    if (it == json.end()) throw Corrupt(std::string("curve JSON: missing field '") + field + "'");
    if (!it->is_array())
      throw Corrupt(std::string("curve JSON: field '") + field + "' must be an array");
    return *it;
  };
  Curve curve{text("kind"), text("x_label"), text("y_label"), {}};
  const nlohmann::json& x = array("x");
  const nlohmann::json& y = array("y");
  const nlohmann::json& threshold = array("threshold");
  if (y.size() != x.size() || threshold.size() != x.size()) {
    throw Corrupt("curve JSON: x, y and threshold differ in length (" + std::to_string(x.size()) +
                  ", " + std::to_string(y.size()) + ", " + std::to_string(threshold.size()) + ")");
  }
  curve.points.resize(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    const auto where = [&](const char* field) {
      return std::string(field) + "[" + std::to_string(i) + "]";
    };
    if (!x[i].is_number()) throw Corrupt("curve JSON: " + where("x") + " is not a number");
    if (!y[i].is_number()) throw Corrupt("curve JSON: " + where("y") + " is not a number");
    curve.points[i].x = x[i].get<double>();
    curve.points[i].y = y[i].get<double>();
    const nlohmann::json& t = threshold[i];
    if (t.is_null()) {
      curve.points[i].threshold = kInf;
    } else if (t.is_string() && t.get<std::string>() == "-inf") {
      curve.points[i].threshold = -kInf;
    } else if (t.is_number()) {
      curve.points[i].threshold = t.get<double>();
    } else {
      throw Corrupt("curve JSON: " + where("threshold") +
                    " must be a number, null (+inf) or \"-inf\"");
    }
  }
  return curve;
}

}  // namespace geih::eval
