#include "core/drift/drift_report.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <set>
#include <sstream>

#include "core/common/error.h"
#include "core/drift/column_pair.h"
#include "core/drift/distribution_distances.h"
#include "core/drift/drift_test.h"

namespace geih::drift {

namespace {

std::string rangeLabel(double low, double high) {
  std::ostringstream out;
  out.precision(4);
  out << "[" << low << ", " << high << ")";
  return out.str();
}

Histogram histogramOf(const ColumnPair& column, const DriftOptions& options) {
  Histogram histogram;
  if (column.hasCounts) {
    // The most frequent categories of both sides together, in key order.
    std::vector<std::size_t> order(column.keys.size());
    for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return column.referenceCounts[a] + column.currentCounts[a] >
             column.referenceCounts[b] + column.currentCounts[b];
    });
    if (order.size() > options.maxHistogramCategories) order.resize(options.maxHistogramCategories);
    std::sort(order.begin(), order.end());
    double nRef = 0;
    double nCur = 0;
    for (std::size_t k = 0; k < column.keys.size(); ++k) {
      nRef += column.referenceCounts[k];
      nCur += column.currentCounts[k];
    }
    for (std::size_t k : order) {
      histogram.labels.push_back(column.keys[k]);
      histogram.reference.push_back(nRef > 0 ? column.referenceCounts[k] / nRef : 0.0);
      histogram.current.push_back(nCur > 0 ? column.currentCounts[k] / nCur : 0.0);
    }
    return histogram;
  }
  if (column.reference.empty() || column.current.empty()) return histogram;
  const BinnedShares shares =
      equalWidthShares(column.reference, column.current, options.histogramBins);
  for (std::size_t k = 0; k + 1 < shares.edges.size(); ++k) {
    histogram.labels.push_back(rangeLabel(shares.edges[k], shares.edges[k + 1]));
  }
  histogram.reference = shares.reference;
  histogram.current = shares.current;
  return histogram;
}

ColumnQuality qualityOf(const ColumnPair& column) {
  ColumnQuality quality;
  if (column.referenceRows) {
    quality.referenceMissingShare = double(column.referenceMissing) / double(column.referenceRows);
  }
  if (column.currentRows) {
    quality.currentMissingShare = double(column.currentMissing) / double(column.currentRows);
  }
  if (column.hasCounts && column.type != table::ColumnType::Numeric) {
    for (std::size_t k = 0; k < column.keys.size(); ++k) {
      if (column.referenceCounts[k] == 0 && column.currentCounts[k] > 0) {
        quality.newCategories.push_back(column.keys[k]);
      }
    }
  }
  if (column.hasNumbers && !column.reference.empty() && !column.current.empty()) {
    const auto [low, high] = std::minmax_element(column.reference.begin(), column.reference.end());
    std::size_t outside = 0;
    for (double value : column.current) outside += value < *low || value > *high;
    quality.outOfRangeShare = double(outside) / double(column.current.size());
  }
  return quality;
}

void applyCorrection(std::vector<ColumnDrift>& columns, Correction correction) {
  std::vector<ColumnDrift*> tested;
  for (ColumnDrift& column : columns) {
    if (column.error.empty() && column.pValue) tested.push_back(&column);
  }
  const double m = double(tested.size());
  if (correction == Correction::Bonferroni) {
    for (ColumnDrift* column : tested) {
      column->threshold /= m;
      column->drifted = *column->pValue < column->threshold;
    }
  } else if (correction == Correction::BenjaminiHochberg && !tested.empty()) {
    // Step-up: with p-values ascending, every test up to the largest rank i whose
    // p(i) <= i / m * alpha is a discovery (alpha: each column's own threshold).
    std::stable_sort(tested.begin(), tested.end(),
                     [](const ColumnDrift* a, const ColumnDrift* b) { return *a->pValue < *b->pValue; });
    std::size_t last = 0;
    for (std::size_t i = 0; i < tested.size(); ++i) {
      if (*tested[i]->pValue <= double(i + 1) / m * tested[i]->threshold) last = i + 1;
    }
    for (std::size_t i = 0; i < tested.size(); ++i) {
      tested[i]->threshold = double(i + 1) / m * tested[i]->threshold;
      tested[i]->drifted = i < last;
    }
  }
}

}  // namespace

Correction parseCorrection(const std::string& text) {
  if (text == "none") return Correction::None;
  if (text == "bonferroni") return Correction::Bonferroni;
  if (text == "bh" || text == "benjamini-hochberg") return Correction::BenjaminiHochberg;
  throw InputError("unknown correction '" + text + "' (use none, bonferroni or bh)");
}

const char* correctionName(Correction correction) {
  switch (correction) {
    case Correction::None: return "none";
    case Correction::Bonferroni: return "bonferroni";
    case Correction::BenjaminiHochberg: return "bh";
  }
  return "none";
}

