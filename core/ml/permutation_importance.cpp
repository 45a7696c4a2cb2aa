#include "core/ml/permutation_importance.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/common/error.h"
#include "core/common/rng.h"
#include "core/eval/binary_metrics.h"
#include "core/eval/regression_metrics.h"

namespace geih::ml {
namespace {

double score(Task task, std::span<const double> labels, std::span<const double> predicted) {
  return task == Task::BinaryClassification ? eval::rocAuc(labels, predicted)
                                            : eval::rSquared(labels, predicted);
}

// `data` with the column `name` replaced by its rows in `permutation` order.
table::Table withPermuted(const table::Table& data, const std::string& name,
                          const std::vector<std::size_t>& permutation) {
  table::Table out;
  for (const table::Column& column : data.columns()) {
    if (column.name() != name) {
      out.addColumn(column);
      continue;
    }
    table::Table single;
    single.addColumn(column);
    out.addColumn(single.selectRows(permutation).column(0));
  }
  return out;
}

}  // namespace

const char* permutationMetric(Task task) {
  return task == Task::BinaryClassification ? "roc_auc" : "r2";
}

std::vector<FeatureImportance> permutationImportance(const Model& model, const table::Table& data,
                                                     std::span<const double> labels,
                                                     const PermutationOptions& options,
                                                     Progress& progress) {
  if (labels.size() != data.rowCount()) {
    throw InputError("permutation importance: " + std::to_string(labels.size()) + " labels for " +
                     std::to_string(data.rowCount()) + " rows");
  }
  Rng rng(options.seed);
  // A seeded sample of the rows when there are many.
  std::vector<std::size_t> rows(data.rowCount());
  std::iota(rows.begin(), rows.end(), 0);
  if (rows.size() > options.maxRows) {
    rng.shuffle(rows);
    rows.resize(options.maxRows);
    std::sort(rows.begin(), rows.end());
  }
  const table::Table sample = data.selectRows(rows);
  std::vector<double> y;
  for (const std::size_t row : rows) y.push_back(labels[row]);
  const double baseline = score(model.task(), y, model.predict(sample));

  const std::vector<FeatureSpec>& inputs = model.pipeline().inputs();
  std::vector<FeatureImportance> result;
  for (std::size_t k = 0; k < inputs.size(); ++k) {
    progress.checkCancelled();
    std::vector<double> drops;
    for (int r = 0; r < options.repeats; ++r) {
      std::vector<std::size_t> permutation(sample.rowCount());
      std::iota(permutation.begin(), permutation.end(), 0);
      rng.shuffle(permutation);
      const table::Table shuffled = withPermuted(sample, inputs[k].name, permutation);
      drops.push_back(baseline - score(model.task(), y, model.predict(shuffled)));
    }
    FeatureImportance item{inputs[k].name, 0, 0};
    for (const double drop : drops) item.mean += drop;
    item.mean /= double(drops.size());
    for (const double drop : drops) item.std += (drop - item.mean) * (drop - item.mean);
    item.std = std::sqrt(item.std / double(drops.size()));
    result.push_back(item);
    progress.report(double(k + 1) / double(inputs.size()), "permutation importance");
  }
  std::stable_sort(result.begin(), result.end(),
                   [](const FeatureImportance& a, const FeatureImportance& b) { return a.mean > b.mean; });
  return result;
}

}  // namespace geih::ml
