#include "core/geo/raster_scorer.h"

#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <array>
#include <atomic>
#include <fstream>
#include <future>
#include <numeric>
#include <optional>
#include <sstream>

#include "core/common/atomic_file.h"
#include "core/common/error.h"
#include "core/common/sha256.h"
#include "core/common/time_util.h"
#include "core/geo/geotiff_output.h"
#include "core/geo/pixel_area.h"
#include "core/geo/stack_windows.h"
#include "core/geo/window_pipeline.h"

namespace geih::geo {

namespace {

namespace fs = std::filesystem;
constexpr float kProbabilityNodata = -9999.0f;
constexpr std::uint8_t kClassNodata = 255;
// Pixels scored at a time by one thread (a few rows of a window): their scores stay in cache.
constexpr std::size_t kScoreGroupPixels = 8192;


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

// Scores `count` pixels given row-major in `raw` (count x inputs) through a table, for models
// that need one (categorical inputs, derived features). Class codes of categorical bands become
// the band's category names ("forest"), else the code as text ("3"), as a CSV of samples holds it.
void predictThroughTable(const ml::Model& model, const std::vector<double>& raw, std::size_t count,
                         const std::vector<const std::vector<std::string>*>& categories, double* out) {
  const auto& inputs = model.pipeline().inputs();
  const std::size_t width = inputs.size();
  table::Table part;
  for (std::size_t f = 0; f < width; ++f) {
    if (inputs[f].type == table::ColumnType::Categorical) {
      const std::vector<std::string>& names = *categories[f];
      std::vector<std::string> codes;
      for (std::size_t i = 0; i < count; ++i) {
        const long long code = std::llround(raw[i * width + f]);
        codes.push_back(code >= 0 && std::size_t(code) < names.size() ? names[std::size_t(code)]
                                                                      : std::to_string(code));
      }
      part.addColumn(table::Column::categoricalFromStrings(inputs[f].name, codes));
    } else {
      std::vector<double> values(count);
      for (std::size_t i = 0; i < count; ++i) values[i] = raw[i * width + f];
      part.addColumn(table::Column::numeric(inputs[f].name, std::move(values)));
    }
  }
  model.predict(part, std::span<double>(out, count));
}

// What one window adds to the map's summary; summed in window order afterwards, so the summary
// does not depend on the thread count.
struct WindowTally {
  std::vector<std::size_t> pixels;
  std::vector<double> areaKm2;
  double sum = 0;
  std::size_t valid = 0;
};

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

  PendingFiles files;
  GeoTiffOutput probability(files, summary.probabilityPath, grid, 1, PixelType::Float32,
                            options.threads, options.compression);
  GeoTiffOutput classes(files, summary.classesPath, grid, 1, PixelType::Byte, options.threads,
                        options.compression);
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
  std::vector<const std::vector<std::string>*> categories;
  for (int band : bandOf) categories.push_back(&input.categoryNames(band));
  const int threads = options.threads > 0 ? options.threads : omp_get_max_threads();
  const std::size_t width = std::size_t(grid.width);
  const std::size_t features = inputs.size();
  const bool dense = model.acceptsDenseInput();
  // Band nodata as the value read back (a float band's nodata rounded to float).
  std::vector<double> nodataValue(features, 0.0);
  std::vector<char> hasNodata(features, 0);
  for (std::size_t f = 0; f < features; ++f) {
    if (const auto nodata = input.nodata(bandOf[f])) {
      nodataValue[f] = input.needsDoubles(bandOf[f]) ? *nodata : double(float(*nodata));
      hasNodata[f] = 1;
    }
  }
  const ClassBounds bounds(options.classes);
  // Bands are read as floats unless their type needs doubles (then the scores are exact too).
  std::vector<char> wide(features, 0);
  for (std::size_t f = 0; f < features; ++f) wide[f] = input.needsDoubles(bandOf[f]);
  // Linear models are evaluated band by band over a window (no pixel gather), when every band
  // is read as floats.
  const std::optional<ml::LinearForm> linear =
      dense && std::find(wide.begin(), wide.end(), 1) == wide.end() ? model.linearForm()
                                                                     : std::nullopt;
  const StackWindows windows(input, bandOf, wide, threads, options.directReads);
  const std::size_t stride = std::size_t(windows.width());
  const std::size_t windowValues = stride * std::size_t(windows.height());
  // A window is scored a group of rows at a time, so the scores stay in the core's cache.
  const std::size_t groupRows = std::max<std::size_t>(1, kScoreGroupPixels / stride);

