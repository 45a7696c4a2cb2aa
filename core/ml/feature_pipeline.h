// The preprocessing stored inside every model, so scoring applies exactly what training did.
//
// Fitted on the training table for a list of input feature columns:
//   Numeric      missing -> training mean; then standardised (x - mean) / std (std of 0 -> 1)
//                when `standardise` is on.
//   Boolean      0/1; missing -> training share of 1 (then standardised like numeric).
//   Categorical  one-hot over the training dictionary (one output per category seen in training,
//                plus nothing for unseen or missing values: all zeros).
// Tree learners fit it with Encoding::Trees instead: no imputation (a missing value stays NaN, the
// trees route it), no standardisation, and one output per categorical column holding the index of
// the value in the training dictionary (NaN for missing or unseen values), so a tree can split on
// sets of categories natively.
// transform() maps a table (which must contain every input feature column, by name, of a
// compatible type; extra columns are ignored) to a dense row-major design matrix.
#pragma once

#include <span>
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
  enum class Encoding { Linear, Trees };

  // Throws InputError naming the column when a feature is missing or is all-missing.
  static FeaturePipeline fit(const table::Table& data, const std::vector<std::string>& features,
                             bool standardise);
  static FeaturePipeline fitForTrees(const table::Table& data,
                                     const std::vector<std::string>& features);

  // n x outputCount(). Throws InputError naming the column when a feature is absent from `data` or
  // has an incompatible type (e.g. categorical where numeric was trained).
  Eigen::MatrixXd transform(const table::Table& data) const;
  // The same into the first outputCount() columns of `out` (data.rowCount() rows), which need not
  // be initialised; lets a learner append columns (e.g. an intercept) without a copy.
  void transformInto(const table::Table& data, Eigen::Ref<Eigen::MatrixXd> out) const;
  // Rows [begin, end) into `out`, row-major: (end - begin) x outputCount() doubles. For scoring in
  // blocks without materialising the whole design matrix.
  void transformRows(const table::Table& data, std::size_t begin, std::size_t end,
                     double* out) const;
  // Throws what transform() would for a missing or incompatible feature column.
  void checkInputs(const table::Table& data) const;
  // Categories of `data` the model never saw in training, one message per column, e.g.
  // "land_cover: 2 categories unseen in training ('glacier' x 14, 'lava' x 1); those rows are
  // scored as if the value were missing". Empty when every category is known.
  std::vector<std::string> unseenCategories(const table::Table& data) const;
  // One output column for every row (length data.rowCount()).
  // Raw numeric/boolean inputs, row-major (rows x inputs().size(), input order, NaN = missing),
  // into rows x outputCount() outputs, row-major. Only for pipelines without categorical inputs
  // (checked by the caller, see Model::acceptsDenseInput).
  void transformDense(const double* raw, std::size_t rows, double* out) const;
  void transformOutput(const table::Table& data, std::size_t output, std::span<double> out) const;

  Encoding encoding() const { return m_encoding; }
  // True when output `output` is a categorical column's ordinal code (Encoding::Trees only).
  bool isOrdinalCategory(std::size_t output) const;
  // Category names of a categorical input, by the name of its ordinal output (Trees) or input.
  const std::vector<std::string>& categoriesOf(std::size_t output) const;

  const std::vector<FeatureSpec>& inputs() const { return m_inputs; }
  // Names of the design-matrix columns, e.g. "temperature_c", "land_cover=forest".
  const std::vector<std::string>& outputNames() const { return m_outputNames; }
  std::size_t outputCount() const { return m_outputNames.size(); }

  // The affine map of each output (value = (raw - center) / scale) so a linear model can report
  // coefficients on the original scale.
  const std::vector<double>& centers() const { return m_centers; }
  const std::vector<double>& scales() const { return m_scales; }
  // What a missing value of numeric/boolean input `input` becomes (Linear encoding).
  double fillValue(std::size_t input) const { return m_steps.at(input).fillValue; }

  // {"standardise": bool, "encoding": "linear"|"trees" (absent = linear), "steps": [{"name", "type": "numeric"|"boolean", "fill", "center",
  // "scale"} | {"name", "type": "categorical", "categories": [...]}]}; doubles round-trip exactly.
  nlohmann::json toJson() const;
  // Throws Corrupt naming the field.
  static FeaturePipeline fromJson(const nlohmann::json& json);

 private:
  struct InputStep {
    FeatureSpec spec;
    double fillValue = 0.0;                // numeric/boolean imputation
    double center = 0.0, scale = 1.0;      // numeric/boolean standardisation
    std::vector<std::string> categories;   // categorical one-hot levels
    std::size_t firstOutput = 0;
  };
  std::vector<FeatureSpec> m_inputs;
  std::vector<InputStep> m_steps;
  std::vector<std::string> m_outputNames;
  std::vector<double> m_centers;
  std::vector<double> m_scales;
  std::vector<std::size_t> m_stepOfOutput;
  bool m_standardise = true;
  Encoding m_encoding = Encoding::Linear;

  static FeaturePipeline fitEncoded(const table::Table& data,
                                    const std::vector<std::string>& features, bool standardise,
                                    Encoding encoding);
  // Appends a step (its spec, categories, fill, center, scale set) and its outputs.
  void addStep(InputStep step);
  const InputStep& stepOf(std::size_t output) const;
  const table::Column& checkedColumn(const table::Table& data, const InputStep& step) const;
  std::size_t outputsOfStep(const InputStep& step) const;
  // Writes rows [begin, end) of one step's outputs k = 0.. at
  // out[(row - begin) * rowStride + k * colStride].
  void transformStep(const InputStep& step, const table::Column& column, std::size_t begin,
                     std::size_t end, double* out, std::size_t rowStride,
                     std::size_t colStride) const;
};

}  // namespace geih::ml
