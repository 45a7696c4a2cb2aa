// A small training table for tests that need a real fitted model: two numeric features drawn
// uniformly on [0, 10] and a 0/1 target "fire" drawn with probability
// 1 / (1 + exp(-(wa a + wb b + bias))).
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include "core/common/rng.h"
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

}  // namespace geih::testing
