#include "core/ml/feature_pipeline.h"

#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <unordered_map>

#include "core/common/error.h"

namespace geih::ml {
namespace {

using table::Column;
using table::ColumnType;

std::string columnList(const table::Table& data) {
  std::string names;
  for (const std::string& name : data.columnNames()) names += (names.empty() ? "" : ", ") + name;
  return names;
}

const Column& requireColumn(const table::Table& data, const std::string& name) {
  const auto index = data.indexOf(name);
  if (!index) {
    throw InputError("feature column '" + name + "' not found (columns: " + columnList(data) + ")");
  }
  return data.column(*index);
}

// Mean imputation then population standard deviation, as scikit-learn's SimpleImputer(mean)
// followed by StandardScaler; a column that is constant up to rounding gets scale 1.
void fitNumeric(const Column& column, bool standardise, double& fill, double& center,
                double& scale) {
  const std::size_t n = column.size();
  std::vector<double> converted;
  if (column.type() != ColumnType::Numeric) {
    converted.resize(n);
    for (std::size_t row = 0; row < n; ++row) converted[row] = column.numberAt(row);
  }
  const std::span<const double> values =
      column.type() == ColumnType::Numeric ? column.numbers() : std::span<const double>(converted);
  double sum = 0;
  std::size_t present = 0;
  for (std::size_t row = 0; row < n; ++row) {
    const double value = values[row];
    if (std::isnan(value)) continue;
    if (!std::isfinite(value)) {
      throw InputError("feature column '" + column.name() + "' has an infinite value at row " +
                       std::to_string(row + 1));
    }
    sum += value;
    ++present;
  }
  if (present == 0) {
    throw InputError("feature column '" + column.name() + "' has no values (every row is missing)");
  }
  fill = sum / double(present);
  center = 0.0;
  scale = 1.0;
  if (!standardise) return;
  // Two-pass variance with the rounding correction term (Chan, Golub & LeVeque); missing rows sit
  // exactly at the mean and add nothing.
  double squares = 0, correction = 0;
  for (std::size_t row = 0; row < n; ++row) {
    const double value = values[row];
    if (std::isnan(value)) continue;
    const double deviation = value - fill;
    squares += deviation * deviation;
    correction += deviation;
  }
  const double count = double(n);
  const double variance = (squares - correction * correction / count) / count;
  constexpr double kEps = std::numeric_limits<double>::epsilon();
  const double bound = count * kEps * variance + (count * fill * kEps) * (count * fill * kEps);
  center = fill;
  scale = variance <= bound ? 1.0 : std::sqrt(variance);
}

[[noreturn]] void corrupt(const std::string& where, const std::string& what) {
  throw Corrupt("preprocessing." + where + ": " + what);
}

double finiteNumber(const nlohmann::json& object, const char* field, const std::string& where) {
  const auto it = object.find(field);
  if (it == object.end()) corrupt(where, std::string("missing field '") + field + "'");
  if (!it->is_number()) corrupt(where + "." + field, "must be a number");
  const double value = it->get<double>();
  if (!std::isfinite(value)) corrupt(where + "." + field, "must be finite");
  return value;
}

}  // namespace

FeaturePipeline FeaturePipeline::fit(const table::Table& data,
                                     const std::vector<std::string>& features, bool standardise) {
  return fitEncoded(data, features, standardise, Encoding::Linear);
}

FeaturePipeline FeaturePipeline::fitForTrees(const table::Table& data,
                                             const std::vector<std::string>& features) {
  return fitEncoded(data, features, false, Encoding::Trees);
}

FeaturePipeline FeaturePipeline::fitEncoded(const table::Table& data,
                                            const std::vector<std::string>& features,
                                            bool standardise, Encoding encoding) {
  if (features.empty()) throw InputError("no feature columns given");
  FeaturePipeline pipeline;
  pipeline.m_standardise = standardise;
  pipeline.m_encoding = encoding;
  std::set<std::string> seen;
  for (const std::string& name : features) {
    if (!seen.insert(name).second)
      throw InputError("feature column '" + name + "' is listed twice");
    const Column& column = requireColumn(data, name);
    InputStep step;
    step.spec = {name, column.type()};
    step.firstOutput = pipeline.m_outputNames.size();
    if (column.type() == ColumnType::Categorical) {
      std::vector<std::size_t> counts(column.dictionary().size(), 0);
      for (const std::int32_t code : column.codes()) {
        if (code != table::kMissingCode) ++counts[std::size_t(code)];
      }
      for (std::size_t code = 0; code < counts.size(); ++code) {
        if (counts[code] > 0) step.categories.push_back(column.dictionary()[code]);
      }
      if (step.categories.empty()) {
        throw InputError("feature column '" + name + "' has no values (every row is missing)");
      }
    } else {
      double center = 0, scale = 1;
      fitNumeric(column, standardise, step.fillValue, center, scale);
      step.center = center;
      step.scale = scale;
    }
    pipeline.addStep(std::move(step));
  }
  return pipeline;
}

void FeaturePipeline::addStep(InputStep step) {
  step.firstOutput = m_outputNames.size();
  const std::size_t index = m_steps.size();
  if (step.spec.type == ColumnType::Categorical && m_encoding == Encoding::Linear) {
    for (const std::string& level : step.categories) {
      m_outputNames.push_back(step.spec.name + "=" + level);
      m_centers.push_back(0.0);
      m_scales.push_back(1.0);
      m_stepOfOutput.push_back(index);
    }
  } else {
    const bool numeric = step.spec.type != ColumnType::Categorical;
    m_outputNames.push_back(step.spec.name);
    m_centers.push_back(numeric ? step.center : 0.0);
    m_scales.push_back(numeric ? step.scale : 1.0);
    m_stepOfOutput.push_back(index);
  }
  m_inputs.push_back(step.spec);
  m_steps.push_back(std::move(step));
}

Eigen::MatrixXd FeaturePipeline::transform(const table::Table& data) const {
  Eigen::MatrixXd out(Eigen::Index(data.rowCount()), Eigen::Index(outputCount()));
  transformInto(data, out);
  return out;
}

void FeaturePipeline::transformInto(const table::Table& data,
                                    Eigen::Ref<Eigen::MatrixXd> out) const {
  const std::size_t n = data.rowCount();
  if (out.rows() != Eigen::Index(n) || out.cols() < Eigen::Index(outputCount())) {
    throw InputError("transform: output is " + std::to_string(out.rows()) + " x " +
                     std::to_string(out.cols()) + ", needs " + std::to_string(n) + " x " +
                     std::to_string(outputCount()));
  }
  for (const InputStep& step : m_steps) {
    const Column& column = checkedColumn(data, step);
    transformStep(step, column, 0, n, out.col(Eigen::Index(step.firstOutput)).data(), 1,
                  std::size_t(out.outerStride()));
  }
}

void FeaturePipeline::transformRows(const table::Table& data, std::size_t begin, std::size_t end,
                                    double* out) const {
  if (begin > end || end > data.rowCount()) {
    throw InputError("transform: rows " + std::to_string(begin) + ".." + std::to_string(end) +
                     " outside a table of " + std::to_string(data.rowCount()) + " rows");
  }
  const std::size_t width = outputCount();
  for (const InputStep& step : m_steps) {
    const Column& column = checkedColumn(data, step);
    transformStep(step, column, begin, end, out + step.firstOutput, width, 1);
  }
}

void FeaturePipeline::transformDense(const double* raw, std::size_t rows, double* out) const {
  const std::size_t inputs = m_steps.size();
  const std::size_t width = outputCount();
  const bool impute = m_encoding == Encoding::Linear;
  for (std::size_t j = 0; j < inputs; ++j) {
    const InputStep& step = m_steps[j];
    const double center = m_centers[step.firstOutput];
    const double scale = m_scales[step.firstOutput];
    const double fill = impute ? step.fillValue : std::numeric_limits<double>::quiet_NaN();
    for (std::size_t row = 0; row < rows; ++row) {
      const double v = raw[row * inputs + j];
      const double value = std::isnan(v) ? fill : v;
      // The same arithmetic as transformStep, so dense and table scoring agree bit for bit.
      out[row * width + step.firstOutput] = (value - center) / scale;
    }
  }
}

void FeaturePipeline::transformOutput(const table::Table& data, std::size_t output,
                                      std::span<double> out) const {
  const InputStep& step = stepOf(output);
  if (out.size() != data.rowCount()) {
    throw InputError("transform: output column holds " + std::to_string(out.size()) +
                     " values, the table " + std::to_string(data.rowCount()) + " rows");
  }
  const Column& column = checkedColumn(data, step);
  const std::size_t width = outputsOfStep(step);
  if (width == 1) {
    transformStep(step, column, 0, out.size(), out.data(), 1, 0);
    return;
  }
  // A one-hot block: write all its outputs a block of rows at a time and keep the one asked for.
  constexpr std::size_t kBlock = 4096;
  std::vector<double> block(kBlock * width);
  for (std::size_t begin = 0; begin < out.size(); begin += kBlock) {
    const std::size_t end = std::min(out.size(), begin + kBlock);
    transformStep(step, column, begin, end, block.data(), width, 1);
    for (std::size_t row = begin; row < end; ++row) {
      out[row] = block[(row - begin) * width + (output - step.firstOutput)];
    }
  }
}

void FeaturePipeline::checkInputs(const table::Table& data) const {
  for (const InputStep& step : m_steps) (void)checkedColumn(data, step);
}

std::vector<std::string> FeaturePipeline::unseenCategories(const table::Table& data) const {
  std::vector<std::string> messages;
  for (const InputStep& step : m_steps) {
    if (step.spec.type != ColumnType::Categorical || !data.hasColumn(step.spec.name)) continue;
    const Column& column = data.column(step.spec.name);
    const std::set<std::string> known(step.categories.begin(), step.categories.end());
    std::map<std::string, std::size_t> unseen;
    for (std::size_t row = 0; row < column.size(); ++row) {
      if (column.isMissing(row)) continue;
      const std::string value = column.textAt(row);
      if (!known.count(value)) ++unseen[value];
    }
    if (unseen.empty()) continue;
    std::string list;
    std::size_t shown = 0;
    for (const auto& [value, count] : unseen) {
      if (shown++ == 5) {
        list += ", ...";
        break;
      }
      list += (list.empty() ? "'" : ", '") + value + "' x " + std::to_string(count);
    }
    messages.push_back(step.spec.name + ": " + std::to_string(unseen.size()) +
                       (unseen.size() == 1 ? " category" : " categories") +
                       " unseen in training (" + list +
                       "); those rows are scored as if the value were missing");
  }
  return messages;
}

bool FeaturePipeline::isOrdinalCategory(std::size_t output) const {
  return m_encoding == Encoding::Trees &&
         stepOf(output).spec.type == ColumnType::Categorical;
}

const std::vector<std::string>& FeaturePipeline::categoriesOf(std::size_t output) const {
  return stepOf(output).categories;
}

const FeaturePipeline::InputStep& FeaturePipeline::stepOf(std::size_t output) const {
  if (output >= m_stepOfOutput.size()) {
    throw InputError("transform: no output " + std::to_string(output) + " (the pipeline has " +
                     std::to_string(m_stepOfOutput.size()) + ")");
  }
  return m_steps[m_stepOfOutput[output]];
}

std::size_t FeaturePipeline::outputsOfStep(const InputStep& step) const {
  return m_encoding == Encoding::Linear && step.spec.type == ColumnType::Categorical
             ? step.categories.size()
             : 1;
}

const Column& FeaturePipeline::checkedColumn(const table::Table& data,
                                             const InputStep& step) const {
  const Column& column = requireColumn(data, step.spec.name);
  if (step.spec.type != ColumnType::Categorical && column.type() == ColumnType::Categorical) {
    throw InputError("feature column '" + step.spec.name +
                     "' is categorical, but the model was trained on it as " +
                     table::columnTypeName(step.spec.type));
  }
  return column;
}

void FeaturePipeline::transformStep(const InputStep& step, const Column& column,
                                    std::size_t begin, std::size_t end, double* out,
                                    std::size_t rowStride, std::size_t colStride) const {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  const bool impute = m_encoding == Encoding::Linear;
  if (step.spec.type != ColumnType::Categorical) {
    const double center = m_centers[step.firstOutput];
    const double scale = m_scales[step.firstOutput];
    const double fill = impute ? step.fillValue : kNaN;
    if (column.type() == ColumnType::Numeric) {
      const std::span<const double> values = column.numbers();
      for (std::size_t row = begin; row < end; ++row) {
        const double value = std::isnan(values[row]) ? fill : values[row];
        out[(row - begin) * rowStride] = (value - center) / scale;
      }
    } else {
      for (std::size_t row = begin; row < end; ++row) {
        const double raw = column.numberAt(row);
        const double value = std::isnan(raw) ? fill : raw;
        out[(row - begin) * rowStride] = (value - center) / scale;
      }
    }
    return;
  }
  // The output index of each training category: its one-hot column (Linear) or its ordinal code
  // (Trees). Unseen and missing values get no one-hot column, or NaN.
  std::unordered_map<std::string, std::size_t> levels;
  for (std::size_t i = 0; i < step.categories.size(); ++i) levels.emplace(step.categories[i], i);
  const bool ordinal = m_encoding == Encoding::Trees;
  const std::size_t width = ordinal ? 1 : step.categories.size();
  for (std::size_t row = begin; row < end; ++row) {
    double* target = out + (row - begin) * rowStride;
    if (ordinal) {
      target[0] = kNaN;
    } else {
      for (std::size_t k = 0; k < width; ++k) target[k * colStride] = 0.0;
    }
  }
  auto set = [&](std::size_t row, std::size_t level) {
    double* target = out + (row - begin) * rowStride;
    if (ordinal) {
      target[0] = double(level);
    } else {
      target[level * colStride] = 1.0;
    }
  };
  if (column.type() == ColumnType::Categorical) {
    constexpr std::size_t kUnseen = std::size_t(-1);
    std::vector<std::size_t> levelOfCode(column.dictionary().size(), kUnseen);
    for (std::size_t code = 0; code < levelOfCode.size(); ++code) {
      const auto it = levels.find(column.dictionary()[code]);
      if (it != levels.end()) levelOfCode[code] = it->second;
    }
    const std::span<const std::int32_t> codes = column.codes();
    for (std::size_t row = begin; row < end; ++row) {
      if (codes[row] == table::kMissingCode) continue;
      const std::size_t level = levelOfCode[std::size_t(codes[row])];
      if (level != kUnseen) set(row, level);
    }
  } else {
    // A column typed differently in this file (e.g. codes that look numeric): match by text.
    for (std::size_t row = begin; row < end; ++row) {
      if (column.isMissing(row)) continue;
      const auto it = levels.find(column.textAt(row));
      if (it != levels.end()) set(row, it->second);
    }
  }
}

nlohmann::json FeaturePipeline::toJson() const {
  nlohmann::json steps = nlohmann::json::array();
  for (const InputStep& step : m_steps) {
    nlohmann::json item = {{"name", step.spec.name},
                           {"type", table::columnTypeName(step.spec.type)}};
    if (step.spec.type == ColumnType::Categorical) {
      item["categories"] = step.categories;
    } else {
      item["fill"] = step.fillValue;
      item["center"] = m_centers[step.firstOutput];
      item["scale"] = m_scales[step.firstOutput];
    }
    steps.push_back(std::move(item));
  }
  nlohmann::json json = {{"standardise", m_standardise}, {"steps", std::move(steps)}};
  if (m_encoding == Encoding::Trees) json["encoding"] = "trees";
  return json;
}

FeaturePipeline FeaturePipeline::fromJson(const nlohmann::json& json) {
  if (!json.is_object()) throw Corrupt("preprocessing: must be an object");
  FeaturePipeline pipeline;
  const auto standardise = json.find("standardise");
  if (standardise == json.end() || !standardise->is_boolean()) {
    throw Corrupt("preprocessing.standardise: missing or not true/false");
  }
  pipeline.m_standardise = standardise->get<bool>();
  if (const auto encoding = json.find("encoding"); encoding != json.end()) {
    if (*encoding == "trees") {
      pipeline.m_encoding = Encoding::Trees;
    } else if (*encoding != "linear") {
      throw Corrupt("preprocessing.encoding: must be \"linear\" or \"trees\"");
    }
  }
  const auto steps = json.find("steps");
  if (steps == json.end() || !steps->is_array()) {
    throw Corrupt("preprocessing.steps: missing or not an array");
  }
  if (steps->empty()) throw Corrupt("preprocessing.steps: is empty (a model needs inputs)");
  std::set<std::string> names;
  for (std::size_t i = 0; i < steps->size(); ++i) {
    const nlohmann::json& item = (*steps)[i];
    const std::string where = "steps[" + std::to_string(i) + "]";
    if (!item.is_object()) corrupt(where, "must be an object");
    const auto name = item.find("name");
    if (name == item.end() || !name->is_string() || name->get<std::string>().empty()) {
      corrupt(where + ".name", "missing or not a non-empty string");
    }
    InputStep step;
    step.spec.name = name->get<std::string>();
    if (!names.insert(step.spec.name).second) {
      corrupt(where + ".name", "'" + step.spec.name + "' appears twice");
    }
    const auto type = item.find("type");
    if (type == item.end() || !type->is_string())
      corrupt(where + ".type", "missing or not a string");
    try {
      step.spec.type = table::columnTypeFromName(type->get<std::string>());
    } catch (const InputError&) {
      corrupt(where + ".type", "unknown column type '" + type->get<std::string>() +
                                   "' (known: numeric, categorical, boolean)");
    }
    if (step.spec.type == ColumnType::Categorical) {
      const auto categories = item.find("categories");
      if (categories == item.end() || !categories->is_array() || categories->empty()) {
        corrupt(where + ".categories", "missing or not a non-empty array");
      }
      std::set<std::string> unique;
      for (const nlohmann::json& category : *categories) {
        if (!category.is_string()) corrupt(where + ".categories", "holds a non-string");
        const std::string& level = category.get_ref<const std::string&>();
        if (!unique.insert(level).second) {
          corrupt(where + ".categories", "'" + level + "' appears twice");
        }
        step.categories.push_back(level);
      }
    } else {
      step.fillValue = finiteNumber(item, "fill", where);
      step.center = finiteNumber(item, "center", where);
      step.scale = finiteNumber(item, "scale", where);
      if (!(step.scale > 0)) corrupt(where + ".scale", "must be > 0");
    }
    pipeline.addStep(std::move(step));
  }
  return pipeline;
}

}  // namespace geih::ml
