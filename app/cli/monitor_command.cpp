// geih monitor stats|log|rules|check|alerts|clear: the monitoring log of registered models, its
// daily aggregates, and the alert rules that mark a model version as needing retraining.
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/cli/cli_context.h"
#include "app/cli/commands.h"
#include "core/common/error.h"
#include "core/common/time_util.h"
#include "core/store/monitoring_alerts.h"
#include "core/store/monitoring_log.h"
#include "core/store/registry.h"

namespace geih::cli {
namespace {

// A model's version from --version, else its Production version.
int versionOrProduction(store::Workspace& workspace, const std::string& model, int version) {
  if (version > 0) return version;
  return store::Registry(workspace).resolve(model + "@production").version;
}

std::string rulesText(const std::string& argument) {
  if (!argument.empty() && (argument.front() == '[' || argument.front() == '{')) return argument;
  std::ifstream in(argument);
  if (!in) throw InputError("cannot read alert rules file '" + argument + "'");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

nlohmann::json checksJson(const std::vector<store::AlertCheck>& checks) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& c : checks) {
    out.push_back({{"rule", c.rule}, {"fired", c.fired},
                   {"observed", c.observed ? nlohmann::json(*c.observed) : nlohmann::json(nullptr)},
                   {"detail", c.detail}});
  }
  return out;
}

void addStats(CLI::App* monitor) {
  struct Options {
    CommonOptions common;
    std::string model;
    int version = 0, days = 0;
  };
  auto o = std::make_shared<Options>();
  CLI::App* c = monitor->add_subcommand("stats", "Per model version and day: events, rows, error rate, latency p50/p95/p99");
  c->add_option("--model", o->model, "Only this registered model");
  c->add_option("--version", o->version, "Only this version");
  c->add_option("--days", o->days, "Only the last N days");
  addCommonOptions(*c, o->common, true);
  c->callback([o] {
    store::Workspace workspace = o->common.openWorkspace(true);
    std::optional<int> version;
    if (o->version > 0) version = o->version;
    std::optional<std::int64_t> since;
    if (o->days > 0) since = nowMillis() - std::int64_t(o->days) * 86'400'000;
    const auto days = store::MonitoringLog(workspace).daily(o->model, version, since);
    if (o->common.outputFormat() == OutputFormat::Json) {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& d : days) {
        out.push_back({{"model", d.modelName}, {"version", d.modelVersion}, {"day", d.day}, {"events", d.events},
                       {"rows", d.rows}, {"failures", d.failures}, {"error_rate", d.errorRate},
                       {"latency_p50_ms", d.latencyP50Ms}, {"latency_p95_ms", d.latencyP95Ms},
                       {"latency_p99_ms", d.latencyP99Ms}});
      }
      printJson(out);
      return;
    }
    TextTable table{{"day", "model", "version", "events", "rows", "error_rate", "p50_ms", "p95_ms", "p99_ms"}, {}};
    for (const auto& d : days) {
      table.rows.push_back({d.day, d.modelName, std::to_string(d.modelVersion), std::to_string(d.events),
                            std::to_string(d.rows), formatNumber(d.errorRate, 3), formatNumber(d.latencyP50Ms, 1),
                            formatNumber(d.latencyP95Ms, 1), formatNumber(d.latencyP99Ms, 1)});
    }
    printTable(table, o->common.outputFormat());
  });
}

void addLog(CLI::App* monitor) {
  struct Options {
    CommonOptions common;
    std::string model, kind = "predict", inputSha, summary = "{}";
    int version = 0;
    std::int64_t rows = 0;
    double latency = 0;
    bool failed = false;
  };
  auto o = std::make_shared<Options>();
  CLI::App* c = monitor->add_subcommand("log", "Log one prediction batch served elsewhere (for its stats and alerts)");
  c->add_option("--model", o->model, "Registered model")->required();
  c->add_option("--version", o->version, "Its version (default: the Production one)");
  c->add_option("--kind", o->kind, "predict, score, ...")->capture_default_str();
  c->add_option("--rows", o->rows, "Rows scored");
  c->add_option("--latency-ms", o->latency, "Time it took")->required();
  c->add_flag("--failed", o->failed, "The batch failed");
  c->add_option("--input-sha256", o->inputSha, "Hash of the input");
  c->add_option("--summary", o->summary, "JSON object of anything else (output summary)");
  addCommonOptions(*c, o->common, false);
  c->callback([o] {
    store::Workspace workspace = o->common.openWorkspace(true);
    store::MonitoringEvent event;
    event.modelName = o->model;
    event.modelVersion = versionOrProduction(workspace, o->model, o->version);
    store::Registry(workspace).version(o->model, event.modelVersion);  // NotFound
    event.kind = o->kind;
    event.rows = o->rows;
    event.latencyMs = o->latency;
    event.ok = !o->failed;
    event.inputSha256 = o->inputSha;
    event.summaryJson = o->summary;
    const std::int64_t id = store::MonitoringLog(workspace).log(event);
    if (!o->common.quiet) std::cout << "Logged event " << id << " for " << o->model << " version " << event.modelVersion << "\n";
  });
}

