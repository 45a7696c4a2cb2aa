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

namespace geih::geo {

namespace {

namespace fs = std::filesystem;
constexpr float kProbabilityNodata = -9999.0f;
constexpr std::uint8_t kClassNodata = 255;
constexpr int kMinStripRows = 64;


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

// What one chunk of a strip adds to the map's summary; summed in chunk order afterwards, so the
// summary does not depend on the thread count.
struct ChunkTally {
  std::vector<std::size_t> pixels;
  std::vector<double> areaKm2;
  double sum = 0;
  std::size_t valid = 0;
  std::string error;
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
  const int stripRows = std::max(kMinStripRows, input.blockHeight());
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
  constexpr std::size_t kChunk = 8192;
  const ClassBounds bounds(options.classes);
  // Bands are read as floats unless their type needs doubles (then the scores are exact too).
  std::vector<char> wide(features, 0);
  for (std::size_t f = 0; f < features; ++f) wide[f] = input.needsDoubles(bandOf[f]);
  // Linear models are evaluated band by band over the strip (no pixel gather), when every band
  // is read as floats.
  const std::optional<ml::LinearForm> linear =
      dense && std::find(wide.begin(), wide.end(), 1) == wide.end() ? model.linearForm()
                                                                     : std::nullopt;
  // Two strips of input: the next strip is read on a thread of its own while this one is scored
  // (one read at a time, so the input dataset only ever has one user).
  struct StripInput {
    std::vector<std::vector<float>> floats;
    std::vector<std::vector<double>> doubles;
  };
  std::array<StripInput, 2> stripInputs;
  for (StripInput& buffers : stripInputs) {
    buffers.floats.resize(features);
    buffers.doubles.resize(features);
  }
  const auto readStrip = [&input, &bandOf, &wide, features, width](StripInput& into, int row, int rows) {
    const std::size_t pixels = width * std::size_t(rows);
    for (std::size_t f = 0; f < features; ++f) {
      if (wide[f]) {
        into.doubles[f].resize(pixels);
        input.readRows(bandOf[f], row, rows, into.doubles[f].data());
      } else {
        into.floats[f].resize(pixels);
        input.readRows(bandOf[f], row, rows, into.floats[f].data());
      }
    }
  };
  std::future<void> reading = std::async(std::launch::async, readStrip, std::ref(stripInputs[0]), 0,
                                         std::min(stripRows, grid.height));
  // Two sets of output rows: a strip is written (compressed, its overviews made) on a thread of
  // its own while the next one is read and scored. One write is in flight at a time, so strips
  // reach the files in order.
  std::array<std::vector<float>, 2> probabilityBuffers;
  std::array<std::vector<std::uint8_t>, 2> classBuffers;
  std::future<void> writing;
  int strip = 0;
  double sum = 0;
  for (int row = 0; row < grid.height; row += stripRows) {
    progress.checkCancelled();
    progress.report(double(row) / double(grid.height), "scoring");
    const int rows = std::min(stripRows, grid.height - row);
    const std::size_t pixels = width * std::size_t(rows);
    reading.get();  // this strip; rethrows a read failure
    const std::vector<std::vector<float>>& bandRows = stripInputs[std::size_t(strip % 2)].floats;
    const std::vector<std::vector<double>>& doubleRows = stripInputs[std::size_t(strip % 2)].doubles;
    if (row + rows < grid.height) {
      reading = std::async(std::launch::async, readStrip, std::ref(stripInputs[std::size_t((strip + 1) % 2)]),
                           row + rows, std::min(stripRows, grid.height - row - rows));
    }
    std::vector<float>& probabilityRows = probabilityBuffers[std::size_t(strip % 2)];
    std::vector<std::uint8_t>& classRows = classBuffers[std::size_t(strip % 2)];
    ++strip;
    probabilityRows.resize(pixels);
    classRows.resize(pixels);
    const std::size_t chunks = (pixels + kChunk - 1) / kChunk;
    std::vector<ChunkTally> tallies(chunks);
#pragma omp parallel num_threads(threads)
    {
      std::vector<double> raw(kChunk * features);
      std::vector<double> scratch;
      std::vector<double> scores(kChunk);
      std::vector<std::uint32_t> index(kChunk);
      std::vector<std::uint8_t> valid(kChunk);
      std::vector<const float*> columns(features);
#pragma omp for schedule(dynamic, 1)
      for (std::size_t c = 0; c < chunks; ++c) {
        ChunkTally& tally = tallies[c];
        try {
          const std::size_t begin = c * kChunk;
          const std::size_t end = std::min(pixels, begin + kChunk);
          // Valid pixels (no input band nodata or NaN): a mask built band by band (loops the
          // compiler vectorises), the valid indices compacted without branches, then their values
          // gathered row-major.
          const std::size_t length = end - begin;
          std::fill(valid.begin(), valid.begin() + std::ptrdiff_t(length), std::uint8_t(1));
          for (std::size_t f = 0; f < features; ++f) {
            const bool checkNodata = hasNodata[f] != 0;
            if (wide[f]) {
              const double* values = doubleRows[f].data() + begin;
              const double nodata = nodataValue[f];
              for (std::size_t i = 0; i < length; ++i) {
                valid[i] &= std::uint8_t((values[i] == values[i]) & !(checkNodata & (values[i] == nodata)));
              }
            } else {
              const float* values = bandRows[f].data() + begin;
              const auto nodata = float(nodataValue[f]);
              for (std::size_t i = 0; i < length; ++i) {
                valid[i] &= std::uint8_t((values[i] == values[i]) & !(checkNodata & (values[i] == nodata)));
              }
            }
          }
          if (linear) {
            // Every pixel of the chunk scored band by band, then classified row by row.
            for (std::size_t f = 0; f < features; ++f) columns[f] = bandRows[f].data() + begin;
            linear->predictColumns(columns, length, scores.data());
            tally.pixels.assign(perClass.size(), 0);
            tally.areaKm2.assign(perClass.size(), 0.0);
            std::vector<std::size_t> inRow(perClass.size());
            for (std::size_t from = begin; from < end;) {
              const std::size_t rowIndex = from / width;
              const std::size_t to = std::min(end, (rowIndex + 1) * width);
              std::fill(inRow.begin(), inRow.end(), 0);
              const RunTally run = classifyRun(
                  bounds, std::span<double>(scores.data() + (from - begin), to - from),
                  valid.data() + (from - begin), kProbabilityNodata, kClassNodata,
                  probabilityRows.data() + from, classRows.data() + from, inRow);
              for (std::size_t k = 0; k < inRow.size(); ++k) {
                tally.pixels[k] += inRow[k];
                tally.areaKm2[k] += double(inRow[k]) * areas[std::size_t(row) + rowIndex];
              }
              tally.sum += run.sum;
              tally.valid += run.valid;
              from = to;
            }
            continue;
          }
          std::size_t n = 0;
          for (std::size_t i = 0; i < length; ++i) {
            index[n] = std::uint32_t(begin + i);
            n += valid[i];
          }
          for (std::size_t f = 0; f < features; ++f) {
            double* out = raw.data() + f;
            if (wide[f]) {
              const double* values = doubleRows[f].data();
              for (std::size_t j = 0; j < n; ++j) out[j * features] = values[index[j]];
            } else {
              const float* values = bandRows[f].data();
              for (std::size_t j = 0; j < n; ++j) out[j * features] = double(values[index[j]]);
            }
          }
          std::fill(probabilityRows.begin() + std::ptrdiff_t(begin),
                    probabilityRows.begin() + std::ptrdiff_t(end), kProbabilityNodata);
          std::fill(classRows.begin() + std::ptrdiff_t(begin), classRows.begin() + std::ptrdiff_t(end),
                    kClassNodata);
          if (dense) {
            model.predictDense(raw.data(), n, scores.data(), scratch);
          } else {
            predictThroughTable(model, raw, n, categories, scores.data());
          }
          tally.pixels.assign(perClass.size(), 0);
          tally.areaKm2.assign(perClass.size(), 0.0);
          // Pixel area depends on the row only: count classes per row, weigh each row once.
          std::vector<std::size_t> inRow(perClass.size(), 0);
          std::size_t rowIndex = begin / width;
          std::size_t nextRowStart = (rowIndex + 1) * width;
          const auto closeRow = [&] {
            for (std::size_t k = 0; k < inRow.size(); ++k) {
              tally.pixels[k] += inRow[k];
              tally.areaKm2[k] += double(inRow[k]) * areas[std::size_t(row) + rowIndex];
              inRow[k] = 0;
            }
          };
          for (std::size_t i = 0; i < n; ++i) {
            const std::size_t p = index[i];
            if (p >= nextRowStart) {
              closeRow();
              rowIndex = p / width;
              nextRowStart = (rowIndex + 1) * width;
            }
            const double probability = std::clamp(scores[i], 0.0, 1.0);
            const std::size_t k = bounds.classOf(probability);
            probabilityRows[p] = float(probability);
            classRows[p] = std::uint8_t(k);
            inRow[k] += 1;
            tally.sum += probability;
          }
          closeRow();
          tally.valid = n;
        } catch (const std::exception& error) {
          tally.error = error.what();
        }
      }
    }
    for (const ChunkTally& tally : tallies) {
      if (!tally.error.empty()) throw InputError("scoring failed: " + tally.error);
      for (std::size_t k = 0; k < perClass.size(); ++k) {
        perClass[k].pixels += tally.pixels[k];
        perClass[k].areaKm2 += tally.areaKm2[k];
      }
      sum += tally.sum;
      summary.validPixels += tally.valid;
    }
    summary.nodataPixels += pixels - std::accumulate(tallies.begin(), tallies.end(), std::size_t(0),
                                                     [](std::size_t a, const ChunkTally& t) { return a + t.valid; });
    if (writing.valid()) writing.get();  // the previous strip; rethrows its failure
    writing = std::async(std::launch::async, [&probability, &classes, &probabilityRows, &classRows,
                                              row, rows] {
      probability.writeRows(0, row, rows, probabilityRows.data());
      classes.writeRows(0, row, rows, classRows.data());
    });
  }
  if (writing.valid()) writing.get();
  progress.report(1.0, "scoring");

  progress.report(0.0, "building overviews");
  classes.copyAsPng(files, summary.previewPath);
  probability.finish(options.cloudOptimized);
  classes.finish(options.cloudOptimized);

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
