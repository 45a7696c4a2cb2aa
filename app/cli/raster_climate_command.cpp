// geih raster aggregate|fire-index|evaluate: multi-date reductions, INPE's Risco de Fogo baseline
// and the ranking quality of any score map against a label raster (core/geo).
#include <cmath>

#include "app/cli/cli_context.h"
#include "app/cli/commands.h"
#include "core/common/error.h"
#include "core/geo/fire_risk_index.h"
#include "core/geo/raster_evaluation.h"
#include "core/geo/temporal_aggregates.h"

namespace geih::cli {
namespace {

nlohmann::json metricOrNull(double value) { return std::isnan(value) ? nlohmann::json(nullptr) : nlohmann::json(value); }

void addAggregate(CLI::App* raster) {
  struct Options {
    CommonOptions common;
    std::string input, output, prefix;
    std::vector<std::string> stats{"mean", "max", "dry-days", "days-since-rain"};
    double threshold = 1.0;
    int last = 0;
  };
  auto o = std::make_shared<Options>();
  CLI::App* c = raster->add_subcommand(
      "aggregate", "Per-pixel mean/min/max/sum, dry days and days since rain of a multi-date stack (bands = dates, oldest first)");
  c->add_option("--input,-i", o->input, "Raster whose bands are consecutive dates, oldest first")->required();
  c->add_option("--output,-o", o->output, "GeoTIFF to write, one band per statistic")->required();
  c->add_option("--stats", o->stats, "mean, min, max, sum, dry-days, days-since-rain (comma separated)")
      ->delimiter(',')->capture_default_str();
  c->add_option("--prefix", o->prefix, "Band names are PREFIX_<stat> (e.g. precip_mean)");
  c->add_option("--rain-threshold", o->threshold, "A date at or above this is rainy")->capture_default_str();
  c->add_option("--last", o->last, "Use only the newest N dates (0: all)")->capture_default_str();
  addCommonOptions(*c, o->common, true, "table|json");
  c->callback([o] {
    auto progress = makeStderrProgress(o->common.quiet);
    const geo::RasterStack series = geo::RasterStack::open(o->input);
    geo::TemporalOptions options;
    options.stats.clear();
    for (const std::string& name : o->stats) options.stats.push_back(geo::parseTemporalStat(name));
    options.prefix = o->prefix;
    options.rainThreshold = o->threshold;
    options.lastDates = o->last;
    const geo::TemporalSummary summary = geo::writeTemporalAggregates(series, options, o->output, *progress);
    std::string names;
    for (const auto& name : summary.bandNames) names += (names.empty() ? "" : ", ") + name;
    printResult(o->common,
         {{"output", o->output}, {"dates", summary.dates}, {"bands", summary.bandNames},
          {"valid_pixels", summary.validPixels}},
         "Wrote " + o->output + " (" + names + ") from " + std::to_string(summary.dates) + " dates, " +
             std::to_string(summary.validPixels) + " valid pixels\n");
  });
}

void addFireIndex(CLI::App* raster) {
  struct Options {
    CommonOptions common;
    std::string precipitation, humidity, temperature, vegetation, output, flammability;
  };
  auto o = std::make_shared<Options>();
  CLI::App* c = raster->add_subcommand(
      "fire-index", "INPE's Risco de Fogo per pixel: days of dryness from 120 days of rain, vegetation, humidity, temperature");
  c->add_option("--precipitation", o->precipitation, "Daily precipitation (mm), one band per day, oldest first, the newest the day before")
      ->required();
  c->add_option("--humidity", o->humidity, "Minimum relative humidity of the day (%)")->required();
  c->add_option("--temperature", o->temperature, "Maximum air temperature of the day (°C)")->required();
  c->add_option("--vegetation", o->vegetation, "Vegetation class raster (INPE classes 1-7 unless --flammability)")->required();
  c->add_option("--flammability", o->flammability, "CODE=A pairs mapping class codes to flammability, e.g. 1=1.5,15=6");
  c->add_option("--output,-o", o->output, "GeoTIFF of RF and days of dryness; classes go to <stem>_classes.tif")->required();
  addCommonOptions(*c, o->common, true, "table|json");
  c->callback([o] {
    auto progress = makeStderrProgress(o->common.quiet);
    const geo::RasterStack precipitation = geo::RasterStack::open(o->precipitation);
    const geo::RasterStack humidity = geo::RasterStack::open(o->humidity);
    const geo::RasterStack temperature = geo::RasterStack::open(o->temperature);
    const geo::RasterStack vegetation = geo::RasterStack::open(o->vegetation);
    geo::FireRiskInputs inputs{&precipitation, &humidity, &temperature, &vegetation};
    if (!o->flammability.empty()) inputs.flammability = geo::parseFlammability(o->flammability);
    const geo::FireRiskSummary summary = geo::writeFireRiskIndex(inputs, o->output, *progress);
    nlohmann::json classes = nlohmann::json::array();
    TextTable table{{"class", "pixels", "area_km2"}, {}};
    for (std::size_t k = 0; k < summary.classNames.size(); ++k) {
      classes.push_back({{"name", summary.classNames[k]}, {"pixels", summary.classPixels[k]},
                         {"area_km2", summary.classAreaKm2[k]}});
      table.rows.push_back({summary.classNames[k], std::to_string(summary.classPixels[k]),
                            formatNumber(summary.classAreaKm2[k], 3)});
    }
    std::string text = "Wrote " + summary.riskPath.string() + " and " + summary.classesPath.string() + " (" +
                       std::to_string(summary.validPixels) + " pixels, " + std::to_string(summary.historyDays) +
                       " days of precipitation)\n";
    if (summary.historyDays < 120) {
      text += "note: fewer than 120 days of precipitation; the missing older days count as dry\n";
    }
    if (summary.unknownVegetationPixels) {
      text += "note: " + std::to_string(summary.unknownVegetationPixels) +
              " pixels have a vegetation code without a flammability (left as nodata; see --flammability)\n";
    }
    if (o->common.outputFormat() != OutputFormat::Json) printTable(table, OutputFormat::Table);
    printResult(o->common,
         {{"output", summary.riskPath.string()}, {"classes_raster", summary.classesPath.string()},
          {"history_days", summary.historyDays}, {"valid_pixels", summary.validPixels},
          {"unknown_vegetation_pixels", summary.unknownVegetationPixels}, {"classes", classes}},
         text);
  });
}

void addEvaluate(CLI::App* raster) {
  struct Options {
    CommonOptions common;
    std::string score, labels;
    int scoreBand = 1, labelBand = 1;
  };
  auto o = std::make_shared<Options>();
  CLI::App* c = raster->add_subcommand(
      "evaluate", "ROC AUC and average precision of a score map (model probability, fire index, ...) against a label raster");
  c->add_option("--score", o->score, "Raster of scores (higher = more likely positive)")->required();
  c->add_option("--score-band", o->scoreBand, "Its band (1-based)")->capture_default_str();
  c->add_option("--labels", o->labels, "Raster of labels (> 0.5 is positive) on the same grid")->required();
  c->add_option("--label-band", o->labelBand, "Its band (1-based)")->capture_default_str();
  addCommonOptions(*c, o->common, true, "table|json");
  c->callback([o] {
    auto progress = makeStderrProgress(o->common.quiet);
    const geo::RasterStack score = geo::RasterStack::open(o->score);
    const geo::RasterStack labels = geo::RasterStack::open(o->labels);
    const geo::RasterEvaluation e =
        geo::evaluateScoreRaster(score, o->scoreBand - 1, labels, o->labelBand - 1, *progress);
    printResult(o->common,
         {{"score", o->score}, {"labels", o->labels}, {"pixels", e.pixels}, {"positives", e.positives},
          {"score_min", e.scoreMin}, {"score_max", e.scoreMax}, {"roc_auc", metricOrNull(e.rocAuc)},
          {"average_precision", metricOrNull(e.averagePrecision)}},
         o->score + " against " + o->labels + ": ROC AUC " + formatNumber(e.rocAuc) + ", average precision " +
             formatNumber(e.averagePrecision) + " over " + std::to_string(e.pixels) + " pixels (" +
             std::to_string(e.positives) + " positive)\n");
  });
}

}  // namespace

void addRasterClimateCommands(CLI::App* raster) {
  addAggregate(raster);
  addFireIndex(raster);
  addEvaluate(raster);
}

}  // namespace geih::cli
