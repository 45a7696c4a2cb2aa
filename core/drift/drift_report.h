// A data drift report of a current table against a reference table: per column the test (chosen
// as Evidently does unless given), its statistic, p-value, threshold and verdict, histograms of
// both sides on shared bins, and data quality (missing shares, new categories, values outside
// the reference range); the schema differences; and the dataset verdict, drift when the share of
// drifted columns reaches `driftShare`. Columns are tested in parallel; Progress reports each one
// and honours Cancel.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/common/progress.h"
#include "core/table/table.h"

namespace geih::drift {

// Multiple-testing correction of the p-value tests' thresholds.
enum class Correction { None, Bonferroni, BenjaminiHochberg };
// "none" | "bonferroni" | "bh"; InputError otherwise.
Correction parseCorrection(const std::string& text);
const char* correctionName(Correction correction);

struct DriftOptions {
  std::vector<std::string> columns;             // empty: every column both tables have
  std::vector<std::string> exclude;             // never tested (e.g. ids)
  std::map<std::string, std::string> tests;     // column -> test name (drift_test.h)
  std::map<std::string, double> thresholds;     // column -> threshold
  double driftShare = 0.5;
  Correction correction = Correction::None;
  std::size_t histogramBins = 20;
  std::size_t maxHistogramCategories = 20;
};

struct Histogram {
  std::vector<std::string> labels;  // one per bin: a category, or "[a, b)" for numbers
  std::vector<double> reference;    // shares of the non-missing values
  std::vector<double> current;
};

struct ColumnQuality {
  double referenceMissingShare = 0;
  double currentMissingShare = 0;
  std::vector<std::string> newCategories;  // in the current data only
  double outOfRangeShare = 0;              // current numbers outside [reference min, max]
};

struct ColumnDrift {
  std::string name;
  std::string type;  // numeric | categorical | boolean
  std::string test;
  double statistic = 0;
  std::optional<double> pValue;
  double threshold = 0;  // after any correction
  bool drifted = false;
  std::string error;     // when the column could not be tested (then drifted is false)
  Histogram histogram;
  ColumnQuality quality;
};

struct DriftReport {
  std::vector<ColumnDrift> columns;
  std::size_t driftedCount = 0;
  std::size_t testedCount = 0;
  double shareDrifted = 0;
  bool datasetDrift = false;
  double driftShareThreshold = 0.5;
  Correction correction = Correction::None;
  std::vector<std::string> onlyInReference;
  std::vector<std::string> onlyInCurrent;
  std::vector<std::string> typeChanges;  // "col: numeric -> categorical"
  std::size_t referenceRows = 0;
  std::size_t currentRows = 0;
};

// Throws InputError for an unknown column or test named in the options, an empty table, or no
// column to compare; Cancelled when cancelled.
DriftReport computeDriftReport(const table::Table& reference, const table::Table& current,
                               const DriftOptions& options, Progress& progress);

nlohmann::json toJson(const DriftReport& report);

}  // namespace geih::drift
