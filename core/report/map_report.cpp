#include "core/report/map_report.h"

#include <fstream>
#include <regex>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/common/error.h"
#include "core/report/html_text.h"

namespace geih::report {

namespace fs = std::filesystem;

namespace {

std::string readBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// The CRS's name from its WKT (the first quoted string), or "none".
std::string crsName(const std::string& wkt) {
  static const std::regex firstName("^[A-Z]+\\[\"([^\"]*)\"");
  std::smatch match;
  if (std::regex_search(wkt, match, firstName)) return match[1];
  return wkt.empty() ? "none" : "unnamed";
}

std::string text(const nlohmann::json& json, const char* key) {
  return json.contains(key) && json[key].is_string() ? json[key].get<std::string>() : std::string("-");
}

}  // namespace

std::string riskMapReportHtml(const fs::path& map) {
  const fs::path sidecar = map.extension() == ".json" ? map : fs::path(map).replace_extension(".json");
  const std::string content = readBytes(sidecar);
  if (content.empty()) {
    throw InputError("no risk-map sidecar '" + sidecar.string() + "' (geih score-raster writes it beside the map)");
  }
  const nlohmann::json info = nlohmann::json::parse(content, nullptr, false);
  for (const char* key : {"model", "classes", "input", "outputs", "grid"}) {
    if (info.is_discarded() || !info.contains(key)) {
      throw InputError("'" + sidecar.string() + "' is not a risk-map sidecar: no \"" + key + "\"");
    }
  }
  std::ostringstream html;
  html << htmlPageStart("Risk map: " + sidecar.stem().string());
  html << "<p class=\"muted\">Model " << escapeHtml(text(info, "model")) << "<br>Run " << escapeHtml(text(info, "run_id"))
       << "<br>Created " << escapeHtml(text(info, "created")) << "</p>\n";

  const std::string preview = readBytes(sidecar.parent_path() / text(info["outputs"], "preview"));
  html << "<div class=\"grid\">";
  if (!preview.empty()) {
    html << "<div class=\"card\"><img alt=\"risk classes\" style=\"max-width:36em;image-rendering:pixelated\" "
            "src=\"data:image/png;base64,"
         << base64(preview) << "\"></div>";
  }
  html << "<div class=\"card\"><h3>Classes</h3><table><tr><th>Class</th><th>Probability</th><th>Area (km²)</th>"
          "<th>Share</th></tr>";
  double lower = 0;
  for (const auto& c : info["classes"]) {
    const auto rgb = c.value("rgb", std::vector<int>{128, 128, 128});
    const double upper = c.value("upper", 1.0);
    std::ostringstream colour;
    colour << "rgb(" << rgb.at(0) << "," << rgb.at(1) << "," << rgb.at(2) << ")";
    html << "<tr><td><span class=\"swatch\" style=\"color:" << colour.str() << "\">&#9632;</span> "
         << escapeHtml(c.value("name", std::string("?"))) << "</td><td>" << formatNumber(lower, 3) << " – "
         << formatNumber(upper, 3) << "</td><td class=\"num\">" << formatNumber(c.value("area_km2", 0.0), 5)
         << "</td><td class=\"num\">" << formatNumber(100 * c.value("share", 0.0), 3) << " %</td></tr>";
    lower = upper;
  }
  html << "</table><p class=\"muted\">" << info.value("valid_pixels", std::int64_t(0)) << " pixels scored, "
       << info.value("nodata_pixels", std::int64_t(0)) << " nodata; mean probability "
       << formatNumber(info.value("mean_probability", 0.0), 4) << "</p>";
  if (info.contains("area_note")) html << "<p class=\"muted\">" << escapeHtml(text(info, "area_note")) << "</p>";
  html << "</div></div>\n";

  html << "<h2>Lineage</h2>\n<table>"
       << "<tr><th>Model</th><td>" << escapeHtml(text(info, "model")) << "</td></tr>"
       << "<tr><th>Model SHA-256</th><td><code>" << escapeHtml(text(info, "model_sha256")) << "</code></td></tr>"
       << "<tr><th>Run</th><td><code>" << escapeHtml(text(info, "run_id")) << "</code></td></tr>"
       << "<tr><th>Input</th><td>" << escapeHtml(text(info["input"], "path")) << "</td></tr>"
       << "<tr><th>Input SHA-256</th><td><code>" << escapeHtml(text(info["input"], "sha256")) << "</code></td></tr>"
       << "<tr><th>Grid</th><td>" << info["grid"].value("width", 0) << " x " << info["grid"].value("height", 0)
       << " pixels, CRS " << escapeHtml(crsName(text(info["grid"], "crs_wkt"))) << "</td></tr>"
       << "<tr><th>Outputs</th><td>" << escapeHtml(text(info["outputs"], "probability")) << ", "
       << escapeHtml(text(info["outputs"], "classes")) << ", " << escapeHtml(text(info["outputs"], "preview")) << ", "
       << escapeHtml(text(info["outputs"], "qgis_style")) << "</td></tr></table>\n";
  if (info.contains("bands") && info["bands"].is_array()) {
    html << "<h2>Features read from the input</h2>\n<table><tr><th>Feature</th><th>Band</th></tr>";
    for (const auto& band : info["bands"]) {
      html << "<tr><td>" << escapeHtml(text(band, "feature")) << "</td><td class=\"num\">" << band.value("band", 0)
           << "</td></tr>";
    }
    html << "</table>\n";
  }
  html << "<p class=\"muted\">Generated by GEIH Workbench from " << escapeHtml(sidecar.filename().string()) << ".</p>\n"
       << htmlPageEnd();
  return html.str();
}

}  // namespace geih::report
