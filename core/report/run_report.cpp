#include "core/report/run_report.h"

#include <algorithm>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/common/time_util.h"
#include "core/eval/curves.h"
#include "core/report/html_text.h"
#include "core/report/svg_chart.h"
#include "core/store/monitoring_alerts.h"
#include "core/store/registry.h"
#include "core/store/workspace.h"

namespace geih::report {

namespace {

std::string cell(const std::string& text, bool number = false) {
  return std::string(number ? "<td class=\"num\">" : "<td>") + escapeHtml(text) + "</td>";
}

void keyValueTable(std::ostringstream& html, const std::vector<std::pair<std::string, std::string>>& rows) {
  html << "<table>";
  for (const auto& [key, value] : rows) html << "<tr><th>" << escapeHtml(key) << "</th>" << cell(value) << "</tr>";
  html << "</table>\n";
}

std::optional<nlohmann::json> curveJson(const std::vector<store::CurveRecord>& curves, const std::string& name) {
  for (const auto& curve : curves) {
    if (curve.name == name) {
      nlohmann::json json = nlohmann::json::parse(curve.json, nullptr, false);
      if (!json.is_discarded()) return json;
    }
  }
  return std::nullopt;
}

void lineage(std::ostringstream& html, const store::Workspace& workspace, const store::RunDetail& detail) {
  const store::RunSummary& run = detail.summary;
  std::vector<std::pair<std::string, std::string>> rows = {
      {"Run", run.name + " (" + run.id + ")"},
      {"Experiment", workspace.experiment(run.experimentId).name},
      {"Status", store::runStatusName(run.status)},
      {"Started", isoUtc(run.startMs)},
  };
  if (run.endMs) {
    rows.emplace_back("Ended", isoUtc(*run.endMs));
    rows.emplace_back("Duration", formatNumber(double(*run.endMs - run.startMs) / 1000.0, 4) + " s");
  }
  if (detail.seed) rows.emplace_back("Seed", std::to_string(*detail.seed));
  if (!detail.gitCommit.empty()) rows.emplace_back("Git commit", detail.gitCommit);
  if (!detail.configHash.empty()) rows.emplace_back("Config hash", detail.configHash);
  if (!run.parentRunId.empty()) rows.emplace_back("Parent run", run.parentRunId);
  if (!run.note.empty()) rows.emplace_back("Note", run.note);
  keyValueTable(html, rows);
  html << "<h2>Data lineage</h2>\n";
  if (detail.datasets.empty()) {
    html << "<p class=\"muted\">No registered dataset is linked to this run.</p>\n";
  } else {
    html << "<table><tr><th>Role</th><th>Dataset</th><th>Version</th><th>Rows</th><th>SHA-256</th></tr>";
    for (const store::RunDataset& input : detail.datasets) {
      html << "<tr>" << cell(input.role) << cell(input.dataset.name) << cell(std::to_string(input.dataset.version), true)
           << cell(std::to_string(input.dataset.rows), true) << "<td><code>" << escapeHtml(input.dataset.sha256)
           << "</code></td></tr>";
    }
    html << "</table>\n";
  }
}

void paramsAndMetrics(std::ostringstream& html, const store::RunSummary& run) {
  html << "<h2>Parameters</h2>\n";
  if (run.params.empty()) {
    html << "<p class=\"muted\">None logged.</p>\n";
  } else {
    std::vector<std::pair<std::string, std::string>> rows(run.params.begin(), run.params.end());
    keyValueTable(html, rows);
  }
  html << "<h2>Metrics</h2>\n<table><tr><th>Metric</th><th>Value</th></tr>";
  for (const auto& [key, value] : run.metrics) html << "<tr>" << cell(key) << cell(formatNumber(value, 6), true) << "</tr>";
  html << "</table>\n";
}

void charts(std::ostringstream& html, const store::Workspace& workspace, const store::RunSummary& run) {
  const std::vector<store::CurveRecord> curves = workspace.curves(run.id);
  const auto metric = [&](const char* key) {
    const auto it = run.metrics.find(key);
    return it == run.metrics.end() ? std::string() : " " + formatNumber(it->second, 4);
  };
  std::vector<std::string> cards;
  for (const auto& [name, title, metricKey, diagonal] :
       {std::tuple{"roc", "ROC curve", "roc_auc", true}, std::tuple{"pr", "Precision-recall", "average_precision", false}}) {
    const auto json = curveJson(curves, name);
    if (!json) continue;
    const eval::Curve curve = eval::curveFromJson(*json);
    LineSeries series;
    series.name = std::string(name == std::string("roc") ? "AUC" : "AP") + metric(metricKey);
    for (const auto& point : curve.points) {
      series.x.push_back(point.x);
      series.y.push_back(point.y);
    }
    cards.push_back("<div class=\"card\"><h3>" + std::string(title) + "</h3>" +
                    unitLineChartSvg(curve.xLabel, curve.yLabel, {series}, diagonal) + "</div>");
  }
  if (const auto confusion = curveJson(curves, "confusion_matrix")) {
    const auto n = [&](const char* key) { return std::to_string(confusion->value(key, std::int64_t(0))); };
    cards.push_back("<div class=\"card\"><h3>Confusion matrix at threshold " +
                    formatNumber(confusion->value("threshold", 0.5), 3) +
                    "</h3><table><tr><th></th><th>predicted 1</th><th>predicted 0</th></tr><tr><th>actual 1</th>" +
                    cell(n("tp"), true) + cell(n("fn"), true) + "</tr><tr><th>actual 0</th>" + cell(n("fp"), true) +
                    cell(n("tn"), true) + "</tr></table></div>");
  }
  if (!cards.empty()) {
    html << "<h2>Evaluation on the test data</h2>\n<div class=\"grid\">";
    for (const std::string& card : cards) html << card;
    html << "</div>\n";
  }
  for (const auto& [name, title] : {std::pair{"importance_permutation", "Permutation importance"},
                                    std::pair{"importance_gain", "Gain importance"}}) {
    const auto json = curveJson(curves, name);
    if (!json || !json->contains("features") || !json->contains("importance")) continue;
    std::vector<std::tuple<double, std::string, double>> ranked;
    for (std::size_t i = 0; i < (*json)["features"].size() && i < (*json)["importance"].size(); ++i) {
      const double spread = json->contains("std") && i < (*json)["std"].size() ? (*json)["std"][i].get<double>() : 0.0;
      ranked.emplace_back((*json)["importance"][i].get<double>(), (*json)["features"][i].get<std::string>(), spread);
    }
    std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return std::get<0>(a) > std::get<0>(b); });
    if (ranked.size() > 20) ranked.resize(20);
    std::vector<std::string> labels;
    std::vector<double> values, spreads;
    for (const auto& [value, feature, spread] : ranked) {
      labels.push_back(feature);
      values.push_back(value);
      spreads.push_back(spread);
    }
    html << "<h2>" << title << "</h2>\n" << horizontalBarsSvg(labels, values, spreads) << "\n";
    break;  // permutation when there is one, else gain
  }
  bool anyFold = false;
  for (const auto& [key, value] : run.metrics) {
    if (key.rfind("cv_", 0) == 0 && key.size() > 5 && key.substr(key.size() - 5) == "_mean") {
      html << (anyFold ? "" : "<h2>Cross-validation</h2>\n<table><tr><th>Metric</th><th>Mean</th><th>Std</th></tr>");
      const std::string base = key.substr(0, key.size() - 5);
      const auto sd = run.metrics.find(base + "_std");
      html << "<tr>" << cell(base.substr(3)) << cell(formatNumber(value, 5), true)
           << cell(sd == run.metrics.end() ? "" : formatNumber(sd->second, 3), true) << "</tr>";
      anyFold = true;
    }
  }
  if (anyFold) html << "</table>\n";
}

