// Classes of a risk map: each holds the probabilities below its upper bound (the last one
// everything up to 1), with a name and a colour for the classified GeoTIFF, the preview and the
// QGIS style.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
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
  const std::vector<double>& innerBounds() const { return m_inner; }

 private:
  std::vector<double> m_inner;  // the upper bounds of all classes but the last
};

// One run of a map's pixels from their scores: each probability clamped to [0, 1] (in `scores`
// too) into `probability` and its class code (ClassBounds::classOf) into `classes`, or the nodata
// values where valid[i] is 0; counts[k] (one per class) grows by the run's pixels of class k.
// Returns the sum of the valid probabilities and their count. No per-pixel counter or sum
// carries from one pixel to the next (classes are counted over the run afterwards, the sum in
// four lanes), which is what keeps a 100-million-pixel map's tallies cheap.
struct RunTally {
  double sum = 0;
  std::size_t valid = 0;
};
RunTally classifyRun(const ClassBounds& bounds, std::span<double> scores,
                     const std::uint8_t* valid, float probabilityNodata, std::uint8_t classNodata,
                     float* probability, std::uint8_t* classes, std::span<std::size_t> counts);

}  // namespace geih::geo
