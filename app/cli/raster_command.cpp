// geih raster index|change|terrain|proximity|stack|samples: the raster feature steps of a risk
// map (core/geo). Each writes its GeoTIFF under a temporary name and publishes it only when
// complete; `samples` writes a CSV and, given --name, registers it as a dataset version.

#include "app/cli/cli_context.h"
#include "app/cli/commands.h"
#include "core/common/error.h"
#include "core/geo/burn_severity.h"
#include "core/geo/proximity.h"
#include "core/geo/sample_extraction.h"
#include "core/geo/spectral_indices.h"
#include "core/geo/stack_builder.h"
#include "core/geo/terrain.h"
#include "core/pipeline/data_source.h"
#include "core/table/csv_writer.h"

namespace geih::cli {
namespace {

std::string bandList(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

void addIndex(CLI::App* raster) {
  struct Options {
    CommonOptions common;
    std::string input, output, sensor;
    std::vector<std::string> indices{"ndvi"}, bands;
    double scale = 1, offset = 0;
  };
  auto o = std::make_shared<Options>();
  CLI::App* c = raster->add_subcommand("index", "Spectral indices (NDVI, EVI, NBR, NDMI) as a GeoTIFF, one band per index");
  c->add_option("--input,-i", o->input, "Raster with the spectral bands")->required();
  c->add_option("--output,-o", o->output, "GeoTIFF to write")->required();
  c->add_option("--index", o->indices, "ndvi, evi, nbr, ndmi (comma separated)")->delimiter(',')->capture_default_str();
  c->add_option("--sensor", o->sensor, "Band preset: landsat5|landsat7 (6 reflective bands), landsat8|landsat9");
  c->add_option("--band", o->bands, "role=band, e.g. red=3,nir=B4 (roles: blue green red nir swir1 swir2)")->delimiter(',');
  c->add_option("--scale", o->scale, "Multiply band values by this before the formulas (reflectance)");
  c->add_option("--offset", o->offset, "Then add this");
  addCommonOptions(*c, o->common, true, "table|json");
  c->callback([o] {
    auto progress = makeStderrProgress(o->common.quiet);
    const geo::RasterStack stack = geo::RasterStack::open(o->input);
    geo::IndexOptions options;
    for (const std::string& name : o->indices) options.indices.push_back(geo::parseSpectralIndex(name));
    options.roles = geo::resolveBandRoles(stack, o->bands, o->sensor);
    options.scale = o->scale;
    options.offset = o->offset;
    geo::writeIndexRaster(stack, options, o->output, *progress);
    nlohmann::json roles = nlohmann::json::object();
    for (const auto& [role, band] : options.roles) roles[role] = band + 1;
    printResult(o->common, {{"output", o->output}, {"indices", o->indices}, {"bands", roles}},
           "Wrote " + o->output + " (" + bandList(o->indices) + ")\n");
  });
}

void addChange(CLI::App* raster) {
  struct Options {
    CommonOptions common;
    std::string before, after, output, index = "nbr", sensor;
    std::vector<std::string> bands;
    double scale = 1, offset = 0;
  };
  auto o = std::make_shared<Options>();
  CLI::App* c = raster->add_subcommand(
      "change", "dNBR (with USGS burn-severity classes) or dNDVI between two dates on one grid");
  c->add_option("--before", o->before, "Raster of the first date")->required();
  c->add_option("--after", o->after, "Raster of the second date")->required();
  c->add_option("--output,-o", o->output, "GeoTIFF of the difference (before − after)")->required();
  c->add_option("--index", o->index, "nbr or ndvi")->capture_default_str();
  c->add_option("--sensor", o->sensor, "Band preset for both dates");
  c->add_option("--band", o->bands, "role=band for both dates")->delimiter(',');
  c->add_option("--scale", o->scale, "Multiply band values by this first");
  c->add_option("--offset", o->offset, "Then add this");
  addCommonOptions(*c, o->common, true, "table|json");
  c->callback([o] {
    auto progress = makeStderrProgress(o->common.quiet);
    const geo::RasterStack before = geo::RasterStack::open(o->before);
    const geo::RasterStack after = geo::RasterStack::open(o->after);
    geo::ChangeOptions options;
    options.index = geo::parseSpectralIndex(o->index);
    options.beforeRoles = geo::resolveBandRoles(before, o->bands, o->sensor);
    options.afterRoles = geo::resolveBandRoles(after, o->bands, o->sensor);
    options.scale = o->scale;
    options.offset = o->offset;
    const geo::ChangeSummary summary = geo::writeChangeRaster(before, after, options, o->output, *progress);
    nlohmann::json json = {{"output", o->output},
                           {"valid_pixels", summary.validPixels},
                           {"mean_change", summary.meanChange}};
    std::string text = "Wrote " + o->output;
    if (!summary.classesPath.empty()) {
      json["severity"] = summary.classesPath.string();
      text += " and " + summary.classesPath.string();
      nlohmann::json classes = nlohmann::json::array();
      TextTable table{{"class", "from dNBR", "pixels", "area_km2"}, {}};
      const auto& defs = geo::usgsBurnSeverityClasses();
      for (std::size_t k = 0; k < defs.size(); ++k) {
        classes.push_back({{"name", defs[k].name}, {"lower", k == 0 ? nlohmann::json(nullptr) : nlohmann::json(defs[k].lower)},
                           {"pixels", summary.classPixels[k]}, {"area_km2", summary.classAreaKm2[k]}});
        table.rows.push_back({defs[k].name, k == 0 ? "" : formatNumber(defs[k].lower, 2),
                              std::to_string(summary.classPixels[k]), formatNumber(summary.classAreaKm2[k], 3)});
      }
      json["classes"] = classes;
      if (o->common.outputFormat() != OutputFormat::Json) printTable(table, OutputFormat::Table);
    }
    printResult(o->common, json, text + " (" + std::to_string(summary.validPixels) + " pixels, mean d" + o->index +
                                " " + formatNumber(summary.meanChange) + ")\n");
  });
}

void addTerrain(CLI::App* raster) {
  struct Options {
    CommonOptions common;
    std::string dem, output;
  };
  auto o = std::make_shared<Options>();
  CLI::App* c = raster->add_subcommand("terrain", "Elevation, slope, aspect, northness and eastness from a DEM");
  c->add_option("--dem", o->dem, "Digital elevation model")->required();
  c->add_option("--output,-o", o->output, "GeoTIFF to write")->required();
  addCommonOptions(*c, o->common, true, "table|json");
  c->callback([o] {
    auto progress = makeStderrProgress(o->common.quiet);
    geo::writeTerrainRaster(o->dem, o->output, *progress);
    printResult(o->common, {{"output", o->output}, {"bands", {"elevation", "slope", "aspect", "northness", "eastness"}}},
           "Wrote " + o->output + " (elevation, slope, aspect, northness, eastness)\n");
  });
}

void addProximity(CLI::App* raster) {
  struct Options {
    CommonOptions common;
    std::string vector, layer, where, like, output;
    double maxDistance = 0;
  };
  auto o = std::make_shared<Options>();
  CLI::App* c = raster->add_subcommand("proximity", "Distance (map units, metres when projected) to the features of a vector layer");
  c->add_option("--vector", o->vector, "Shapefile, GeoPackage, GeoJSON or CSV of points (x/y or lon/lat)")->required();
  c->add_option("--layer", o->layer, "Layer name (default: the first)");
  c->add_option("--where", o->where, "OGR attribute filter, e.g. \"highway = 'primary'\"");
  c->add_option("--like", o->like, "Raster whose grid the distances are computed on")->required();
  c->add_option("--output,-o", o->output, "GeoTIFF to write")->required();
  c->add_option("--max-distance", o->maxDistance, "Cap distances at this (0 = no cap)");
  addCommonOptions(*c, o->common, true, "table|json");
  c->callback([o] {
    auto progress = makeStderrProgress(o->common.quiet);
    const geo::RasterStack like = geo::RasterStack::open(o->like);
    const geo::ProximitySummary summary =
        geo::writeProximityRaster({o->vector, o->layer, o->where}, like.grid(), o->output, o->maxDistance, *progress);
    printResult(o->common, {{"output", o->output}, {"feature_pixels", summary.featurePixels}, {"max_distance", summary.maxDistance}},
           "Wrote " + o->output + " (" + std::to_string(summary.featurePixels) + " feature pixels, farthest " +
               formatNumber(summary.maxDistance, 1) + ")\n");
  });
}

void addStack(CLI::App* raster) {
  struct Options {
    CommonOptions common;
    std::vector<std::string> inputs;
    std::string reference, output;
    bool warp = false;
  };
  auto o = std::make_shared<Options>();
  CLI::App* c = raster->add_subcommand("stack", "One named feature stack from several rasters on one grid");
  c->add_option("inputs", o->inputs, "NAME=PATH[:BAND][@cat] or PATH (all bands, own names)")->required();
  c->add_option("--output,-o", o->output, "GeoTIFF to write")->required();
  c->add_option("--reference", o->reference, "Raster whose grid to use (default: the first input's)");
  c->add_flag("--warp", o->warp, "Warp inputs on other grids onto it (bilinear; nearest for @cat)");
  addCommonOptions(*c, o->common, true, "table|json");
  c->callback([o] {
    auto progress = makeStderrProgress(o->common.quiet);
    std::vector<geo::StackInput> inputs;
    for (const std::string& text : o->inputs) inputs.push_back(geo::parseStackInput(text));
    geo::StackOptions options;
    if (!o->reference.empty()) options.reference = o->reference;
    options.warp = o->warp;
    const geo::StackSummary summary = geo::writeStack(inputs, options, o->output, *progress);
    printResult(o->common, {{"output", o->output}, {"bands", summary.bandNames}, {"warped", summary.warped},
                       {"width", summary.grid.width}, {"height", summary.grid.height}},
           "Wrote " + o->output + " (" + std::to_string(summary.grid.width) + " x " +
               std::to_string(summary.grid.height) + "; bands " + bandList(summary.bandNames) +
               (summary.warped.empty() ? "" : "; warped " + bandList(summary.warped)) + ")\n");
  });
}

void addSamples(CLI::App* raster) {
  struct Options {
    CommonOptions common;
    std::string features, labels, points, layer, where, output, name, label = "label";
    int labelBand = 1;
    std::size_t maxPerClass = 0;
    double ratio = 1;
    std::uint64_t seed = 42;
    std::vector<double> positive;
  };
  auto o = std::make_shared<Options>();
  CLI::App* c = raster->add_subcommand(
      "samples", "A training table (bands + label + x/y + row/col) from a label raster or hotspot points");
  c->add_option("--features", o->features, "Feature stack")->required();
  auto* labels = c->add_option("--labels", o->labels, "Label raster on the same grid");
  auto* points = c->add_option("--points", o->points, "Point layer of positives (hotspots)");
  labels->excludes(points);
  c->add_option("--label-band", o->labelBand, "Band of the label raster")->capture_default_str();
  c->add_option("--positive", o->positive, "Label values that are positive (default: non-zero)")->delimiter(',');
  c->add_option("--max-per-class", o->maxPerClass, "Keep at most N pixels per class (0 = all)");
  c->add_option("--background-ratio", o->ratio, "Background pixels per hotspot pixel")->capture_default_str();
  c->add_option("--layer", o->layer, "Layer of --points");
  c->add_option("--where", o->where, "OGR filter on --points");
  c->add_option("--label-name", o->label, "Name of the label column")->capture_default_str();
  c->add_option("--seed", o->seed, "Sampling seed")->capture_default_str();
  c->add_option("--output,-o", o->output, "CSV to write")->required();
  c->add_option("--name", o->name, "Register the CSV as a dataset version under this name");
  addCommonOptions(*c, o->common, true, "table|json");
  c->callback([o] {
    if (o->labels.empty() == o->points.empty()) throw InputError("give --labels RASTER or --points LAYER");
    auto progress = makeStderrProgress(o->common.quiet);
    const geo::RasterStack features = geo::RasterStack::open(o->features);
    geo::SampleOptions options;
    options.labelColumn = o->label;
    options.maxPerClass = o->maxPerClass;
    options.backgroundRatio = o->ratio;
    options.seed = o->seed;
    options.positiveValues = o->positive;
    geo::SampleSummary summary;
    table::Table samples;
    if (!o->labels.empty()) {
      const geo::RasterStack labelRaster = geo::RasterStack::open(o->labels);
      samples = geo::samplesFromLabelRaster(features, labelRaster, o->labelBand - 1, options, summary, *progress);
    } else {
      samples = geo::samplesFromPoints(features, {o->points, o->layer, o->where}, options, summary, *progress);
    }
    table::writeCsv(samples, o->output);
    nlohmann::json json = {{"output", o->output},
                           {"rows", samples.rowCount()},
                           {"positives", summary.positives},
                           {"negatives", summary.negatives},
                           {"skipped_nodata", summary.skippedNodata},
                           {"points_outside", summary.pointsOutside},
                           {"duplicate_points", summary.duplicatePoints}};
    std::string text = "Wrote " + o->output + ": " + std::to_string(summary.positives) + " positive and " +
                       std::to_string(summary.negatives) + " negative samples (" +
                       std::to_string(summary.skippedNodata) + " skipped for nodata)\n";
    if (!o->name.empty()) {
      store::Workspace workspace = o->common.openWorkspace(false);
      const pipeline::LoadedData data = pipeline::loadData(workspace, o->output);
      const store::DatasetRecord record = pipeline::registerLoaded(workspace, data, o->name);
      json["dataset"] = {{"name", record.name}, {"version", record.version}, {"sha256", record.sha256}};
      text += "Registered as dataset " + record.name + "@" + std::to_string(record.version) + "\n";
    }
    printResult(o->common, json, text);
  });
}

}  // namespace

void addRasterCommand(CLI::App& app) {
  CLI::App* raster = app.add_subcommand("raster", "Raster features: indices, change, terrain, proximity, stacks, samples, multi-date aggregates, INPE fire index, map evaluation, drift maps");
  raster->require_subcommand(1);
  addIndex(raster);
  addChange(raster);
  addTerrain(raster);
  addProximity(raster);
  addStack(raster);
  addSamples(raster);
  addRasterClimateCommands(raster);
  addRasterDriftCommand(raster);
}

}  // namespace geih::cli
