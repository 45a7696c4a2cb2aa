#include "core/ml/training_labels.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "core/common/error.h"

namespace geih::ml {
namespace {

std::string columnList(const table::Table& data) {
  std::string names;
  for (const std::string& name : data.columnNames()) names += (names.empty() ? "" : ", ") + name;
  return names;
}

std::string describe(double value) {
  std::ostringstream text;
  text << value;
  return text.str();
}

}  // namespace

std::vector<double> trainingLabels(const TrainingData& data) {
  if (data.table == nullptr) throw InputError("no training table given");
  if (data.target.empty()) throw InputError("no target column given");
  const table::Table& table = *data.table;
  const std::string& target = data.target;
  if (!table.hasColumn(target)) {
    throw InputError("target column '" + target + "' not found (columns: " + columnList(table) +
                     ")");
  }
  const table::Column& column = table.column(target);
  if (column.type() == table::ColumnType::Categorical) {
    throw InputError("target column '" + target + "' holds text (categorical); a " +
                     std::string(taskName(data.task)) + " target must be numeric" +
                     (data.task == Task::BinaryClassification ? " 0/1 or true/false" : ""));
  }
  if (column.size() == 0) throw InputError("no training rows");
  std::vector<double> labels(column.size());
  std::size_t positives = 0;
  for (std::size_t row = 0; row < column.size(); ++row) {
    const double value = column.numberAt(row);
    if (std::isnan(value)) {
      throw InputError("target column '" + target + "' is missing at data row " +
                       std::to_string(row + 1));
    }
    if (data.task == Task::BinaryClassification && value != 0.0 && value != 1.0) {
      throw InputError("target column '" + target + "' must be 0/1, found " + describe(value) +
                       " at data row " + std::to_string(row + 1));
    }
    if (!std::isfinite(value)) {
      throw InputError("target column '" + target + "' is infinite at data row " +
                       std::to_string(row + 1));
    }
    labels[row] = value;
    positives += value == 1.0;
  }
  if (data.task == Task::BinaryClassification) {
    if (positives == 0 || positives == labels.size()) {
      throw InputError("target column '" + target + "' holds only one class (every row is " +
                       (positives == 0 ? "0" : "1") + "); a binary model needs both");
    }
  } else if (std::all_of(labels.begin(), labels.end(),
                         [&](double value) { return value == labels.front(); })) {
    throw InputError("target column '" + target + "' is constant (every row is " +
                     describe(labels.front()) + "); there is nothing to learn");
  }
  return labels;
}

std::vector<std::string> trainingFeatures(const TrainingData& data) {
  const table::Table& table = *data.table;
  std::vector<std::string> features = data.features;
  if (features.empty()) {
    for (const std::string& name : table.columnNames()) {
      if (name != data.target) features.push_back(name);
    }
  }
  if (features.empty()) throw InputError("no feature columns besides the target '" + data.target + "'");
  if (std::find(features.begin(), features.end(), data.target) != features.end()) {
    throw InputError("the target '" + data.target + "' cannot also be a feature");
  }
  return features;
}

}  // namespace geih::ml
