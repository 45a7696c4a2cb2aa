// Multivariate drift by PCA reconstruction error (NannyML's "data reconstruction" method): it
// catches a change in how features move together that per-column tests cannot see.
//
// The numeric columns present on both sides are standardised with the reference's means and
// standard deviations (missing values take the mean); PCA on the reference keeps the fewest
// components explaining at least `varianceKept` of the variance. A row's error is the Euclidean
// distance between it and its reconstruction from those components. The reference rows are cut
// into `chunks` consecutive chunks; the mean error of each gives the expected spread, and the
// current data drifts when its mean error leaves mean ± `sigmas` x (std of the chunk means).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/table/table.h"

namespace geih::drift {

struct PcaDriftOptions {
  double varianceKept = 0.65;
  int chunks = 10;
  double sigmas = 3.0;
};

struct PcaDrift {
  std::vector<std::string> columns;
  int components = 0;
  double explainedVariance = 0;  // share of the reference variance the components keep
  double referenceError = 0;     // mean reconstruction error of the reference rows
  double currentError = 0;
  double lowerThreshold = 0, upperThreshold = 0;
  bool drifted = false;
};

// Throws InputError with fewer than two shared numeric columns or fewer rows than chunks.
PcaDrift pcaReconstructionDrift(const table::Table& reference, const table::Table& current,
                                const PcaDriftOptions& options = {});

nlohmann::json toJson(const PcaDrift& drift);

}  // namespace geih::drift
