#include "core/pipeline/cross_validation.h"

#include <cmath>
#include <map>

#include "core/common/error.h"
#include "core/common/time_util.h"

namespace geih::pipeline {

NamedMetrics runCrossValidation(store::Workspace& workspace, const std::string& runId,
                                const ml::Learner& learner, const ml::TrainingData& training,
                                const ml::CvSpec& requested, double threshold,
                                Progress& progress) {
  const table::Table& data = *training.table;
  ml::CvSpec spec = requested;
  if (spec.kind == ml::CvKind::Auto) {
    spec.kind = training.task == ml::Task::BinaryClassification ? ml::CvKind::Stratified
                                                                : ml::CvKind::KFold;
  }
  const std::vector<ml::Fold> folds = ml::makeFolds(data, training.target, spec);
  std::vector<std::string> order;
  std::map<std::string, std::vector<double>> values;
  std::vector<store::MetricPoint> points;
  for (std::size_t f = 0; f < folds.size(); ++f) {
    progress.checkCancelled();
    const std::string stage = std::string(ml::cvKindName(spec.kind)) + " fold " +
                              std::to_string(f + 1) + " of " + std::to_string(folds.size());
    ProgressSlice slice(progress, double(f) / double(folds.size()),
                        double(f + 1) / double(folds.size()));
    slice.report(0.0, stage);
    const table::Table train = data.selectRows(folds[f].train);
    const table::Table test = data.selectRows(folds[f].test);
    ml::TrainingData foldData = training;
    foldData.table = &train;
    std::unique_ptr<ml::Model> model;
    try {
      model = learner.fit(foldData, slice);
    } catch (const InputError& error) {
      throw InputError(stage + ": " + error.what());
    }
    std::vector<double> labels;
    const table::Column& target = test.column(training.target);
    for (std::size_t row = 0; row < test.rowCount(); ++row) labels.push_back(target.numberAt(row));
    NamedMetrics metrics;
    try {
      metrics = scoreMetrics(training.task, labels, model->predict(test), threshold);
    } catch (const InputError& error) {
      throw InputError(stage + ": " + error.what());
    }
    for (const auto& [name, value] : metrics) {
      if (std::isnan(value)) continue;
      if (!values.count(name)) order.push_back(name);
      values[name].push_back(value);
      points.push_back({"cv_" + name, value, std::int64_t(f), nowMillis()});
    }
  }
  workspace.logMetricPoints(runId, points);
  NamedMetrics summary;
  for (const std::string& name : order) {
    const std::vector<double>& v = values[name];
    double mean = 0;
    for (const double x : v) mean += x;
    mean /= double(v.size());
    double variance = 0;
    for (const double x : v) variance += (x - mean) * (x - mean);
    summary.emplace_back("cv_" + name + "_mean", mean);
    summary.emplace_back("cv_" + name + "_std", std::sqrt(variance / double(v.size())));
  }
  workspace.logMetrics(runId, summary);
  return summary;
}

}  // namespace geih::pipeline
