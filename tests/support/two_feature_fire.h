// A small training table for tests that need a real fitted model: two numeric features drawn
// uniformly on [0, 10] and a 0/1 target "fire" drawn with probability
// 1 / (1 + exp(-(wa a + wb b + bias))); and a raster stack of the same two bands to score.
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include "core/common/rng.h"
#include "core/geo/raster_stack.h"
#include "core/table/table.h"

namespace geih::testing {

struct TwoFeatureFire {
  std::string a = "a";
  std::string b = "b";
  double wa = 0.8;
  double wb = -0.5;
  double bias = -1.0;
  std::size_t rows = 2000;
  std::uint64_t seed = 5;
};

inline table::Table twoFeatureFireTable(const TwoFeatureFire& spec) {
  Rng rng(spec.seed);
  std::vector<double> a(spec.rows), b(spec.rows), fire(spec.rows);
  for (std::size_t i = 0; i < spec.rows; ++i) {
    a[i] = rng.uniform(0, 10);
    b[i] = rng.uniform(0, 10);
    fire[i] = rng.uniform() < 1 / (1 + std::exp(-(spec.wa * a[i] + spec.wb * b[i] + spec.bias))) ? 1 : 0;
  }
  table::Table data;
  data.addColumn(table::Column::numeric(spec.a, a));
  data.addColumn(table::Column::numeric(spec.b, b));
  data.addColumn(table::Column::numeric("fire", fire));
  return data;
}

// A GeoTIFF with bands a and b that grow to the east and to the south:
// a = column / aDivisor + aShift, b = row / bDivisor; 30 m pixels in UTM 25S (EPSG:31985).
struct TwoFeatureStack {
  int width = 30;
  int height = 20;
  double aDivisor = 3.0;
  double bDivisor = 2.0;
  double aShift = 0.0;
};

inline void writeTwoFeatureStack(const std::string& path, const TwoFeatureStack& spec) {
  geo::Grid grid;
  grid.width = spec.width;
  grid.height = spec.height;
  grid.geoTransform = {288000, 30, 0, 9120000, 0, -30};
  grid.projectionWkt = geo::wktForEpsg(31985);
  const auto pixels = std::size_t(spec.width) * std::size_t(spec.height);
  std::vector<double> a(pixels), b(pixels);
  for (int r = 0; r < spec.height; ++r) {
    for (int c = 0; c < spec.width; ++c) {
      a[std::size_t(r * spec.width + c)] = c / spec.aDivisor + spec.aShift;
      b[std::size_t(r * spec.width + c)] = r / spec.bDivisor;
    }
  }
  geo::writeGeoTiff(path, grid, {"a", "b"}, {a, b});
}

}  // namespace geih::testing
