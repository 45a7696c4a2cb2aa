#include "core/geo/fire_risk_index.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <sstream>

#include "core/common/error.h"
#include "core/geo/burn_severity.h"
#include "core/geo/geotiff_output.h"
#include "core/geo/pixel_area.h"
#include "core/geo/risk_classes.h"

namespace geih::geo {

namespace {
constexpr float kNodata = -9999.0f;
constexpr std::uint8_t kClassNodata = 255;
constexpr int kWindows = 11;
constexpr int kHistoryDays = 120;

// Window of a day `age` days before the day of interest (1-based), −1 beyond 120 days.
std::array<int, kHistoryDays + 1> windowOfAge() {
  std::array<int, kHistoryDays + 1> out{};
  out[0] = -1;
  int age = 1;
  for (int w = 0; w < kWindows; ++w) {
    for (int k = 0; k < dryDayWindowLengths()[std::size_t(w)]; ++k) out[std::size_t(age++)] = w;
  }
  return out;
}

double drynessFromWindowSums(const double* sums) {
  double exponent = 0;
  for (int w = 0; w < kWindows; ++w) exponent += dryDayWindowCoefficients()[std::size_t(w)] * sums[w];
  return 105.0 * std::exp(-exponent);
}

}  // namespace

const std::array<int, 11>& dryDayWindowLengths() {
  static const std::array<int, 11> lengths = {1, 1, 1, 1, 1, 5, 5, 15, 30, 30, 30};
  return lengths;
}

const std::array<double, 11>& dryDayWindowCoefficients() {
  static const std::array<double, 11> a = {0.14, 0.07, 0.04, 0.03, 0.02, 0.01,
                                           0.008, 0.004, 0.002, 0.001, 0.0007};
  return a;
}

double daysOfDryness(const float* precipitationNewestFirst, int days) {
  static const auto windows = windowOfAge();
  double sums[kWindows] = {};
  for (int age = 1; age <= std::min(days, kHistoryDays); ++age) {
    const double p = precipitationNewestFirst[age - 1];
    if (std::isnan(p)) return std::nan("");
    sums[windows[std::size_t(age)]] += p;
  }
  return drynessFromWindowSums(sums);
}

double basicFireRisk(double daysOfDryness, double flammability) {
  const double degrees = std::min(flammability * daysOfDryness, 180.0);
  return 0.9 * (1.0 + std::sin((degrees - 90.0) * std::numbers::pi / 180.0)) / 2.0;
}

double observedFireRisk(double basicRisk, double minHumidityPercent, double maxTemperatureC) {
  const double humidityFactor = 1.3 - 0.006 * minHumidityPercent;
  const double temperatureFactor = 0.4 + 0.02 * maxTemperatureC;
  return std::clamp(basicRisk * humidityFactor * temperatureFactor, 0.0, 1.0);
}

std::map<int, double> inpeFlammability() {
  return {{1, 1.5}, {2, 1.72}, {3, 2.0}, {4, 2.4}, {5, 3.0}, {6, 4.0}, {7, 6.0}};
}

std::map<int, double> parseFlammability(const std::string& text) {
  std::map<int, double> out;
  std::stringstream items(text);
  std::string item;
  while (std::getline(items, item, ',')) {
    const auto eq = item.find('=');
    std::size_t codeEnd = 0;
    std::size_t valueEnd = 0;
    try {
      if (eq == std::string::npos) throw std::invalid_argument("no '='");
      const int code = std::stoi(item.substr(0, eq), &codeEnd);
      const double value = std::stod(item.substr(eq + 1), &valueEnd);
      if (codeEnd != eq || valueEnd != item.size() - eq - 1 || !(value > 0)) {
        throw std::invalid_argument("bad");
      }
      out[code] = value;
    } catch (const std::exception&) {
      throw InputError("bad flammability item '" + item +
                       "': expected CODE=A with an integer class code and A > 0, e.g. 7=6.0");
    }
  }
  if (out.empty()) throw InputError("empty flammability table");
  return out;
}

FireRiskSummary writeFireRiskIndex(const FireRiskInputs& inputs, const std::filesystem::path& output,
                                   Progress& progress) {
  if (!inputs.precipitation || !inputs.humidity || !inputs.temperature || !inputs.vegetation) {
    throw InputError("the fire risk index needs precipitation, humidity, temperature and vegetation rasters");
  }
  const RasterStack& rain = *inputs.precipitation;
  requireSameGrid(rain, *inputs.humidity);
  requireSameGrid(rain, *inputs.temperature);
  requireSameGrid(rain, *inputs.vegetation);
  const int bands = int(rain.bandNames().size());
  const int history = std::min(bands, kHistoryDays);
  const int firstBand = bands - history;  // older days than 120 do not count
  const Grid& grid = rain.grid();

  FireRiskSummary summary;
  summary.riskPath = output;
  summary.historyDays = history;
  const std::vector<RiskClass> classes = inpeRiskClasses();
  const ClassBounds bounds(classes);
  for (const auto& c : classes) summary.classNames.push_back(c.name);
  summary.classPixels.assign(classes.size(), 0);
  summary.classAreaKm2.assign(classes.size(), 0.0);

  PendingFiles files;
  GeoTiffOutput risk(files, output, grid, 2, PixelType::Float32);
  risk.describeBand(0, "fire_risk", kNodata);
  risk.describeBand(1, "dryness_days", kNodata);
  summary.classesPath = output.parent_path() / (output.stem().string() + "_classes.tif");
  GeoTiffOutput classRaster(files, summary.classesPath, grid, 1, PixelType::Byte);
  classRaster.describeBand(0, "fire risk class (INPE)", std::nullopt);
  ClassLegend legend;
  legend.nodataCode = kClassNodata;
  for (const auto& c : classes) {
    legend.names.push_back(c.name);
    legend.colours.push_back(c.rgb);
  }
  classRaster.setLegend(0, legend);

  std::string areaNote;
  const std::vector<double> areas = rowAreasKm2(grid, areaNote);
  static const auto windows = windowOfAge();
  const int stripRows = std::max(16, rain.blockHeight());
  std::vector<double> sums;
  std::vector<std::uint8_t> missing;
  std::vector<float> day;
  std::vector<double> humidity, temperature, vegetation;
  std::vector<float> riskStrip, drynessStrip;
  std::vector<std::uint8_t> classStrip;
  for (int row = 0; row < grid.height; row += stripRows) {
    const int rows = std::min(stripRows, grid.height - row);
    const std::size_t pixels = std::size_t(grid.width) * std::size_t(rows);
    sums.assign(pixels * kWindows, 0.0);
    missing.assign(pixels, 0);
    day.resize(pixels);
    for (int band = firstBand; band < bands; ++band) {
      progress.checkCancelled();
      progress.report((double(row) + double(rows) * (band - firstBand) / history) / grid.height,
                      "fire risk");
      rain.readRows(band, row, rows, day.data());
      const int w = windows[std::size_t(bands - band)];
      const auto nodata = rain.nodata(band);
      for (std::size_t p = 0; p < pixels; ++p) {
        if (isNodataOrNan(day[p], nodata)) {
          missing[p] = 1;
        } else {
          sums[p * kWindows + std::size_t(w)] += day[p];
        }
      }
    }
    humidity.resize(pixels);
    temperature.resize(pixels);
    vegetation.resize(pixels);
    inputs.humidity->readRows(0, row, rows, humidity.data());
    inputs.temperature->readRows(0, row, rows, temperature.data());
    inputs.vegetation->readRows(0, row, rows, vegetation.data());
    const auto humidityNodata = inputs.humidity->nodata(0);
    const auto temperatureNodata = inputs.temperature->nodata(0);
    const auto vegetationNodata = inputs.vegetation->nodata(0);
    riskStrip.assign(pixels, kNodata);
    drynessStrip.assign(pixels, kNodata);
    classStrip.assign(pixels, kClassNodata);
    for (std::size_t p = 0; p < pixels; ++p) {
      if (missing[p] || isNodataOrNan(humidity[p], humidityNodata) ||
          isNodataOrNan(temperature[p], temperatureNodata) || isNodataOrNan(vegetation[p], vegetationNodata)) {
        continue;
      }
      const auto a = inputs.flammability.find(int(std::lround(vegetation[p])));
      if (a == inputs.flammability.end()) {
        ++summary.unknownVegetationPixels;
        continue;
      }
      const double pse = drynessFromWindowSums(&sums[p * kWindows]);
      const double rf = observedFireRisk(basicFireRisk(pse, a->second), humidity[p], temperature[p]);
      riskStrip[p] = float(rf);
      drynessStrip[p] = float(pse);
      const std::size_t k = bounds.classOf(rf);
      classStrip[p] = std::uint8_t(k);
      summary.classPixels[k] += 1;
      summary.classAreaKm2[k] += areas[std::size_t(row) + p / std::size_t(grid.width)];
      ++summary.validPixels;
    }
    risk.writeRows(0, row, rows, riskStrip.data());
    risk.writeRows(1, row, rows, drynessStrip.data());
    classRaster.writeRows(0, row, rows, classStrip.data());
  }
  progress.report(1.0, "fire risk");
  risk.finish();
  classRaster.finish();
  files.publish();
  return summary;
}

}  // namespace geih::geo
