#include "core/geo/synthetic_landscape.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "core/common/error.h"
#include "core/common/rng.h"
#include "core/geo/raster_stack.h"
#include "core/table/synthetic_fire.h"

namespace geih::geo {

void writeSyntheticLandscape(const std::filesystem::path& stack, const std::filesystem::path& labels,
                             const LandscapeOptions& options) {
  if (options.size < 2 || options.size > 20000) {
    throw InputError("landscape size must be 2..20000 pixels, not " + std::to_string(options.size));
  }
  const int n = options.size;
  const double cellKm = table::kSyntheticRegionKm / n;
  Grid grid;
  grid.width = n;
  grid.height = n;
  grid.geoTransform = {300000.0, cellKm * 1000.0, 0, 8500000.0, 0, -cellKm * 1000.0};
  grid.projectionWkt = wktForEpsg(31983);

  const std::vector<std::string> names = {
      "temperature_c", "relative_humidity", "wind_speed_ms",       "precipitation_mm",
      "days_without_rain", "ndvi",          "slope_deg",           "elevation_m",
      "distance_to_road_km", "population_density", "land_cover"};
  std::vector<std::vector<double>> bands(names.size(), std::vector<double>(std::size_t(n) * n));
  std::vector<std::vector<double>> label(1, std::vector<double>(std::size_t(n) * n));
  // The world is drawn on a coarse lattice (every kStep pixels) and interpolated bilinearly, so
  // fields vary smoothly like weather and terrain do; land cover takes the nearest lattice cell.
  constexpr int kStep = 6;
  const int lattice = n / kStep + 2;
  Rng rng(options.seed);
  std::vector<table::FireCell> cells(std::size_t(lattice) * std::size_t(lattice));
  for (int j = 0; j < lattice; ++j) {
    for (int i = 0; i < lattice; ++i) {
      const double x = std::min(i * kStep * cellKm, table::kSyntheticRegionKm);
      const double y = std::max(table::kSyntheticRegionKm - j * kStep * cellKm, 0.0);
      cells[std::size_t(j) * std::size_t(lattice) + std::size_t(i)] =
          table::sampleFireCell(x, y, options.day, options.temperatureShift, rng);
    }
  }
  const auto field = [](const table::FireCell& cell, std::size_t b) {
    const double values[] = {cell.temperature, cell.humidity,  cell.wind,      cell.precipitation,
                             cell.daysWithoutRain, cell.ndvi,  cell.slope,     cell.elevation,
                             cell.roadDistance, cell.population, cell.logit};
    return values[b];
  };
  const table::FireRiskFunction& risk = table::fireRiskFunction();
  for (int row = 0; row < n; ++row) {
    const double v = double(row) / kStep;
    const int j = std::min(int(v), lattice - 2);
    const double fy = v - j;
    for (int col = 0; col < n; ++col) {
      const double u = double(col) / kStep;
      const int i = std::min(int(u), lattice - 2);
      const double fx = u - i;
      const auto& c00 = cells[std::size_t(j) * std::size_t(lattice) + std::size_t(i)];
      const auto& c10 = cells[std::size_t(j) * std::size_t(lattice) + std::size_t(i + 1)];
      const auto& c01 = cells[std::size_t(j + 1) * std::size_t(lattice) + std::size_t(i)];
      const auto& c11 = cells[std::size_t(j + 1) * std::size_t(lattice) + std::size_t(i + 1)];
      const std::size_t p = std::size_t(row) * std::size_t(n) + std::size_t(col);
      for (std::size_t b = 0; b + 1 < names.size(); ++b) {
        bands[b][p] = (1 - fy) * ((1 - fx) * field(c00, b) + fx * field(c10, b)) +
                      fy * ((1 - fx) * field(c01, b) + fx * field(c11, b));
      }
      const table::FireCell& nearest = fx < 0.5 ? (fy < 0.5 ? c00 : c01) : (fy < 0.5 ? c10 : c11);
      bands.back()[p] = double(nearest.landCover);
      // The label from the known risk function at this pixel's own values.
      const auto& c = risk.coefficients;
      const double logit =
          risk.intercept + c.at("temperature_c") * bands[0][p] + c.at("relative_humidity") * bands[1][p] +
          c.at("wind_speed_ms") * bands[2][p] + c.at("precipitation_mm") * bands[3][p] +
          c.at("days_without_rain") * bands[4][p] + c.at("ndvi") * bands[5][p] +
          c.at("slope_deg") * bands[6][p] + c.at("elevation_m") * bands[7][p] +
          c.at("distance_to_road_km") * bands[8][p] + c.at("population_density") * bands[9][p] +
          risk.landCoverOffsets.at(table::landCoverName(nearest.landCover));
      label[0][p] = rng.bernoulli(1.0 / (1.0 + std::exp(-logit))) ? 1.0 : 0.0;
    }
  }
  std::vector<std::vector<std::string>> categories(names.size());
  for (int code = 0; code < table::kLandCoverCount; ++code) {
    categories.back().push_back(table::landCoverName(code));
  }
  writeGeoTiff(stack, grid, names, bands, std::nullopt, categories);
  writeGeoTiff(labels, grid, {"fire"}, label);
}

}  // namespace geih::geo
