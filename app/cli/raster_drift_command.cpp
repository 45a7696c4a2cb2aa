// geih raster drift: a drift map of two rasters of the same place, tile by tile (core/geo/raster_drift.h).
#include <iostream>
#include <optional>

#include "app/cli/cli_context.h"
#include "app/cli/commands.h"
#include "core/common/error.h"
#include "core/geo/raster_drift.h"

namespace geih::cli {

void addRasterDriftCommand(CLI::App* raster) {
  struct Options {
    CommonOptions common;
    std::string reference, current, output, test = "psi";
    std::vector<std::string> features;
    int tile = 64, minPixels = 50, bins = 10;
    std::optional<double> threshold;
  };
  auto o = std::make_shared<Options>();
  CLI::App* c = raster->add_subcommand(
      "drift", "Drift map: PSI or KS per feature and the share of drifted features in each tile of two rasters of one place");
  c->add_option("--reference", o->reference, "Raster the model was trained on (bands named as features)")->required();
  c->add_option("--current", o->current, "Raster of now, on the same grid")->required();
  c->add_option("--output,-o", o->output, "GeoTIFF with one pixel per tile: <feature>_psi|_ks bands and share_drifted")->required();
  c->add_option("--tile", o->tile, "Tile side in pixels")->capture_default_str();
  c->add_option("--test", o->test, "psi or ks (the KS statistic D)")->capture_default_str();
  c->add_option("--threshold", o->threshold, "A tile's feature drifts at or above this (default 0.1 for both)");
  c->add_option("--features", o->features, "Bands to compare (default: every name both rasters hold)")->delimiter(',');
  c->add_option("--min-pixels", o->minPixels, "Tiles with fewer valid pixels on a side are nodata")->capture_default_str();
  c->add_option("--bins", o->bins, "PSI bins (reference tile quantiles)")->capture_default_str();
  addCommonOptions(*c, o->common, true, "table|json");
  c->callback([o] {
    auto progress = makeStderrProgress(o->common.quiet);
    geo::RasterDriftOptions options;
    options.tileSize = o->tile;
    if (o->test == "psi") {
      options.test = geo::TileDriftTest::Psi;
    } else if (o->test == "ks") {
      options.test = geo::TileDriftTest::Ks;
    } else {
      throw InputError("unknown --test '" + o->test + "' (choose psi or ks)");
    }
    if (o->threshold) options.threshold = *o->threshold;
    options.features = o->features;
    options.minPixels = o->minPixels;
    options.bins = o->bins;
    const geo::RasterStack reference = geo::RasterStack::open(o->reference);
    const geo::RasterStack current = geo::RasterStack::open(o->current);
    const geo::RasterDriftSummary s = geo::writeRasterDriftMap(reference, current, options, o->output, *progress);
    nlohmann::json features = nlohmann::json::array();
    TextTable table{{"feature", "drifted tiles", "share of tiles", "mean " + o->test}, {}};
    for (const auto& f : s.features) {
      const double share = s.validTiles ? double(f.driftedTiles) / double(s.validTiles) : 0.0;
      features.push_back({{"name", f.name}, {"drifted_tiles", f.driftedTiles}, {"share_of_tiles", share},
                          {"mean_statistic", f.meanStatistic}});
      table.rows.push_back({f.name, std::to_string(f.driftedTiles), formatNumber(share, 3), formatNumber(f.meanStatistic)});
    }
    if (o->common.outputFormat() == OutputFormat::Json) {
      printJson({{"output", o->output}, {"test", o->test}, {"threshold", options.threshold},
                 {"tiles_x", s.tilesX}, {"tiles_y", s.tilesY}, {"valid_tiles", s.validTiles},
                 {"mean_share_drifted", s.meanShareDrifted}, {"features", features}});
      return;
    }
    printTable(table, OutputFormat::Table);
    std::cout << "Wrote " << o->output << " (" << s.tilesX << " x " << s.tilesY << " tiles of " << o->tile
              << " px, " << s.validTiles << " valid; mean share of drifted features "
              << formatNumber(s.meanShareDrifted, 3) << ")\n";
  });
}

}  // namespace geih::cli
