// A seeded synthetic fire-risk table, for the demo and for tests that need a model to recover a
// known function. Columns (per row = one grid cell on one day):
//   temperature_c, relative_humidity, wind_speed_ms, precipitation_mm, days_without_rain, ndvi,
//   slope_deg, elevation_m, distance_to_road_km, population_density, land_cover (categorical:
//   forest|savanna|grassland|cropland|urban), x, y (km), day_of_year, and the label `fire` (0/1).
// Labels are drawn as Bernoulli(sigmoid(riskLogit(row))) with the coefficients below, so a logistic
// model on the same features recovers them (up to sampling noise).
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "core/common/rng.h"
#include "core/table/table.h"

namespace geih::table {

struct SyntheticFireOptions {
  std::size_t rows = 20000;
  std::uint64_t seed = 42;
  double missingShare = 0.0;  // share of cells blanked in the weather columns (tests imputation)
  double temperatureShift = 0.0;  // added to temperature_c: a "warmer season" for drift demos
};

// The known risk function: logit = intercept + sum coefficient * feature (+ land cover offset).
struct FireRiskFunction {
  double intercept;
  std::map<std::string, double> coefficients;      // numeric features
  std::map<std::string, double> landCoverOffsets;  // added to the logit per land cover class
};

const FireRiskFunction& fireRiskFunction();

Table makeSyntheticFireTable(const SyntheticFireOptions& options);

// The region the cells lie in: x and y in [0, kSyntheticRegionKm).
inline constexpr double kSyntheticRegionKm = 200.0;

// One cell of the world at (x, y) km on `day` (1..365): its features, the known logit and the
// drawn label; what each row of makeSyntheticFireTable holds. Draws from `rng` in a fixed order.
struct FireCell {
  double temperature, humidity, wind, precipitation, daysWithoutRain, ndvi, slope, elevation,
      roadDistance, population;
  int landCover;  // index into landCoverName
  double logit;
  bool fire;
};
FireCell sampleFireCell(double x, double y, double day, double temperatureShift, Rng& rng);
// "forest", "savanna", "grassland", "cropland", "urban" for 0..4.
const char* landCoverName(int code);
inline constexpr int kLandCoverCount = 5;

}  // namespace geih::table
