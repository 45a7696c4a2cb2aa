// The preprocessing stored inside every model, so scoring applies exactly what training did.
//
// Fitted on the training table for a list of input feature columns:
//   Numeric      missing -> training mean; then standardised (x - mean) / std (std of 0 -> 1)
//                when `standardise` is on.
//   Boolean      0/1; missing -> training share of 1 (then standardised like numeric).
//   Categorical  one-hot over the training dictionary (one output per category seen in training,
//                plus nothing for unseen or missing values: all zeros).
// transform() maps a table (which must contain every input feature column, by name, of a
// compatible type; extra columns are ignored) to a dense row-major design matrix.
#pragma once

#include <string>
#include <vector>

#include <Eigen/Dense>
#include <nlohmann/json.hpp>

#include "core/table/table.h"

namespace geih::ml {

struct FeatureSpec {
  std::string name;
  table::ColumnType type = table::ColumnType::Numeric;
};

class FeaturePipeline {
 public:
  // Throws InputError naming the column when a feature is missing or is all-missing.
  static FeaturePipeline fit(const table::Table& data, const std::vector<std::string>& features,
                             bool standardise);

  // n x outputCount(). Throws InputError naming the column when a feature is absent from `data` or
  // has an incompatible type (e.g. categorical where numeric was trained).
  Eigen::MatrixXd transform(const table::Table& data) const;
  // The same into the first outputCount() columns of `out` (data.rowCount() rows), which need not
  // be initialised; lets a learner append columns (e.g. an intercept) without a copy.
  void transformInto(const table::Table& data, Eigen::Ref<Eigen::MatrixXd> out) const;

  const std::vector<FeatureSpec>& inputs() const { return m_inputs; }
  // Names of the design-matrix columns, e.g. "temperature_c", "land_cover=forest".
  const std::vector<std::string>& outputNames() const { return m_outputNames; }
  std::size_t outputCount() const { return m_outputNames.size(); }

  // The affine map of each output (value = (raw - center) / scale) so a linear model can report
  // coefficients on the original scale.
  const std::vector<double>& centers() const { return m_centers; }
  const std::vector<double>& scales() const { return m_scales; }

  // {"standardise": bool, "steps": [{"name", "type": "numeric"|"boolean", "fill", "center",
  // "scale"} | {"name", "type": "categorical", "categories": [...]}]}; doubles round-trip exactly.
  nlohmann::json toJson() const;
  // Throws Corrupt naming the field.
  static FeaturePipeline fromJson(const nlohmann::json& json);

 private:
  struct InputStep {
    FeatureSpec spec;
    double fillValue = 0.0;                // numeric/boolean imputation
    std::vector<std::string> categories;   // categorical one-hot levels
    std::size_t firstOutput = 0;
  };
  std::vector<FeatureSpec> m_inputs;
  std::vector<InputStep> m_steps;
  std::vector<std::string> m_outputNames;
  std::vector<double> m_centers;
  std::vector<double> m_scales;
  bool m_standardise = true;
};

}  // namespace geih::ml