DriftReport computeDriftReport(const table::Table& reference, const table::Table& current,
                               const DriftOptions& options, Progress& progress) {
  if (reference.rowCount() == 0) throw InputError("the reference data has no rows");
  if (current.rowCount() == 0) throw InputError("the current data has no rows");
  if (!(options.driftShare > 0 && options.driftShare <= 1)) {
    throw InputError("the drift share must be in (0, 1]");
  }
  DriftReport report;
  report.driftShareThreshold = options.driftShare;
  report.correction = options.correction;
  report.referenceRows = reference.rowCount();
  report.currentRows = current.rowCount();
  const std::set<std::string> excluded(options.exclude.begin(), options.exclude.end());
  for (const std::string& name : reference.columnNames()) {
    if (!current.hasColumn(name)) report.onlyInReference.push_back(name);
  }
  for (const std::string& name : current.columnNames()) {
    if (!reference.hasColumn(name)) report.onlyInCurrent.push_back(name);
  }
  std::vector<std::string> names;
  if (!options.columns.empty()) {
    for (const std::string& name : options.columns) {
      if (!reference.hasColumn(name) || !current.hasColumn(name)) {
        throw InputError("column '" + name + "' is not in " +
                         (reference.hasColumn(name) ? "the current data" : "the reference data"));
      }
      names.push_back(name);
    }
  } else {
    for (const std::string& name : reference.columnNames()) {
      if (current.hasColumn(name) && !excluded.count(name)) names.push_back(name);
    }
  }
  for (const auto& [column, test] : options.tests) {
    if (std::find(names.begin(), names.end(), column) == names.end()) {
      throw InputError("a test is given for column '" + column + "', which is not compared");
    }
    makeDriftTest(test);  // InputError for an unknown test
  }
  std::vector<std::string> compared;
  for (const std::string& name : names) {
    const table::Column& a = reference.column(name);
    const table::Column& b = current.column(name);
    if (a.type() != b.type()) {
      report.typeChanges.push_back(name + ": " + table::columnTypeName(a.type()) + " -> " +
                                   table::columnTypeName(b.type()));
    } else {
      compared.push_back(name);
    }
  }
  if (compared.empty()) throw InputError("no column of the same name and type in both tables");

  report.columns.resize(compared.size());
  std::atomic<std::size_t> done{0};
  std::atomic<bool> cancelled{false};
#pragma omp parallel for schedule(dynamic, 1)
  for (std::size_t i = 0; i < compared.size(); ++i) {
    if (cancelled.load()) continue;
    ColumnDrift& out = report.columns[i];
    out.name = compared[i];
    try {
      const ColumnPair pair = makeColumnPair(reference.column(out.name), current.column(out.name));
      out.type = table::columnTypeName(pair.type);
      const auto testIt = options.tests.find(out.name);
      out.test = testIt != options.tests.end() ? testIt->second : defaultDriftTest(pair);
      const std::unique_ptr<DriftTest> test = makeDriftTest(out.test);
      const auto thresholdIt = options.thresholds.find(out.name);
      out.threshold = thresholdIt != options.thresholds.end() ? thresholdIt->second
                                                              : test->defaultThreshold();
      out.quality = qualityOf(pair);
      out.histogram = histogramOf(pair, options);
      if ((pair.hasNumbers && (pair.reference.empty() || pair.current.empty())) ||
          (!pair.hasNumbers && pair.keys.empty())) {
        out.error = "no values on one side (all missing)";
      } else if (!test->applicable(pair)) {
        out.error = "test '" + out.test + "' does not apply to this column";
      } else {
        const DriftStatistic statistic = test->compute(pair);
        out.statistic = statistic.statistic;
        out.pValue = statistic.pValue;
        out.drifted = statistic.pValue ? *statistic.pValue < out.threshold
                                       : statistic.statistic >= out.threshold;
      }
    } catch (const std::exception& error) {  // nothing may leave the parallel region
      out.error = error.what();
    }
    const std::size_t finished = ++done;
    try {
#pragma omp critical(geih_drift_progress)
      progress.report(double(finished) / double(compared.size()), "testing columns");
      if (progress.isCancelled()) cancelled.store(true);
    } catch (...) {
      cancelled.store(true);
    }
  }
  if (cancelled.load()) throw Cancelled();
  applyCorrection(report.columns, options.correction);
  for (const ColumnDrift& column : report.columns) {
    if (!column.error.empty()) continue;
    ++report.testedCount;
    report.driftedCount += column.drifted;
  }
  report.shareDrifted =
      report.testedCount ? double(report.driftedCount) / double(report.testedCount) : 0.0;
  report.datasetDrift = report.testedCount > 0 && report.shareDrifted >= options.driftShare;
  return report;
}

nlohmann::json toJson(const DriftReport& report) {
  nlohmann::json features = nlohmann::json::array();
  for (const ColumnDrift& column : report.columns) {
    nlohmann::json feature = {{"name", column.name},
                              {"type", column.type},
                              {"test", column.test},
                              {"statistic", std::isfinite(column.statistic)
                                                ? nlohmann::json(column.statistic)
                                                : nlohmann::json("inf")},
                              {"p_value", column.pValue ? nlohmann::json(*column.pValue)
                                                        : nlohmann::json()},
                              {"threshold", column.threshold},
                              {"drifted", column.drifted},
                              {"quality",
                               {{"reference_missing_share", column.quality.referenceMissingShare},
                                {"current_missing_share", column.quality.currentMissingShare},
                                {"new_categories", column.quality.newCategories},
                                {"out_of_range_share", column.quality.outOfRangeShare}}},
                              {"histogram",
                               {{"labels", column.histogram.labels},
                                {"reference", column.histogram.reference},
                                {"current", column.histogram.current}}}};
    if (!column.error.empty()) feature["error"] = column.error;
    features.push_back(std::move(feature));
  }
  return {{"features", features},
          {"share_drifted", report.shareDrifted},
          {"drifted_features", report.driftedCount},
          {"tested_features", report.testedCount},
          {"dataset_drift", report.datasetDrift},
          {"drift_share_threshold", report.driftShareThreshold},
          {"correction", correctionName(report.correction)},
          {"reference_rows", report.referenceRows},
          {"current_rows", report.currentRows},
          {"schema",
           {{"only_in_reference", report.onlyInReference},
            {"only_in_current", report.onlyInCurrent},
            {"type_changes", report.typeChanges}}}};
}

}  // namespace geih::drift
