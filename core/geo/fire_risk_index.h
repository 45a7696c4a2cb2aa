// INPE's "Risco de Fogo" (RF), the physically based fire-danger baseline of Brazil's Programa
// Queimadas (Setzer, Sismanoglu & Martins, "Método do cálculo do risco de fogo do programa do
// INPE", INPE-18256-PRP/267), computed per pixel so every model map can be compared against it.
//
//   Days of dryness  PSE = 105 · Π exp(−a_w · P_w) over eleven precipitation windows before the
//                    day (day 1, 2, 3, 4, 5, days 6–10, 11–15, 16–30, 31–60, 61–90, 91–120) with
//                    a = 0.14, 0.07, 0.04, 0.03, 0.02, 0.01, 0.008, 0.004, 0.002, 0.001, 0.0007
//                    (P_w the precipitation summed over the window, mm)
//   Basic risk       RB = 0.9 · (1 + sin((A · PSE − 90)°)) / 2, with A · PSE capped at 180° (the
//                    crest: more dry days cannot lower the risk); A is the flammability of the
//                    vegetation class (1 dense ombrophilous forest 1.5, 2 open ombrophilous /
//                    campinarana 1.72, 3 semideciduous / mixed forest 2.0, 4 deciduous forest 2.4,
//                    5 forested savanna / caatinga 3.0, 6 wooded savanna 4.0, 7 grassland,
//                    pasture, agriculture 6.0)
//   Observed risk    RF = RB · FU · FT, FU = 1.3 − 0.006 · RH_min(%), FT = 0.4 + 0.02 · T_max(°C),
//                    clipped to [0, 1]
//   Classes          mínimo < 0.15 ≤ baixo < 0.4 ≤ médio < 0.7 ≤ alto < 0.95 ≤ crítico
// The method's later refinements (latitude, elevation and fire-presence factors) are left out:
// they need inputs a risk-map workflow rarely has and change RF by a few percent.
#pragma once

#include <array>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/common/progress.h"
#include "core/geo/raster_stack.h"

namespace geih::geo {

// The eleven windows' lengths in days (1,1,1,1,1,5,5,15,30,30,30: 120 in all) and coefficients.
const std::array<int, 11>& dryDayWindowLengths();
const std::array<double, 11>& dryDayWindowCoefficients();

// PSE from daily precipitation, newest first (precipitation[0] is the day before the day of
// interest). Days beyond `days` (a history shorter than 120) count as dry; a NaN day gives NaN.
double daysOfDryness(const float* precipitationNewestFirst, int days);
double basicFireRisk(double daysOfDryness, double flammability);
double observedFireRisk(double basicRisk, double minHumidityPercent, double maxTemperatureC);

// INPE vegetation classes 1..7 → flammability A.
std::map<int, double> inpeFlammability();
// "1=1.5,2=1.72,..." (codes of a land-cover raster → A). InputError naming the bad item.
std::map<int, double> parseFlammability(const std::string& text);

struct FireRiskInputs {
  const RasterStack* precipitation = nullptr;  // daily mm, one band per day, oldest first
  const RasterStack* humidity = nullptr;       // band 1: minimum relative humidity of the day (%)
  const RasterStack* temperature = nullptr;    // band 1: maximum air temperature of the day (°C)
  const RasterStack* vegetation = nullptr;     // band 1: vegetation class code
  std::map<int, double> flammability = inpeFlammability();
};

struct FireRiskSummary {
  std::filesystem::path riskPath;     // Float32: band 1 "fire_risk" (RF), band 2 "dryness_days" (PSE)
  std::filesystem::path classesPath;  // uint8 INPE classes with a colour table
  int historyDays = 0;                // precipitation days used (≤ 120)
  std::size_t validPixels = 0;
  std::size_t unknownVegetationPixels = 0;  // class codes without a flammability: nodata
  std::vector<std::string> classNames;
  std::vector<std::size_t> classPixels;
  std::vector<double> classAreaKm2;
};

// Writes `output` and <stem>_classes.tif. All inputs must share the grid (InputError naming the
// two that differ); a pixel with nodata in any input is nodata. Nothing is left behind on error.
FireRiskSummary writeFireRiskIndex(const FireRiskInputs& inputs, const std::filesystem::path& output,
                                   Progress& progress);

}  // namespace geih::geo
