#include "core/table/synthetic_fire.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "core/common/rng.h"

namespace geih::table {
namespace {

constexpr double kRegionKm = kSyntheticRegionKm;
constexpr double kDryestDay = 240.0;  // late August: the peak of the southern-hemisphere dry season
const char* const kLandCovers[] = {"forest", "savanna", "grassland", "cropland", "urban"};
constexpr double kNdviByCover[] = {0.78, 0.52, 0.38, 0.58, 0.22};
// Settlements (x, y in km): urban land cover and dense population around them.
constexpr double kTowns[][2] = {{40, 50}, {150, 70}, {100, 160}, {170, 170}};

double terrainHeight(double x, double y) {
  return 350 + 280 * (std::sin(x / 27.0) * std::cos(y / 41.0) + 1) + 120 * std::sin((x + y) / 63.0);
}

double sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

}  // namespace

const FireRiskFunction& fireRiskFunction() {
  static const FireRiskFunction function{
      -4.0,
      {{"temperature_c", 0.14},
       {"relative_humidity", -0.04},
       {"wind_speed_ms", 0.18},
       {"precipitation_mm", -0.09},
       {"days_without_rain", 0.07},
       {"ndvi", -1.8},
       {"slope_deg", 0.035},
       {"elevation_m", 0.0},
       {"distance_to_road_km", -0.15},
       {"population_density", -0.0004}},
      {{"forest", 0.0}, {"savanna", 0.7}, {"grassland", 0.9}, {"cropland", 0.3}, {"urban", -1.5}}};
  return function;
}

FireCell sampleFireCell(double x, double y, double day, double temperatureShift, Rng& rng) {
  const FireRiskFunction& risk = fireRiskFunction();
  const double dryness = std::cos(2 * std::numbers::pi * (day - kDryestDay) / 365.0);  // 1 = driest

  double townDistance = 1e9;
  for (const auto& town : kTowns) townDistance = std::min(townDistance, std::hypot(x - town[0], y - town[1]));

  const double height = terrainHeight(x, y) + rng.normal(0, 15);
  const double dx = terrainHeight(x + 0.1, y) - terrainHeight(x - 0.1, y);
  const double dy = terrainHeight(x, y + 0.1) - terrainHeight(x, y - 0.1);
  const double gradient = std::hypot(dx, dy) / 200.0;  // metres per metre
  const double slopeDeg = std::clamp(std::atan(gradient) * 180 / std::numbers::pi * 12 + rng.normal(0, 2), 0.0, 45.0);

  int cover;
  if (townDistance < 8 && rng.bernoulli(0.7)) {
    cover = 4;
  } else {
    // More forest to the north and at height, more cropland and grassland in the south.
    const double north = y / kRegionKm;
    const double weights[] = {0.15 + 0.45 * north + 0.0003 * (height - 350), 0.25,
                              0.25 - 0.15 * north, 0.25 - 0.1 * north};
    double total = 0;
    for (double w : weights) total += std::max(w, 0.01);
    double pick = rng.uniform() * total;
    cover = 0;
    for (int k = 0; k < 4; ++k) {
      pick -= std::max(weights[k], 0.01);
      if (pick <= 0) {
        cover = k;
        break;
      }
      cover = k;
    }
  }

  const double temp = 27 + 5 * dryness - 0.0065 * (height - 350) + rng.normal(0, 2.5) +
                      temperatureShift;
  const double rh = std::clamp(68 - 14 * dryness - 1.3 * (temp - 27) + rng.normal(0, 8), 5.0, 100.0);
  const double windSpeed = std::exp(rng.normal(1.05, 0.45));
  const bool rained = rng.bernoulli(std::clamp(0.33 - 0.25 * dryness, 0.03, 0.9));
  const double rain = rained ? -8.0 * std::log(1 - rng.uniform()) : 0.0;
  const double meanDry = 3 + 22 * (dryness + 1) / 2;
  const double sinceRain = rained ? 0.0 : std::floor(-meanDry * std::log(1 - rng.uniform()));
  const double greenness = std::clamp(kNdviByCover[cover] - 0.12 * dryness - 0.004 * sinceRain +
                                          rng.normal(0, 0.06),
                                      -0.1, 0.95);
  const double road = cover == 4 ? -0.6 * std::log(1 - rng.uniform())
                                 : -4.0 * std::log(1 - rng.uniform());
  const double people = cover == 4 ? std::exp(rng.normal(7.0, 0.6))
                                   : std::exp(rng.normal(2.5, 1.0)) + 200.0 / (1 + townDistance);

  FireCell out;
  out.temperature = temp;
  out.humidity = rh;
  out.wind = windSpeed;
  out.precipitation = rain;
  out.daysWithoutRain = sinceRain;
  out.ndvi = greenness;
  out.slope = slopeDeg;
  out.elevation = height;
  out.roadDistance = road;
  out.population = people;
  out.landCover = cover;
  const auto& c = risk.coefficients;
  out.logit = risk.intercept + c.at("temperature_c") * temp + c.at("relative_humidity") * rh +
              c.at("wind_speed_ms") * windSpeed + c.at("precipitation_mm") * rain +
              c.at("days_without_rain") * sinceRain + c.at("ndvi") * greenness +
              c.at("slope_deg") * slopeDeg + c.at("elevation_m") * height +
              c.at("distance_to_road_km") * road + c.at("population_density") * people +
              risk.landCoverOffsets.at(kLandCovers[cover]);
  out.fire = rng.bernoulli(sigmoid(out.logit));
  return out;
}

const char* landCoverName(int code) { return kLandCovers[code]; }

Table makeSyntheticFireTable(const SyntheticFireOptions& options) {
  const std::size_t n = options.rows;
  Rng rng(options.seed);
  std::vector<double> temperature(n), humidity(n), wind(n), precipitation(n), dryDays(n), ndvi(n),
      slope(n), elevation(n), roadDistance(n), population(n), xs(n), ys(n), days(n), fire(n);
  std::vector<std::int32_t> landCover(n);

  for (std::size_t i = 0; i < n; ++i) {
    const double x = rng.uniform(0, kRegionKm), y = rng.uniform(0, kRegionKm);
    const double day = double(1 + rng.below(365));
    const FireCell cell = sampleFireCell(x, y, day, options.temperatureShift, rng);
    xs[i] = x;
    ys[i] = y;
    days[i] = day;
    elevation[i] = cell.elevation;
    slope[i] = cell.slope;
    landCover[i] = cell.landCover;
    temperature[i] = cell.temperature;
    humidity[i] = cell.humidity;
    wind[i] = cell.wind;
    precipitation[i] = cell.precipitation;
    dryDays[i] = cell.daysWithoutRain;
    ndvi[i] = cell.ndvi;
    roadDistance[i] = cell.roadDistance;
    population[i] = cell.population;
    fire[i] = cell.fire ? 1.0 : 0.0;
  }

  if (options.missingShare > 0) {
    for (auto* column : {&temperature, &humidity, &wind, &precipitation, &dryDays}) {
      for (double& value : *column) {
        if (rng.bernoulli(options.missingShare)) value = std::nan("");
      }
    }
  }

  Table table;
  table.addColumn(Column::numeric("temperature_c", std::move(temperature)));
  table.addColumn(Column::numeric("relative_humidity", std::move(humidity)));
  table.addColumn(Column::numeric("wind_speed_ms", std::move(wind)));
  table.addColumn(Column::numeric("precipitation_mm", std::move(precipitation)));
  table.addColumn(Column::numeric("days_without_rain", std::move(dryDays)));
  table.addColumn(Column::numeric("ndvi", std::move(ndvi)));
  table.addColumn(Column::numeric("slope_deg", std::move(slope)));
  table.addColumn(Column::numeric("elevation_m", std::move(elevation)));
  table.addColumn(Column::numeric("distance_to_road_km", std::move(roadDistance)));
  table.addColumn(Column::numeric("population_density", std::move(population)));
  table.addColumn(Column::categorical("land_cover", std::move(landCover),
                                      std::vector<std::string>(std::begin(kLandCovers), std::end(kLandCovers))));
  table.addColumn(Column::numeric("x", std::move(xs)));
  table.addColumn(Column::numeric("y", std::move(ys)));
  table.addColumn(Column::numeric("day_of_year", std::move(days)));
  table.addColumn(Column::numeric("fire", std::move(fire)));
  return table;
}

}  // namespace geih::table
