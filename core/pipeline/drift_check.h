// One drift check, as `geih drift` and the drift view run it: loads the reference and current
// data (CSV files, or "dataset:NAME[@VERSION]" from the workspace), adds the predictions of a
// model when one is given (tested as the feature "prediction"; with a 0/1 target, the ROC AUC on
// both sides), computes the report, and logs a registered model's check to the monitoring log.
#pragma once

#include <optional>
#include <string>

#include "core/common/progress.h"
#include "core/drift/drift_report.h"
#include "core/drift/pca_drift.h"
#include "core/store/workspace.h"

namespace geih::pipeline {

struct DriftCheckRequest {
  std::string reference;
  std::string current;
  std::string model;   // optional: a model JSON, a run id or NAME@REF
  std::string target;  // optional: 0/1 label column (excluded from the features)
  drift::DriftOptions options;
};

struct DriftCheck {
  drift::DriftReport report;
  std::string referenceDescription;  // name or path, with its SHA-256 prefix
  std::string currentDescription;
  std::string referenceSha256;
  std::string currentSha256;
  std::string modelDescription;
  std::optional<double> referenceAuc;
  std::optional<double> currentAuc;
  bool logged = false;  // written to the monitoring log (registered models only)
  // PCA reconstruction drift over the shared numeric columns (prediction and target left out);
  // empty with `multivariateProblem` set when it cannot be computed (e.g. one numeric column).
  std::optional<drift::PcaDrift> multivariate;
  std::string multivariateProblem;
};

// `workspace` may be null when both data arguments and the model are files.
// PSI (10 reference-quantile bins) of every numeric column the report compared, whatever test
// the report chose for it: {column: psi}. Logged with drift checks for the monitoring alert rules.
nlohmann::json numericFeaturePsi(const table::Table& reference, const table::Table& current,
                                 const drift::DriftReport& report);

DriftCheck runDriftCheck(store::Workspace* workspace, const DriftCheckRequest& request,
                         Progress& progress);

}  // namespace geih::pipeline
