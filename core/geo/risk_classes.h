// Classes of a risk map: each holds the probabilities below its upper bound (the last one
// everything up to 1), with a name and a colour for the classified GeoTIFF, the preview and the
// QGIS style.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace geih::geo {

struct RiskClass {
  std::string name;
  double upper = 1.0;  // exclusive, except the last class which takes the rest
  std::array<std::uint8_t, 3> rgb{0, 0, 0};
};

// low < 0.25, medium < 0.5, high < 0.75, critical.
std::vector<RiskClass> defaultRiskClasses();
// INPE's "Risco de Fogo" scheme: mínimo < 0.15, baixo < 0.4, médio < 0.7, alto < 0.95, crítico.
std::vector<RiskClass> inpeRiskClasses();

// "default", "inpe", a list of inner bounds "0.2,0.4,0.6,0.8" (classes named class_1..), or named
// classes "low:0.3,medium:0.6,high" (the last without a bound). Bounds must increase strictly
// inside (0, 1). Throws InputError naming the bad item.
std::vector<RiskClass> parseRiskClasses(const std::string& text);

// Index of the class holding probability `p` (p in [0, 1]).
std::size_t classify(const std::vector<RiskClass>& classes, double p);

// classify() for per-pixel loops: the bounds in a flat array, and the class counted without a
// branch (the classes whose upper bound is not above p; a NaN lands in the last class, as in
// classify). Throws InputError unless the bounds increase.
class ClassBounds {
 public:
  explicit ClassBounds(const std::vector<RiskClass>& classes);
  std::size_t classOf(double p) const {
    std::size_t k = 0;
    for (const double upper : m_inner) k += !(p < upper);
    return k;
  }

 private:
  std::vector<double> m_inner;  // the upper bounds of all classes but the last
};

}  // namespace geih::geo
