// A trained model: self-describing, serialisable, and able to score a table.
//
// Model JSON (DESIGN.md):
//   {"format": "geih-model", "version": 1, "kind": "logistic", "task": "binary",
//    "target": "fire", "features": [{"name": ..., "type": ...}], "preprocessing": {...},
//    "params": {...}, "derived_features": {...} (when any, derived_features.h), "body": {...},
//    "training": {"dataset_sha256": ..., "run_id": ..., "rows": ..., "created": ...}}
// saving then loading a model gives bit-identical predictions.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/ml/derived_features.h"
#include "core/ml/feature_pipeline.h"
#include "core/ml/linear_form.h"
#include "core/ml/params.h"
#include "core/ml/task.h"
#include "core/table/table.h"

namespace geih::ml {

inline constexpr const char* kModelFormat = "geih-model";
inline constexpr int kModelFormatVersion = 1;

// Provenance written into the model JSON.
struct TrainingInfo {
  std::string datasetSha256;
  std::string runId;
  std::size_t rows = 0;
  std::string created;  // ISO 8601 UTC
};

class Model {
 public:
  virtual ~Model() = default;

  virtual std::string kind() const = 0;
  virtual Task task() const = 0;
  virtual const std::string& target() const = 0;
  virtual const FeaturePipeline& pipeline() const = 0;
  virtual const ParamMap& params() const = 0;

  // Scores every row of `data`: probability of the positive class (binary) or the value
  // (regression). `out.size()` must equal data.rowCount(). The model's derived features are
  // computed from `data` first (so it holds the raw input columns).
  void predict(const table::Table& data, std::span<double> out) const;
  std::vector<double> predict(const table::Table& data) const;

  // Dense scoring without a table (rasters): true when every input is numeric or boolean and the
  // model derives no features.
  bool acceptsDenseInput() const;
  // Scores `rows` rows of raw input values, row-major (rows x pipeline().inputs().size(), in the
  // order of the inputs, NaN = missing), into `out`; the same numbers predict() gives for a table
  // of those values. `scratch` is the caller's buffer (resized as needed) so a thread scoring
  // block after block allocates once. Single-threaded: callers parallelise over blocks.
  void predictDense(const double* raw, std::size_t rows, double* out, std::vector<double>& scratch) const;
  // For linear models over dense inputs with one pipeline output per input: the score as a
  // function evaluated input by input (linear_form.h), the same bits as predictDense. Empty for
  // other kinds and pipelines.
  virtual std::optional<LinearForm> linearForm() const { return std::nullopt; }

  // Features derived before the pipeline (lags, rolling means, seasonality, interactions).
  const DerivedFeatures& derivedFeatures() const { return m_derived; }
  void setDerivedFeatures(DerivedFeatures derived) { m_derived = std::move(derived); }

  // Gain-based importance per preprocessing output (pipeline().outputNames()), normalised to sum
  // to 1; empty for kinds that have none (linear models report coefficients instead).
  virtual std::vector<double> gainImportance() const { return {}; }

  TrainingInfo& trainingInfo() { return m_training; }
  const TrainingInfo& trainingInfo() const { return m_training; }

  // The whole model document (format, version, kind, ..., body, training).
  nlohmann::json toJson() const;

 protected:
  // The kind-specific "body" object.
  virtual nlohmann::json bodyJson() const = 0;
  // predict() on a table that already holds the derived features.
  virtual void predictPrepared(const table::Table& data, std::span<double> out) const = 0;
  // Scores rows already through the pipeline (rows x pipeline().outputCount(), row-major).
  virtual void predictTransformed(const double* x, std::size_t rows, double* out) const = 0;

 private:
  TrainingInfo m_training;
  DerivedFeatures m_derived;
};

// Checks that `document` is an object with format "geih-model" and a supported version.
// Throws Corrupt "model JSON: <field>: <problem>".
void checkModelFormat(const nlohmann::json& document);

// The fields every model document shares, read and checked by each kind's fromJson.
struct ModelDocumentCommon {
  std::string target;
  FeaturePipeline pipeline;
  ParamMap params;  // as stored; the kind validates it against its schema
  TrainingInfo training;
  DerivedFeatures derived;
};

// Checks format, version, kind (== `kind`), task (== `task`), target, features (must match the
// preprocessing inputs), preprocessing, params (an object of strings) and training (optional).
// Throws Corrupt "model JSON: <field>: <problem>".
ModelDocumentCommon readModelDocumentCommon(const nlohmann::json& document, const std::string& kind,
                                            Task task);

}  // namespace geih::ml