  struct WorkerBuffers {
    std::vector<std::vector<float>> floats;
    std::vector<std::vector<double>> doubles;
    std::vector<float*> floatBands;
    std::vector<double*> doubleBands;
    std::vector<const float*> columns;
    std::vector<std::uint8_t> valid;
    std::vector<double> scores;
    std::vector<std::uint32_t> index;
    std::vector<double> raw;
    std::vector<double> scratch;
  };
  std::vector<WorkerBuffers> workerBuffers(static_cast<std::size_t>(threads));
  for (WorkerBuffers& buffers : workerBuffers) {
    buffers.floats.resize(features);
    buffers.doubles.resize(features);
    for (std::size_t f = 0; f < features; ++f) {
      if (wide[f]) {
        buffers.doubles[f].resize(windowValues);
      } else {
        buffers.floats[f].resize(windowValues);
      }
      buffers.floatBands.push_back(buffers.floats[f].data());
      buffers.doubleBands.push_back(buffers.doubles[f].data());
    }
    buffers.columns.resize(features);
    const std::size_t group = groupRows * stride;
    buffers.valid.resize(group);
    buffers.scores.resize(group);
    buffers.index.resize(group);
    buffers.raw.resize(group * features);
  }
  // Strips in flight, each with its output rows and its windows' tallies.
  constexpr int kSlots = 3;
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
    WorkerBuffers& buffers = workerBuffers[std::size_t(worker)];
    windows.read(worker, column, strip, buffers.floatBands.data(), buffers.doubleBands.data());
    const PixelRect rect = windows.window(column, strip);
    const std::size_t rectWidth = std::size_t(rect.width);
    float* probabilityOut = probabilityStrips[std::size_t(slot)].data() + rect.x;
    std::uint8_t* classOut = classStrips[std::size_t(slot)].data() + rect.x;
    WindowTally& tally = stripTallies[std::size_t(slot)][std::size_t(column)];
    tally.pixels.assign(perClass.size(), 0);
    tally.areaKm2.assign(perClass.size(), 0.0);
    tally.sum = 0;
    tally.valid = 0;
    std::vector<std::size_t> inRow(perClass.size());
    const auto addRow = [&](std::size_t windowRow) {
      const double area = areas[std::size_t(rect.y) + windowRow];
      for (std::size_t k = 0; k < inRow.size(); ++k) {
        tally.pixels[k] += inRow[k];
        tally.areaKm2[k] += double(inRow[k]) * area;
        inRow[k] = 0;
      }
    };
    for (std::size_t firstRow = 0; firstRow < std::size_t(rect.height); firstRow += groupRows) {
      const std::size_t rows = std::min(groupRows, std::size_t(rect.height) - firstRow);
      const std::size_t begin = firstRow * stride;
      const std::size_t length = rows * stride;
      // Valid pixels (no input band nodata or NaN): a mask built band by band, in loops the
      // compiler vectorises.
      std::uint8_t* valid = buffers.valid.data();
      std::fill(valid, valid + length, std::uint8_t(1));
      for (std::size_t f = 0; f < features; ++f) {
        const bool checkNodata = hasNodata[f] != 0;
        if (wide[f]) {
          const double* values = buffers.doubles[f].data() + begin;
          const double nodata = nodataValue[f];
          for (std::size_t i = 0; i < length; ++i) {
            valid[i] &= std::uint8_t((values[i] == values[i]) & !(checkNodata & (values[i] == nodata)));
          }
        } else {
          const float* values = buffers.floats[f].data() + begin;
          const auto nodata = float(nodataValue[f]);
          for (std::size_t i = 0; i < length; ++i) {
            valid[i] &= std::uint8_t((values[i] == values[i]) & !(checkNodata & (values[i] == nodata)));
          }
        }
      }
      if (linear) {
        // Every value of the rows scored band by band (the layout's spare columns too: cheaper
        // than skipping them), then the window's part of each row classified.
        for (std::size_t f = 0; f < features; ++f) buffers.columns[f] = buffers.floats[f].data() + begin;
        linear->predictColumns(buffers.columns, length, buffers.scores.data());
        for (std::size_t r = 0; r < rows; ++r) {
          const std::size_t outRow = (firstRow + r) * width;
          const RunTally run = classifyRun(bounds, std::span<double>(buffers.scores.data() + r * stride, rectWidth),
                                           valid + r * stride, kProbabilityNodata, kClassNodata,
                                           probabilityOut + outRow, classOut + outRow, inRow);
          addRow(firstRow + r);
          tally.sum += run.sum;
          tally.valid += run.valid;
        }
        continue;
      }
      // Other models: the valid pixels' indices compacted without branches, their values
      // gathered row-major, scored, and written back to their places.
      std::uint32_t* index = buffers.index.data();
      std::size_t n = 0;
      for (std::size_t r = 0; r < rows; ++r) {
        for (std::size_t c = 0; c < rectWidth; ++c) {
          index[n] = std::uint32_t(r * stride + c);
          n += valid[r * stride + c];
        }
      }
      for (std::size_t f = 0; f < features; ++f) {
        double* out = buffers.raw.data() + f;
        if (wide[f]) {
          const double* values = buffers.doubles[f].data() + begin;
          for (std::size_t j = 0; j < n; ++j) out[j * features] = values[index[j]];
        } else {
          const float* values = buffers.floats[f].data() + begin;
          for (std::size_t j = 0; j < n; ++j) out[j * features] = double(values[index[j]]);
        }
      }
      for (std::size_t r = 0; r < rows; ++r) {
        const std::size_t outRow = (firstRow + r) * width;
        std::fill(probabilityOut + outRow, probabilityOut + outRow + rectWidth, kProbabilityNodata);
        std::fill(classOut + outRow, classOut + outRow + rectWidth, kClassNodata);
      }
      try {
        if (dense) {
          model.predictDense(buffers.raw.data(), n, buffers.scores.data(), buffers.scratch);
        } else {
          predictThroughTable(model, buffers.raw, n, categories, buffers.scores.data());
        }
      } catch (const std::exception& error) {
        throw InputError(std::string("scoring failed: ") + error.what());
      }
      // Pixel area depends on the row only: count classes per row, weigh each row once.
      std::size_t row = 0;
      for (std::size_t i = 0; i < n; ++i) {
        const std::size_t r = index[i] / stride;
        const std::size_t c = index[i] % stride;
        while (row < r) addRow(firstRow + row++);
        const double probability = std::clamp(buffers.scores[i], 0.0, 1.0);
        const std::size_t k = bounds.classOf(probability);
        probabilityOut[(firstRow + r) * width + c] = float(probability);
        classOut[(firstRow + r) * width + c] = std::uint8_t(k);
        inRow[k] += 1;
        tally.sum += probability;
      }
      while (row < rows) addRow(firstRow + row++);
      tally.valid += n;
    }
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
    probability.writeRows(0, rect.y, rect.height, probabilityStrips[std::size_t(slot)].data());
    classes.writeRows(0, rect.y, rect.height, classStrips[std::size_t(slot)].data());
  };
  WindowPipelineShape shape;
  shape.strips = windows.down();
  shape.across = windows.across();
  shape.slots = kSlots;
  shape.workers = threads;
  runWindowPipeline(shape, scoreWindow, finishStrip, progress, "scoring");
  progress.report(1.0, "scoring");

  progress.report(0.0, "building overviews");
  probability.finish(options.cloudOptimized);
  classes.finish(options.cloudOptimized);
  // From the closed file: reading through the dataset still open for writing went through its
  // compression threads' machinery (a 2048² preview took 95 ms instead of 11).
  classes.copyAsPng(files, summary.previewPath);

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
