#include "core/geo/risk_classes.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "core/common/error.h"

namespace geih::geo {

namespace {

// A green → yellow → red ramp for n classes.
std::array<std::uint8_t, 3> rampColour(std::size_t index, std::size_t count) {
  static const std::array<std::array<std::uint8_t, 3>, 5> stops = {
      {{26, 150, 65}, {166, 217, 106}, {255, 255, 191}, {253, 174, 97}, {215, 25, 28}}};
  const double t = count <= 1 ? 1.0 : double(index) / double(count - 1);
  const double position = t * double(stops.size() - 1);
  const std::size_t lower = std::min<std::size_t>(std::size_t(position), stops.size() - 2);
  const double f = position - double(lower);
  std::array<std::uint8_t, 3> out{};
  for (int c = 0; c < 3; ++c) {
    out[std::size_t(c)] = std::uint8_t(std::lround(stops[lower][std::size_t(c)] * (1 - f) +
                                                   stops[lower + 1][std::size_t(c)] * f));
  }
  return out;
}

}  // namespace

std::vector<RiskClass> defaultRiskClasses() {
  return {{"low", 0.25, {26, 150, 65}},
          {"medium", 0.5, {255, 255, 191}},
          {"high", 0.75, {253, 174, 97}},
          {"critical", 1.0, {215, 25, 28}}};
}

std::vector<RiskClass> inpeRiskClasses() {
  return {{"mínimo", 0.15, {26, 150, 65}},
          {"baixo", 0.4, {166, 217, 106}},
          {"médio", 0.7, {255, 255, 191}},
          {"alto", 0.95, {253, 174, 97}},
          {"crítico", 1.0, {215, 25, 28}}};
}

std::vector<RiskClass> parseRiskClasses(const std::string& text) {
  if (text.empty() || text == "default") return defaultRiskClasses();
  if (text == "inpe") return inpeRiskClasses();
  std::vector<std::string> items;
  std::stringstream stream(text);
  for (std::string item; std::getline(stream, item, ',');) items.push_back(item);
  std::vector<RiskClass> classes;
  const bool named = text.find(':') != std::string::npos;
  double previous = 0.0;
  for (std::size_t i = 0; i < items.size(); ++i) {
    std::string name = "class_" + std::to_string(i + 1);
    std::string bound = items[i];
    if (named) {
      const auto colon = items[i].find(':');
      name = items[i].substr(0, colon);
      bound = colon == std::string::npos ? "" : items[i].substr(colon + 1);
      if (name.empty()) throw InputError("--classes: item " + std::to_string(i + 1) + " has no name");
      if (bound.empty() && i + 1 != items.size()) {
        throw InputError("--classes: '" + items[i] + "' needs an upper bound (NAME:BOUND)");
      }
    }
    if (!bound.empty()) {
      double value = 0;
      try {
        std::size_t used = 0;
        value = std::stod(bound, &used);
        if (used != bound.size()) throw std::invalid_argument(bound);
      } catch (const std::exception&) {
        throw InputError("--classes: '" + bound + "' is not a number");
      }
      if (!(value > previous && value < 1.0)) {
        throw InputError("--classes: bounds must increase strictly inside (0, 1); '" + bound +
                         "' does not");
      }
      previous = value;
      classes.push_back({name, value, {}});
    } else {
      classes.push_back({name, 1.0, {}});
    }
  }
  if (!named) classes.push_back({"class_" + std::to_string(items.size() + 1), 1.0, {}});
  if (classes.back().upper != 1.0) classes.push_back({"class_" + std::to_string(classes.size() + 1), 1.0, {}});
  if (classes.size() < 2) throw InputError("--classes: give at least one bound");
  for (std::size_t i = 0; i < classes.size(); ++i) classes[i].rgb = rampColour(i, classes.size());
  return classes;
}

std::size_t classify(const std::vector<RiskClass>& classes, double p) {
  for (std::size_t i = 0; i + 1 < classes.size(); ++i) {
    if (p < classes[i].upper) return i;
  }
  return classes.size() - 1;
}

ClassBounds::ClassBounds(const std::vector<RiskClass>& classes) {
  for (std::size_t i = 0; i + 1 < classes.size(); ++i) {
    if (i > 0 && !(classes[i].upper > classes[i - 1].upper)) {
      throw InputError("risk classes: upper bounds must increase ('" + classes[i].name + "')");
    }
    m_inner.push_back(classes[i].upper);
  }
}

// Also built for AVX2 (chosen at load time; the same results, see LinearForm::predictColumns).
__attribute__((target_clones("avx512f", "avx2", "default"))) RunTally classifyRun(
    const ClassBounds& bounds, std::span<double> scores, const std::uint8_t* valid,
    float probabilityNodata, std::uint8_t classNodata, float* probability, std::uint8_t* classes,
    std::span<std::size_t> counts) {
  // Loops of one kind each over restrict pointers (a uint8_t store may alias anything), so the
  // compiler vectorises them.
  const std::size_t n = scores.size();
  double* __restrict p = scores.data();
  std::uint8_t* __restrict codes = classes;
  float* __restrict out = probability;
  const std::uint8_t* __restrict ok = valid;
  for (std::size_t i = 0; i < n; ++i) p[i] = std::clamp(p[i], 0.0, 1.0);
  std::fill(codes, codes + n, std::uint8_t(0));
  for (const double upper : bounds.innerBounds()) {
    for (std::size_t i = 0; i < n; ++i) codes[i] += std::uint8_t(!(p[i] < upper));
  }
  for (std::size_t i = 0; i < n; ++i) {
    out[i] = ok[i] ? float(p[i]) : probabilityNodata;
    codes[i] = ok[i] ? codes[i] : classNodata;
  }
  // Four running sums, value i into sum i % 4: independent chains the compiler keeps in one
  // vector register (one sum carried through an array in memory stalled on every add).
  double lane0 = 0, lane1 = 0, lane2 = 0, lane3 = 0;
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    lane0 += ok[i] ? p[i] : 0.0;
    lane1 += ok[i + 1] ? p[i + 1] : 0.0;
    lane2 += ok[i + 2] ? p[i + 2] : 0.0;
    lane3 += ok[i + 3] ? p[i + 3] : 0.0;
  }
  if (i < n) lane0 += ok[i] ? p[i] : 0.0;
  if (i + 1 < n) lane1 += ok[i + 1] ? p[i + 1] : 0.0;
  if (i + 2 < n) lane2 += ok[i + 2] ? p[i + 2] : 0.0;
  std::uint32_t validCount = 0;
  for (std::size_t j = 0; j < n; ++j) validCount += ok[j];
  for (std::size_t k = 0; k < counts.size(); ++k) {
    const auto code = std::uint8_t(k);
    std::uint32_t inClass = 0;
    for (std::size_t i = 0; i < n; ++i) inClass += codes[i] == code;
    counts[k] += inClass;
  }
  return {(lane0 + lane1) + (lane2 + lane3), validCount};
}

}  // namespace geih::geo
