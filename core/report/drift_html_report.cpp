#include "core/report/drift_html_report.h"

#include <sstream>

#include "core/report/html_text.h"
#include "core/report/svg_chart.h"

namespace geih::report {

namespace {

constexpr const char* kStyle =
    "body{font-family:system-ui,sans-serif;max-width:70em;margin:1.5em auto;color:#222;"
    "padding:0 1em}h1{font-size:1.5em}.verdict{padding:.8em 1em;border-radius:6px;font-size:1.1em;"
    "margin:1em 0}.drift{background:#fdecea;border:1px solid #e57373}.nodrift{background:#e8f5e9;"
    "border:1px solid #81c784}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px "
    "solid #ddd;padding:.3em .5em;text-align:left}td.num{text-align:right;font-variant-numeric:"
    "tabular-nums}tr.drifted td{background:#fff3f0}.tag{font-weight:bold;color:#c62828}"
    ".ok{color:#2e7d32}.grid{display:flex;flex-wrap:wrap;gap:1em}.card{border:1px solid #ddd;"
    "border-radius:6px;padding:.5em}.card h3{font-size:1em;margin:.2em 0}.muted{color:#666}";

}  // namespace

std::string driftReportHtml(const drift::DriftReport& report, const DriftReportContext& context) {
  std::ostringstream html;
  html << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
       << escapeHtml(context.title) << "</title><style>" << kStyle << "</style></head><body>\n";
  html << "<h1>" << escapeHtml(context.title) << "</h1>\n";
  html << "<p class=\"muted\">Reference: " << escapeHtml(context.reference) << " ("
       << report.referenceRows << " rows)<br>Current: " << escapeHtml(context.current) << " ("
       << report.currentRows << " rows)";
  if (!context.model.empty()) html << "<br>Model: " << escapeHtml(context.model);
  if (!context.created.empty()) html << "<br>Created: " << escapeHtml(context.created);
  html << "</p>\n";

  html << "<div class=\"verdict " << (report.datasetDrift ? "drift" : "nodrift") << "\"><b>"
       << (report.datasetDrift ? "Dataset drift detected" : "No dataset drift") << "</b>: "
       << report.driftedCount << " of " << report.testedCount << " features drifted ("
       << formatNumber(report.shareDrifted * 100, 3) << "%; the verdict is drift at "
       << formatNumber(report.driftShareThreshold * 100, 3) << "%)";
  if (report.correction != drift::Correction::None) {
    html << "; p-value thresholds corrected (" << drift::correctionName(report.correction) << ")";
  }
  html << ".</div>\n";

  html << "<h2>Features</h2>\n<table><tr><th>feature</th><th>type</th><th>test</th>"
          "<th>statistic</th><th>p-value</th><th>threshold</th><th>drift</th><th>missing "
          "(ref &rarr; cur)</th><th>notes</th></tr>\n";
  for (const drift::ColumnDrift& column : report.columns) {
    html << "<tr" << (column.drifted ? " class=\"drifted\"" : "") << "><td>"
         << escapeHtml(column.name) << "</td><td>" << escapeHtml(column.type) << "</td><td>"
         << escapeHtml(column.test) << "</td><td class=\"num\">"
         << (column.error.empty() ? formatNumber(column.statistic) : "") << "</td><td class=\"num\">"
         << (column.pValue ? formatNumber(*column.pValue) : "") << "</td><td class=\"num\">"
         << formatNumber(column.threshold) << "</td><td>"
         << (!column.error.empty() ? "<span class=\"muted\">not tested</span>"
             : column.drifted      ? "<span class=\"tag\">DRIFT</span>"
                                   : "<span class=\"ok\">ok</span>")
         << "</td><td class=\"num\">" << formatNumber(column.quality.referenceMissingShare * 100, 3)
         << "% &rarr; " << formatNumber(column.quality.currentMissingShare * 100, 3) << "%</td><td>";
    std::string notes;
    if (!column.error.empty()) notes += escapeHtml(column.error);
    if (!column.quality.newCategories.empty()) {
      notes += (notes.empty() ? "" : "; ") + std::string("new categories: ");
      for (std::size_t i = 0; i < column.quality.newCategories.size(); ++i) {
        notes += (i ? ", " : "") + escapeHtml(column.quality.newCategories[i]);
      }
    }
    if (column.quality.outOfRangeShare > 0) {
      notes += (notes.empty() ? "" : "; ") + formatNumber(column.quality.outOfRangeShare * 100, 3) +
               "% outside the reference range";
    }
    html << notes << "</td></tr>\n";
  }
  html << "</table>\n";

  if (!report.onlyInReference.empty() || !report.onlyInCurrent.empty() ||
      !report.typeChanges.empty()) {
    html << "<h2>Schema differences</h2>\n<ul>\n";
    for (const std::string& name : report.onlyInReference) {
      html << "<li>missing from the current data: " << escapeHtml(name) << "</li>\n";
    }
    for (const std::string& name : report.onlyInCurrent) {
      html << "<li>new in the current data: " << escapeHtml(name) << "</li>\n";
    }
    for (const std::string& change : report.typeChanges) {
      html << "<li>type changed: " << escapeHtml(change) << "</li>\n";
    }
    html << "</ul>\n";
  }

  html << "<h2>Distributions</h2>\n<div class=\"grid\">\n";
  for (const drift::ColumnDrift& column : report.columns) {
    if (column.histogram.labels.empty()) continue;
    html << "<div class=\"card\"><h3>" << escapeHtml(column.name)
         << (column.drifted ? " <span class=\"tag\">DRIFT</span>" : "") << "</h3>"
         << histogramOverlaySvg(column.histogram.labels, column.histogram.reference,
                                column.histogram.current)
         << "</div>\n";
  }
  html << "</div>\n<p class=\"muted\">Generated by GEIH Workbench.</p>\n</body></html>\n";
  return html.str();
}

}  // namespace geih::report
