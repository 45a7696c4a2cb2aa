#include "core/geo/raster_scorer.h"

#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <omp.h>

#include <cmath>
#include <cstdio>
#include <fstream>
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

// Scores `count` valid pixels whose band values are in `columns` (one vector per model input).
void predictPixels(const ml::Model& model, const std::vector<std::vector<double>>& columns,
                   const std::vector<const std::vector<std::string>*>& categories,
                   std::size_t count, std::vector<double>& out, int threads) {
  const auto& inputs = model.pipeline().inputs();
  out.assign(count, 0.0);
  const int chunks = std::max(1, std::min<int>(threads, int((count + 4095) / 4096)));
  std::vector<std::string> errors(static_cast<std::size_t>(chunks));
#pragma omp parallel for num_threads(chunks) schedule(static, 1)
  for (int chunk = 0; chunk < chunks; ++chunk) {
    const std::size_t begin = count * std::size_t(chunk) / std::size_t(chunks);
    const std::size_t end = count * std::size_t(chunk + 1) / std::size_t(chunks);
    try {
      table::Table part;
      for (std::size_t f = 0; f < inputs.size(); ++f) {
        const auto first = columns[f].begin() + std::ptrdiff_t(begin);
        const auto last = columns[f].begin() + std::ptrdiff_t(end);
        if (inputs[f].type == table::ColumnType::Categorical) {
          // Class codes become the band's category names when it has them ("forest"), else the
          // code as text ("3"), as a CSV of samples would hold it.
          const std::vector<std::string>& names = *categories[f];
          std::vector<std::string> codes;
          for (auto it = first; it != last; ++it) {
            const long long code = std::llround(*it);
            codes.push_back(code >= 0 && std::size_t(code) < names.size() ? names[std::size_t(code)]
                                                                          : std::to_string(code));
          }
          part.addColumn(table::Column::categoricalFromStrings(inputs[f].name, codes));
        } else {
          part.addColumn(table::Column::numeric(inputs[f].name, std::vector<double>(first, last)));
        }
      }
      model.predict(part, std::span<double>(out.data() + begin, end - begin));
    } catch (const std::exception& error) {
      errors[std::size_t(chunk)] = error.what();
    }
  }
  for (const std::string& error : errors) {
    if (!error.empty()) throw InputError("scoring failed: " + error);
  }
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

  PendingFiles files;
  GeoTiffOutput probability(files, summary.probabilityPath, grid, 1, PixelType::Float32);
  GeoTiffOutput classes(files, summary.classesPath, grid, 1, PixelType::Byte);
  probability.describeBand(0, "probability", kProbabilityNodata);
  classes.describeBand(0, "risk class", kClassNodata);

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
  std::vector<std::vector<double>> bandRows(inputs.size());
  std::vector<float> probabilityRows;
  std::vector<std::uint8_t> classRows;
  std::vector<double> scores;
  double sum = 0;
  for (int row = 0; row < grid.height; row += stripRows) {
    progress.checkCancelled();
    progress.report(double(row) / double(grid.height), "scoring");
    const int rows = std::min(stripRows, grid.height - row);
    const std::size_t pixels = width * std::size_t(rows);
    for (std::size_t f = 0; f < inputs.size(); ++f) {
      bandRows[f].resize(pixels);
      input.readRows(bandOf[f], row, rows, bandRows[f].data());
    }
    // Valid pixels: no input band is nodata or NaN there.
    std::vector<std::size_t> valid;
    valid.reserve(pixels);
    for (std::size_t p = 0; p < pixels; ++p) {
      bool ok = true;
      for (std::size_t f = 0; f < inputs.size() && ok; ++f) {
        const double value = bandRows[f][p];
        const auto nodata = input.nodata(bandOf[f]);
        ok = !std::isnan(value) && !(nodata && value == *nodata);
      }
      if (ok) valid.push_back(p);
    }
    std::vector<std::vector<double>> columns(inputs.size(), std::vector<double>(valid.size()));
    for (std::size_t f = 0; f < inputs.size(); ++f) {
      for (std::size_t i = 0; i < valid.size(); ++i) columns[f][i] = bandRows[f][valid[i]];
    }
    predictPixels(model, columns, categories, valid.size(), scores, threads);

    probabilityRows.assign(pixels, kProbabilityNodata);
    classRows.assign(pixels, kClassNodata);
    for (std::size_t i = 0; i < valid.size(); ++i) {
      const double p = std::clamp(scores[i], 0.0, 1.0);
      const std::size_t k = classify(options.classes, p);
      probabilityRows[valid[i]] = float(p);
      classRows[valid[i]] = std::uint8_t(k);
      perClass[k].pixels += 1;
      perClass[k].areaKm2 += areas[std::size_t(row) + valid[i] / width];
      sum += p;
    }
    summary.validPixels += valid.size();
    summary.nodataPixels += pixels - valid.size();
    probability.writeRows(0, row, rows, probabilityRows.data());
    classes.writeRows(0, row, rows, classRows.data());
  }
  progress.report(1.0, "scoring");

  ClassLegend legend;
  legend.nodataCode = kClassNodata;
  for (const RiskClass& riskClass : options.classes) {
    legend.names.push_back(riskClass.name);
    legend.colours.push_back(riskClass.rgb);
  }
  classes.setLegend(0, legend);
  progress.report(0.0, "building overviews");
  classes.copyAsPng(files, summary.previewPath);
  probability.finish(options.cloudOptimized);
  classes.finish(options.cloudOptimized);

  summary.meanProbability = summary.validPixels ? sum / double(summary.validPixels) : 0.0;
  nlohmann::json classJson = nlohmann::json::array();
  for (ClassArea& area : perClass) {
    area.share = summary.validPixels ? double(area.pixels) / double(summary.validPixels) : 0.0;
    classJson.push_back({{"name", area.name},
                         {"upper", area.upper},
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
      {"input", {{"path", fs::absolute(input.path()).string()}, {"sha256", sha256File(input.path())}}},
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
