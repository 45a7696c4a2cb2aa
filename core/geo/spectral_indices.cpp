#include "core/geo/spectral_indices.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>

#include "core/common/error.h"
#include "core/geo/geotiff_output.h"

namespace geih::geo {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr float kNodata = -9999.0f;

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return text;
}

double normalisedDifference(double a, double b) {
  const double sum = a + b;
  if (std::isnan(sum) || sum == 0) return kNaN;
  return (a - b) / sum;
}

const std::map<std::string, std::map<std::string, int>>& sensorPresets() {
  static const std::map<std::string, std::map<std::string, int>> presets = {
      {"landsat5", {{"blue", 1}, {"green", 2}, {"red", 3}, {"nir", 4}, {"swir1", 5}, {"swir2", 6}}},
      {"landsat7", {{"blue", 1}, {"green", 2}, {"red", 3}, {"nir", 4}, {"swir1", 5}, {"swir2", 6}}},
      {"landsat8", {{"blue", 2}, {"green", 3}, {"red", 4}, {"nir", 5}, {"swir1", 6}, {"swir2", 7}}},
      {"landsat9", {{"blue", 2}, {"green", 3}, {"red", 4}, {"nir", 5}, {"swir1", 6}, {"swir2", 7}}},
  };
  return presets;
}

std::string bandList(const RasterStack& stack) {
  std::string out;
  for (std::size_t b = 0; b < stack.bandNames().size(); ++b) {
    out += (out.empty() ? "" : ", ") + std::to_string(b + 1) + ":" + stack.bandNames()[b];
  }
  return out;
}

}  // namespace

SpectralIndex parseSpectralIndex(const std::string& name) {
  const std::string key = lower(name);
  if (key == "ndvi") return SpectralIndex::Ndvi;
  if (key == "evi") return SpectralIndex::Evi;
  if (key == "nbr") return SpectralIndex::Nbr;
  if (key == "ndmi") return SpectralIndex::Ndmi;
  throw InputError("unknown spectral index '" + name + "' (known: ndvi, evi, nbr, ndmi)");
}

std::string indexName(SpectralIndex index) {
  switch (index) {
    case SpectralIndex::Ndvi: return "ndvi";
    case SpectralIndex::Evi: return "evi";
    case SpectralIndex::Nbr: return "nbr";
    case SpectralIndex::Ndmi: return "ndmi";
  }
  return "?";
}

std::vector<std::string> rolesOf(SpectralIndex index) {
  switch (index) {
    case SpectralIndex::Ndvi: return {"red", "nir"};
    case SpectralIndex::Evi: return {"blue", "red", "nir"};
    case SpectralIndex::Nbr: return {"nir", "swir2"};
    case SpectralIndex::Ndmi: return {"nir", "swir1"};
  }
  return {};
}

double ndvi(double red, double nir) { return normalisedDifference(nir, red); }
double nbr(double nir, double swir2) { return normalisedDifference(nir, swir2); }
double ndmi(double nir, double swir1) { return normalisedDifference(nir, swir1); }

double evi(double blue, double red, double nir) {
  const double denominator = nir + 6.0 * red - 7.5 * blue + 1.0;
  if (std::isnan(denominator) || denominator == 0) return kNaN;
  return 2.5 * (nir - red) / denominator;
}

BandRoles resolveBandRoles(const RasterStack& stack, const std::vector<std::string>& mapping,
                           const std::string& sensor) {
  BandRoles roles;
  const int bands = int(stack.bandNames().size());
  if (!sensor.empty()) {
    const auto preset = sensorPresets().find(lower(sensor));
    if (preset == sensorPresets().end()) {
      throw InputError("unknown sensor '" + sensor + "' (known: landsat5, landsat7, landsat8, landsat9)");
    }
    for (const auto& [role, band] : preset->second) {
      if (band <= bands) roles[role] = band - 1;
    }
  } else {
    for (int b = 0; b < bands; ++b) {
      const std::string name = lower(stack.bandNames()[std::size_t(b)]);
      for (const char* role : {"blue", "green", "red", "nir", "swir1", "swir2"}) {
        if (name == role) roles[role] = b;
      }
    }
  }
  for (const std::string& item : mapping) {
    const auto equals = item.find('=');
    if (equals == std::string::npos || equals == 0 || equals + 1 == item.size()) {
      throw InputError("band mapping '" + item + "': write role=band, e.g. red=3 or nir=B4");
    }
    const std::string role = lower(item.substr(0, equals));
    const std::string band = item.substr(equals + 1);
    if (const auto named = stack.bandIndex(band)) {
      roles[role] = *named;
      continue;
    }
    const bool numeric = std::all_of(band.begin(), band.end(), [](unsigned char c) { return std::isdigit(c); });
    const int number = numeric && band.size() < 6 ? std::stoi(band) : 0;
    if (number < 1 || number > bands) {
      throw InputError("band mapping '" + item + "': '" + stack.path().string() + "' has no band '" +
                       band + "' (bands: " + bandList(stack) + ")");
    }
    roles[role] = number - 1;
  }
  return roles;
}