void addRules(CLI::App* monitor) {
  struct Options {
    CommonOptions common;
    std::string model, set;
  };
  auto o = std::make_shared<Options>();
  CLI::App* c = monitor->add_subcommand("rules", "Show or set a model's alert rules");
  c->add_option("MODEL", o->model, "Registered model")->required();
  c->add_option("--set", o->set, "Rules as JSON or a JSON file: [{\"feature_psi\": 0.25, \"top_features\": 5}, ...]");
  addCommonOptions(*c, o->common, true, "table|json");
  c->callback([o] {
    store::Workspace workspace = o->common.openWorkspace(true);
    store::MonitoringAlerts alerts(workspace);
    if (!o->set.empty()) alerts.setRules(o->model, rulesText(o->set));
    const auto rules = alerts.rules(o->model);
    nlohmann::json texts = nlohmann::json::array();
    for (const auto& rule : rules) texts.push_back(rule.text);
    if (o->common.outputFormat() == OutputFormat::Json) {
      printJson({{"model", o->model}, {"rules", texts}});
      return;
    }
    if (rules.empty()) std::cout << o->model << " has no alert rules\n";
    for (const auto& rule : rules) std::cout << "  " << rule.text << "\n";
  });
}

void addCheck(CLI::App* monitor) {
  struct Options {
    CommonOptions common;
    std::string model;
    int version = 0;
  };
  auto o = std::make_shared<Options>();
  CLI::App* c = monitor->add_subcommand("check", "Evaluate the alert rules; a fired rule marks the version as needing retraining");
  c->add_option("MODEL", o->model, "Registered model")->required();
  c->add_option("--version", o->version, "Version (default: the Production one)");
  addCommonOptions(*c, o->common, true, "table|json");
  c->callback([o] {
    store::Workspace workspace = o->common.openWorkspace(true);
    const int version = versionOrProduction(workspace, o->model, o->version);
    store::MonitoringAlerts alerts(workspace);
    int raised = 0;
    const auto checks = alerts.check(o->model, version, &raised);
    const std::size_t open = alerts.openAlerts(o->model, version).size();
    if (o->common.outputFormat() == OutputFormat::Json) {
      printJson({{"model", o->model}, {"version", version}, {"checks", checksJson(checks)},
                 {"raised", raised}, {"open_alerts", open}, {"needs_retraining", open > 0}});
      return;
    }
    for (const auto& check : checks) {
      std::cout << "  " << (check.fired ? "ALERT " : "ok    ") << check.rule << "  (" << check.detail << ")\n";
    }
    std::cout << o->model << " version " << version << ": " << raised << " new alert(s), " << open << " open"
              << (open ? " — needs retraining" : "") << "\n";
  });
}

void addAlerts(CLI::App* monitor) {
  struct Options {
    CommonOptions common;
    std::string model;
  };
  auto o = std::make_shared<Options>();
  CLI::App* c = monitor->add_subcommand("alerts", "Open alerts (versions needing retraining)");
  c->add_option("MODEL", o->model, "Only this model");
  addCommonOptions(*c, o->common, true);
  c->callback([o] {
    store::Workspace workspace = o->common.openWorkspace(true);
    const auto open = store::MonitoringAlerts(workspace).openAlerts(o->model);
    if (o->common.outputFormat() == OutputFormat::Json) {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& a : open) {
        out.push_back({{"id", a.id}, {"model", a.modelName}, {"version", a.modelVersion}, {"rule", a.rule},
                       {"observed", a.value}, {"message", a.message}, {"time", isoUtc(a.timeMs)}});
      }
      printJson(out);
      return;
    }
    TextTable table{{"time", "model", "version", "rule", "observed", "detail"}, {}};
    for (const auto& a : open) {
      table.rows.push_back({formatTime(a.timeMs), a.modelName, std::to_string(a.modelVersion), a.rule,
                            formatNumber(a.value), a.message});
    }
    printTable(table, o->common.outputFormat());
  });
}

void addClear(CLI::App* monitor) {
  struct Options {
    CommonOptions common;
    std::string model, reason;
    int version = 0;
  };
  auto o = std::make_shared<Options>();
  CLI::App* c = monitor->add_subcommand("clear", "Clear a version's open alerts (audited with the reason)");
  c->add_option("MODEL", o->model, "Registered model")->required();
  c->add_option("VERSION", o->version, "Version")->required();
  c->add_option("--reason", o->reason, "Why (e.g. retrained, false alarm)")->required();
  addCommonOptions(*c, o->common, false);
  c->callback([o] {
    store::Workspace workspace = o->common.openWorkspace(true);
    const int cleared = store::MonitoringAlerts(workspace).clear(o->model, o->version, o->reason);
    if (!o->common.quiet) std::cout << "Cleared " << cleared << " alert(s) of " << o->model << " version " << o->version << "\n";
  });
}

}  // namespace

void addMonitorCommand(CLI::App& app) {
  CLI::App* monitor = app.add_subcommand("monitor", "Monitoring: daily stats, logged batches, alert rules and alerts");
  monitor->require_subcommand(1);
  addStats(monitor);
  addLog(monitor);
  addRules(monitor);
  addCheck(monitor);
  addAlerts(monitor);
  addClear(monitor);
}

}  // namespace geih::cli
