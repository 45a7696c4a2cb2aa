// A seeded synthetic fire landscape on a grid: the synthetic fire world of core/table drawn on a
// lattice over a 200 km square (SIRGAS 2000 / UTM 23S) on one day and interpolated to every pixel
// (so fields are smooth, as weather and terrain are), so a model trained on the demo table applies
// to it band by band. Writes
//   <stack>    one band per feature, named as the table's columns (temperature_c, ...,
//              population_density, land_cover with category names), float64
//   <labels>   the drawn fire label (0/1) of each pixel, from the known risk function
#pragma once

#include <cstdint>
#include <filesystem>

namespace geih::geo {

struct LandscapeOptions {
  int size = 400;           // pixels per side (500 m pixels at 400)
  double day = 240;         // late August: the dry season's peak
  double temperatureShift = 0;
  std::uint64_t seed = 7;
};

void writeSyntheticLandscape(const std::filesystem::path& stack, const std::filesystem::path& labels,
                             const LandscapeOptions& options = {});

}  // namespace geih::geo
