// A run report, and a model card for a registered model version, as self-contained HTML (inline
// CSS and SVG, no scripts, no network): what was trained on which data (datasets with roles,
// versions, rows and SHA-256, git commit, seed), params, metrics, the ROC and PR curves, the
// confusion matrix at the run's threshold, feature importance and cross-validation folds. The
// model card adds the registry's view first: stage, aliases, model hash, gate results, open
// monitoring alerts and the version's audit history.
#pragma once

#include <string>

namespace geih::store {
class Workspace;
}

namespace geih::report {

// NotFound for an unknown run (id or unique prefix).
std::string runReportHtml(const store::Workspace& workspace, const std::string& runId);
// `reference` as the registry resolves it (NAME@production, NAME@3, NAME@champion, ...).
std::string modelCardHtml(store::Workspace& workspace, const std::string& reference);

}  // namespace geih::report