// What was trained on which data and how well, then the footer.
void runSectionsAndFooter(std::ostringstream& html, const store::Workspace& workspace, const store::RunDetail& detail) {
  lineage(html, workspace, detail);
  paramsAndMetrics(html, detail.summary);
  charts(html, workspace, detail.summary);
  html << "<p class=\"muted\">Generated by GEIH Workbench on " << escapeHtml(isoUtc(nowMillis())) << ".</p>\n"
       << htmlPageEnd();
}

}  // namespace

std::string runReportHtml(const store::Workspace& workspace, const std::string& runId) {
  const store::RunDetail detail = workspace.runDetail(workspace.resolveRunId(runId));
  std::ostringstream html;
  html << htmlPageStart("Run report: " + detail.summary.name);
  runSectionsAndFooter(html, workspace, detail);
  return html.str();
}

std::string modelCardHtml(store::Workspace& workspace, const std::string& reference) {
  store::Registry registry(workspace);
  const store::ModelVersion version = registry.resolve(reference);
  const store::RunDetail detail = workspace.runDetail(version.runId);
  std::ostringstream html;
  html << htmlPageStart("Model card: " + version.model + " version " + std::to_string(version.version));
  std::string aliases;
  for (const std::string& alias : version.aliases) aliases += (aliases.empty() ? "@" : ", @") + alias;
  keyValueTable(html, {{"Stage", store::stageName(version.stage)},
                       {"Aliases", aliases.empty() ? "-" : aliases},
                       {"Description", version.description.empty() ? "-" : version.description},
                       {"Model SHA-256", version.modelSha256},
                       {"Registered", isoUtc(version.createdMs)}});
  const auto alerts = store::MonitoringAlerts(workspace).openAlerts(version.model, version.version);
  if (!alerts.empty()) {
    html << "<div class=\"verdict drift\"><b>Needs retraining</b>: " << alerts.size() << " open monitoring alert(s)<ul>";
    for (const auto& alert : alerts) {
      html << "<li>" << escapeHtml(alert.rule) << " — " << escapeHtml(alert.message) << " (" << escapeHtml(isoUtc(alert.timeMs))
           << ")</li>";
    }
    html << "</ul></div>\n";
  }
  const auto gates = registry.evaluateGates(version.model, version.version);
  if (!gates.empty()) {
    html << "<h2>Promotion gates, evaluated now</h2>\n<table><tr><th>Rule</th><th>Result</th><th>Detail</th></tr>";
    for (const auto& gate : gates) {
      html << "<tr><td>" << escapeHtml(gate.rule) << "</td><td class=\"" << (gate.passed ? "ok" : "tag") << "\">"
           << (gate.passed ? "pass" : "fail") << "</td>" << cell(gate.detail) << "</tr>";
    }
    html << "</table>\n";
  }
  const auto audit = registry.audit(version.model, 0);
  html << "<h2>Registry history of this version</h2>\n<table><tr><th>When</th><th>Action</th><th>From → to</th>"
          "<th>Who</th><th>Reason</th></tr>";
  for (const auto& entry : audit) {
    if (entry.version != version.version) continue;
    html << "<tr>" << cell(isoUtc(entry.timeMs)) << cell(entry.action)
         << cell(entry.fromStage.empty() && entry.toStage.empty() ? "" : entry.fromStage + " → " + entry.toStage)
         << cell(entry.user) << cell(entry.reason) << "</tr>";
  }
  html << "</table>\n<h2>Training run</h2>\n";
  runSectionsAndFooter(html, workspace, detail);
  return html.str();
}

}  // namespace geih::report