void computeIndex(SpectralIndex index, const std::map<std::string, const double*>& bands,
                  std::size_t pixels, double scale, double offset, double* out) {
  auto value = [&](const char* role, std::size_t p) { return bands.at(role)[p] * scale + offset; };
  for (std::size_t p = 0; p < pixels; ++p) {
    switch (index) {
      case SpectralIndex::Ndvi: out[p] = ndvi(value("red", p), value("nir", p)); break;
      case SpectralIndex::Evi: out[p] = evi(value("blue", p), value("red", p), value("nir", p)); break;
      case SpectralIndex::Nbr: out[p] = nbr(value("nir", p), value("swir2", p)); break;
      case SpectralIndex::Ndmi: out[p] = ndmi(value("nir", p), value("swir1", p)); break;
    }
  }
}

// Reads the bands of `roles` for rows [row, row + rows), with nodata turned into NaN.
void readRoleRows(const RasterStack& stack, const BandRoles& roles, const std::vector<std::string>& needed,
                  int row, int rows, std::map<std::string, std::vector<double>>& buffers) {
  const std::size_t pixels = std::size_t(stack.grid().width) * std::size_t(rows);
  for (const std::string& role : needed) {
    std::vector<double>& buffer = buffers[role];
    buffer.resize(pixels);
    const int band = roles.at(role);
    stack.readRows(band, row, rows, buffer.data());
    if (const auto nodata = stack.nodata(band)) {
      for (double& v : buffer) {
        if (v == *nodata) v = kNaN;
      }
    }
  }
}

void requireRoles(const RasterStack& stack, const BandRoles& roles, SpectralIndex index) {
  for (const std::string& role : rolesOf(index)) {
    if (!roles.count(role)) {
      throw InputError(indexName(index) + " needs a " + role + " band; '" + stack.path().string() +
                       "' has " + bandList(stack) +
                       " (name it with --band " + role + "=N or choose a --sensor preset)");
    }
  }
}

void writeIndexRaster(const RasterStack& stack, const IndexOptions& options,
                      const std::filesystem::path& output, Progress& progress) {
  if (options.indices.empty()) throw InputError("no index asked for");
  std::vector<std::string> needed;
  for (SpectralIndex index : options.indices) {
    requireRoles(stack, options.roles, index);
    for (const std::string& role : rolesOf(index)) {
      if (std::find(needed.begin(), needed.end(), role) == needed.end()) needed.push_back(role);
    }
  }
  const Grid& grid = stack.grid();
  PendingFiles files;
  GeoTiffOutput raster(files, output, grid, int(options.indices.size()), PixelType::Float32);
  for (std::size_t i = 0; i < options.indices.size(); ++i) {
    raster.describeBand(int(i), indexName(options.indices[i]), kNodata);
  }
  const int stripRows = std::max(64, stack.blockHeight());
  std::map<std::string, std::vector<double>> buffers;
  std::vector<double> values;
  std::vector<float> strip;
  for (int row = 0; row < grid.height; row += stripRows) {
    progress.checkCancelled();
    progress.report(double(row) / grid.height, "indices");
    const int rows = std::min(stripRows, grid.height - row);
    const std::size_t pixels = std::size_t(grid.width) * std::size_t(rows);
    readRoleRows(stack, options.roles, needed, row, rows, buffers);
    std::map<std::string, const double*> bands;
    for (const auto& [role, buffer] : buffers) bands[role] = buffer.data();
    values.resize(pixels);
    strip.resize(pixels);
    for (std::size_t i = 0; i < options.indices.size(); ++i) {
      computeIndex(options.indices[i], bands, pixels, options.scale, options.offset, values.data());
      for (std::size_t p = 0; p < pixels; ++p) {
        strip[p] = std::isnan(values[p]) ? kNodata : float(values[p]);
      }
      raster.writeRows(int(i), row, rows, strip.data());
    }
  }
  progress.report(1.0, "indices");
  raster.finish();
  files.publish();
}

}  // namespace geih::geo
