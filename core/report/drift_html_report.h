// The drift report as one self-contained HTML page (inline CSS and SVG, no scripts, no network):
// the verdict first, then the per-feature table with drifted rows marked, data quality and schema
// notes, and a reference-vs-current histogram per feature.
#pragma once

#include <string>

#include "core/drift/drift_report.h"

namespace geih::report {

struct DriftReportContext {
  std::string title = "Data drift report";
  std::string reference;  // what the reference data is (file, dataset name and hash)
  std::string current;
  std::string model;      // the model version the check is for, when given
  std::string created;    // ISO time
};

std::string driftReportHtml(const drift::DriftReport& report, const DriftReportContext& context);

}  // namespace geih::report
