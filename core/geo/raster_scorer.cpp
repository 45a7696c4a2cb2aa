#include "core/geo/raster_scorer.h"

#include <gdal_priv.h>
#include <omp.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <future>
#include <sstream>
#include <thread>

#include "core/common/atomic_file.h"
#include "core/common/error.h"
#include "core/common/sha256.h"
#include "core/common/time_util.h"
#include "core/geo/geotiff_output.h"
#include "core/geo/pixel_area.h"
#include "core/geo/stack_windows.h"
#include "core/geo/window_pipeline.h"
#include "core/geo/window_scorer.h"

namespace geih::geo {

namespace {

constexpr int kHashingNiceness = 10;

namespace fs = std::filesystem;

std::string hexColour(const std::array<std::uint8_t, 3>& rgb) {
  char text[8];
  std::snprintf(text, sizeof text, "#%02x%02x%02x", rgb[0], rgb[1], rgb[2]);
  return text;
}

std::string escapeXml(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string qgisStyle(const std::vector<RiskClass>& classes) {
  std::ostringstream qml;
  qml << "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
         "<qgis version=\"3.28.0\" styleCategories=\"AllStyleCategories\">\n  <pipe>\n"
         "    <rasterrenderer type=\"paletted\" band=\"1\" opacity=\"1\" alphaBand=\"-1\" "
         "nodataColor=\"\">\n      <colorPalette>\n";
  for (std::size_t i = 0; i < classes.size(); ++i) {
    qml << "        <paletteEntry value=\"" << i << "\" color=\"" << hexColour(classes[i].rgb)
        << "\" label=\"" << escapeXml(classes[i].name) << "\" alpha=\"255\"/>\n";
  }
  qml << "      </colorPalette>\n    </rasterrenderer>\n  </pipe>\n</qgis>\n";
  return qml.str();
}

}  // namespace

ScoreSummary scoreRaster(const ml::Model& model, const RasterStack& input, const ScoreOptions& options,
                         Progress& progress) {
  if (options.classes.empty()) throw InputError("no risk classes");
  if (options.output.extension() != ".tif" && options.output.extension() != ".tiff") {
    throw InputError("--output '" + options.output.string() + "': use a .tif file name");
  }
  // Match features to bands before anything is written.
  const auto& inputs = model.pipeline().inputs();
  std::vector<int> bandOf;
  std::string missing;
  for (const ml::FeatureSpec& feature : inputs) {
    const auto band = input.bandIndex(feature.name);
    if (!band) missing += (missing.empty() ? "" : ", ") + feature.name;
    bandOf.push_back(band.value_or(-1));
  }
  if (!missing.empty()) {
    std::string needs;
    for (const auto& feature : inputs) needs += (needs.empty() ? "" : ", ") + feature.name;
    std::string has;
    for (const auto& name : input.bandNames()) has += (has.empty() ? "" : ", ") + name;
    throw InputError("raster '" + input.path().string() + "' has no band for " + missing +
                     ". The model needs: " + needs + ". The stack has: " + has +
                     " (name bands with --band-names or band descriptions)");
  }

  const Grid& grid = input.grid();
  ScoreSummary summary;
  summary.probabilityPath = options.output;
  const fs::path folder = options.output.parent_path().empty() ? fs::path(".") : options.output.parent_path();
  const std::string stem = options.output.stem().string();
  summary.classesPath = folder / (stem + "_classes.tif");
  summary.previewPath = folder / (stem + "_classes.png");
  summary.stylePath = folder / (stem + "_classes.qml");
  summary.sidecarPath = folder / (stem + ".json");
  std::error_code ec;
  fs::create_directories(folder, ec);

  // GDAL's block cache defaults to 5% of the RAM (over a GB here); strips are read and written
  // whole, so a small cache loses nothing and keeps memory bounded by the strip.
  constexpr std::int64_t kBlockCacheBytes = std::int64_t(32) << 20;
  if (GDALGetCacheMax64() > kBlockCacheBytes) GDALSetCacheMax64(kBlockCacheBytes);
  // The input's hash (for the sidecar) is computed beside the scoring: reading a multi-GB stack
  // again at the end would add its whole read time. Stopped early if scoring fails.
  std::atomic<bool> stopHashing{false};
  std::future<std::string> inputHash;
  if (options.inputSha256.empty()) {
    inputHash = std::async(std::launch::async, [&input, &stopHashing] {
      return sha256FileUnless(input.path(), stopHashing);
    });
  } else {
    std::promise<std::string> known;
    known.set_value(options.inputSha256);
    inputHash = known.get_future();
  }
  struct StopOnExit {
    std::atomic<bool>& flag;
    ~StopOnExit() { flag = true; }
  } stopOnExit{stopHashing};

  const int threads = options.threads > 0 ? options.threads : omp_get_max_threads();
  PendingFiles files;
  // One set of threads compresses the tiles of both outputs (declared first: outlives them).
  // While the input is hashed, the scoring threads yield to the hashing one: SHA-256 is serial, so
  // it is the end of a first map; sharing the cores evenly left it finishing alone for a second.
  const int niceness = options.inputSha256.empty() ? kHashingNiceness : 0;
  JobQueue encoders(threads, niceness);
  GeoTiffOutput probability(files, summary.probabilityPath, grid, 1, PixelType::Float32, threads,
                            options.compression, &encoders);
  GeoTiffOutput classes(files, summary.classesPath, grid, 1, PixelType::Byte, threads, options.compression,
                        &encoders);
  probability.describeBand(0, "probability", kProbabilityNodata);
  classes.describeBand(0, "risk class", kClassNodata);
  // The palette before any pixel: TIFF cannot change the photometric tag once writing began.
  ClassLegend legend;
  legend.nodataCode = kClassNodata;
  for (const RiskClass& riskClass : options.classes) {
    legend.names.push_back(riskClass.name);
    legend.colours.push_back(riskClass.rgb);
  }
  classes.setLegend(0, legend);

  std::string areaNote;
  const std::vector<double> areas = rowAreasKm2(grid, areaNote);
  std::vector<ClassArea> perClass(options.classes.size());
  for (std::size_t i = 0; i < perClass.size(); ++i) {
    perClass[i].name = options.classes[i].name;
    perClass[i].upper = options.classes[i].upper;
  }
  const std::size_t width = std::size_t(grid.width);
  // Bands are read as floats unless their type needs doubles (then the scores are exact too).
  std::vector<char> asDoubles;
  for (int band : bandOf) asDoubles.push_back(input.needsDoubles(band));
  const StackWindows windows(input, bandOf, asDoubles, threads, options.directReads);
  const WindowScorer scorer(model, input, windows, options.classes, areas);
  std::vector<WindowScorer::Buffers> workerBuffers;
  for (int worker = 0; worker < threads; ++worker) workerBuffers.push_back(scorer.makeBuffers());
  // Strips in flight, each with its output rows and its windows' tallies: one scored while the
  // other is written. A third bought no speed once tiles were compressed off the writing thread
  // (10000² logistic and GBDT maps alike) and cost a strip of memory (50 MB at 40000 columns).
  constexpr int kSlots = 2;
  const std::size_t stripValues = width * std::size_t(windows.height());
  std::array<std::vector<float>, kSlots> probabilityStrips;
  std::array<std::vector<std::uint8_t>, kSlots> classStrips;
  std::array<std::vector<WindowTally>, kSlots> stripTallies;
  for (int slot = 0; slot < kSlots; ++slot) {
    probabilityStrips[std::size_t(slot)].resize(stripValues);
    classStrips[std::size_t(slot)].resize(stripValues);
    stripTallies[std::size_t(slot)].resize(std::size_t(windows.across()));
  }
  const auto scoreWindow = [&](int slot, int strip, int column, int worker) {
    WindowScorer::Buffers& buffers = workerBuffers[std::size_t(worker)];
    windows.read(worker, column, strip, buffers.floatBands.data(), buffers.doubleBands.data());
    const PixelRect rect = windows.window(column, strip);
    scorer.score(buffers, rect, probabilityStrips[std::size_t(slot)].data() + rect.x,
                 classStrips[std::size_t(slot)].data() + rect.x, width,
                 stripTallies[std::size_t(slot)][std::size_t(column)]);
  };
  double sum = 0;
  const auto finishStrip = [&](int slot, int strip) {
    const PixelRect rect = windows.window(0, strip);
    std::size_t valid = 0;
    for (const WindowTally& tally : stripTallies[std::size_t(slot)]) {
      for (std::size_t k = 0; k < perClass.size(); ++k) {
        perClass[k].pixels += tally.pixels[k];
        perClass[k].areaKm2 += tally.areaKm2[k];
      }
      sum += tally.sum;
      valid += tally.valid;
    }
    summary.validPixels += valid;
    summary.nodataPixels += width * std::size_t(rect.height) - valid;
    // Classes first: their tiles are queued ahead of the probabilities', so at the end the
    // preview is made from the finished classes file while the last probability tiles compress.
    classes.writeRows(0, rect.y, rect.height, classStrips[std::size_t(slot)].data());
    probability.writeRows(0, rect.y, rect.height, probabilityStrips[std::size_t(slot)].data());
  };
  WindowPipelineShape shape;
  shape.strips = windows.down();
  shape.across = windows.across();
  shape.slots = kSlots;
  shape.workers = threads;
  shape.niceness = niceness;
  runWindowPipeline(shape, scoreWindow, finishStrip, progress, "scoring");
  progress.report(1.0, "scoring");

  summary.meanProbability = summary.validPixels ? sum / double(summary.validPixels) : 0.0;
  nlohmann::json classJson = nlohmann::json::array();
  for (std::size_t k = 0; k < perClass.size(); ++k) {
    ClassArea& area = perClass[k];
    area.share = summary.validPixels ? double(area.pixels) / double(summary.validPixels) : 0.0;
    const auto& rgb = options.classes[k].rgb;
    classJson.push_back({{"name", area.name},
                         {"upper", area.upper},
                         {"rgb", {rgb[0], rgb[1], rgb[2]}},
                         {"pixels", area.pixels},
                         {"area_km2", area.areaKm2},
                         {"share", area.share}});
  }

  progress.report(0.0, "building overviews");
  // The two files' last tiles and overviews, and the preview, on two threads: this tail is serial
  // otherwise (0.1-0.2 s of a 10000² map).
  std::exception_ptr probabilityFailure;
  std::thread probabilityFinisher([&] {
    try {
      probability.finish(options.cloudOptimized);
    } catch (...) {
      probabilityFailure = std::current_exception();
    }
  });
  try {
    classes.finish(options.cloudOptimized);
    if (options.drawPreview) {
      const PreviewImage image = classes.preview();
      const fs::path temporary = temporaryBeside(summary.previewPath);
      files.add(temporary, summary.previewPath);
      options.drawPreview(image, {{"model", options.modelDescription}, {"classes", classJson}}, temporary);
    } else {
      classes.copyAsPng(files, summary.previewPath);
    }
  } catch (...) {
    probabilityFinisher.join();
    throw;
  }
  probabilityFinisher.join();
  if (probabilityFailure) std::rethrow_exception(probabilityFailure);

  summary.classes = perClass;
  nlohmann::json bands = nlohmann::json::array();
  for (std::size_t f = 0; f < inputs.size(); ++f) {
    bands.push_back({{"feature", inputs[f].name}, {"band", bandOf[f] + 1}});
  }
  summary.sidecar = {
      {"model", options.modelDescription},
      {"model_sha256", options.modelSha256},
      {"run_id", options.runId},
      {"input", {{"path", fs::absolute(input.path()).string()}, {"sha256", inputHash.get()}}},
      {"bands", bands},
      {"grid", {{"width", grid.width}, {"height", grid.height},
                {"geotransform", grid.geoTransform}, {"crs_wkt", grid.projectionWkt}}},
      {"outputs", {{"probability", summary.probabilityPath.filename().string()},
                   {"classes", summary.classesPath.filename().string()},
                   {"preview", summary.previewPath.filename().string()},
                   {"qgis_style", summary.stylePath.filename().string()},
                   {"cloud_optimized", options.cloudOptimized}}},
      {"classes", classJson},
      {"valid_pixels", summary.validPixels},
      {"nodata_pixels", summary.nodataPixels},
      {"mean_probability", summary.meanProbability},
      {"created", isoUtc(nowMillis())}};
  if (!areaNote.empty()) summary.sidecar["area_note"] = areaNote;

  files.publish();
  writeFileAtomic(summary.stylePath, qgisStyle(options.classes));
  writeFileAtomic(summary.sidecarPath, summary.sidecar.dump(2) + "\n");
  return summary;
}

}  // namespace geih::geo
