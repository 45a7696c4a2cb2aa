#include "core/ml/random_forest.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <numeric>

#include <omp.h>

#include "core/common/error.h"
#include "core/common/rng.h"
#include "core/eval/binary_metrics.h"
#include "core/ml/feature_binning.h"
#include "core/ml/training_labels.h"
#include "core/ml/tree_ensemble_model.h"
#include "core/ml/tree_grower.h"

namespace geih::ml {
namespace {

struct EnsembleSettings {
  std::string kind;
  int trees = 1;
  bool bootstrap = false;
  double maxSamples = 1.0;
  std::string maxFeatures = "all";
  bool oobScore = false;
  double minImpurityDecrease = 0.0;
  std::uint64_t seed = 0;
  GrowerParams grower;
};

int featuresPerNode(const std::string& rule, std::size_t p, Task task) {
  std::size_t k = p;
  if (rule == "sqrt" || (rule == "auto" && task == Task::BinaryClassification)) {
    k = std::size_t(std::sqrt(double(p)));
  } else if (rule == "log2") {
    k = std::size_t(std::log2(double(p)));
  }
  k = std::clamp<std::size_t>(k, 1, p);
  return k >= p ? 0 : int(k);  // 0: every feature at every node
}

double rSquared(const std::vector<double>& y, const std::vector<double>& predicted) {
  double mean = 0;
  for (const double value : y) mean += value;
  mean /= double(y.size());
  double residual = 0, total = 0;
  for (std::size_t i = 0; i < y.size(); ++i) {
    residual += (y[i] - predicted[i]) * (y[i] - predicted[i]);
    total += (y[i] - mean) * (y[i] - mean);
  }
  return total > 0 ? 1.0 - residual / total : 0.0;
}

std::unique_ptr<Model> fitEnsemble(const TrainingData& data, const ParamMap& params,
                                   EnsembleSettings settings, Progress& progress) {
  const std::vector<double> labels = trainingLabels(data);
  const std::vector<std::string> features = trainingFeatures(data);
  const table::Table& table = *data.table;
  const int threads = data.threads > 0 ? data.threads : omp_get_max_threads();

  progress.report(0.0, "binning features");
  FeaturePipeline pipeline = FeaturePipeline::fitForTrees(table, features);
  ProgressSlice binning(progress, 0.0, 0.05);
  const BinnedMatrix matrix = BinnedMatrix::fit(pipeline, table, int(paramInt(params, "max_bins")),
                                                settings.seed, threads, binning);
  const std::size_t n = matrix.rows();
  const std::size_t p = matrix.features();
  settings.grower.featuresPerNode = featuresPerNode(settings.maxFeatures, p, data.task);
  const auto drawn = std::max<std::size_t>(1, std::size_t(std::round(settings.maxSamples * double(n))));
  const double sampleWeight = settings.bootstrap ? double(drawn) : double(n);
  // scikit-learn's min_impurity_decrease in the units of the split gain (see split_finder.h).
  const double perRow = settings.minImpurityDecrease * sampleWeight;
  switch (settings.grower.rules.criterion) {
    case SplitCriterion::Entropy: settings.grower.rules.minGain = perRow * std::log(2.0); break;
    case SplitCriterion::Mean:
      settings.grower.rules.minGain =
          data.task == Task::BinaryClassification ? perRow / 2 : perRow;
      break;
    case SplitCriterion::Newton: break;
  }

  std::vector<std::int32_t> allFeatures(p);
  std::iota(allFeatures.begin(), allFeatures.end(), 0);
  std::vector<TreeNodes> trees(std::size_t(settings.trees));
  const bool parallelTrees = settings.trees > 1 && threads > 1;
  settings.grower.threads = parallelTrees ? 1 : threads;
  const bool oob = settings.bootstrap && settings.oobScore;
  // Each tree's out-of-bag rows and its predictions for them (made while the tree is hot in
  // cache), summed in tree order afterwards.
  std::vector<std::vector<std::uint32_t>> oobRows(oob ? std::size_t(settings.trees) : 0);
  std::vector<std::vector<double>> oobPredictions(oob ? std::size_t(settings.trees) : 0);
  const int teams = parallelTrees ? threads : 1;
  std::atomic<int> done{0};
  std::exception_ptr failure;
  ProgressSlice growing(progress, 0.05, 0.98);
  const Rng master(settings.seed);

#pragma omp parallel num_threads(teams)
  {
    const int team = omp_get_thread_num();
    std::vector<GradientPair> gradients(n);
    std::vector<std::uint32_t> counts;
    std::vector<std::uint32_t> rows;
#pragma omp for schedule(dynamic, 1)
    for (int t = 0; t < settings.trees; ++t) {
      if (failure || growing.isCancelled()) continue;
      try {
        Rng rng = master.split(std::uint64_t(t));
        rows.clear();
        if (settings.bootstrap) {
          counts.assign(n, 0);
          for (std::size_t draw = 0; draw < drawn; ++draw) ++counts[std::size_t(rng.below(n))];
          for (std::size_t row = 0; row < n; ++row) {
            if (counts[row] == 0) continue;
            rows.push_back(std::uint32_t(row));
            gradients[row] = {float(labels[row] * counts[row]), float(counts[row])};
          }
        } else {
          rows.resize(n);
          std::iota(rows.begin(), rows.end(), 0u);
          for (std::size_t row = 0; row < n; ++row) gradients[row] = {float(labels[row]), 1.0f};
        }
        GrownTree grown = growTree(matrix, gradients.data(), rows, !settings.bootstrap,
                                   allFeatures, settings.grower, rng);
        if (oob) {
          const std::uint8_t* base = matrix.column(0);
          std::vector<std::uint32_t>& out = oobRows[std::size_t(t)];
          std::vector<double>& predictions = oobPredictions[std::size_t(t)];
          const auto left = std::size_t(std::count(counts.begin(), counts.end(), 0u));
          out.reserve(left);
          predictions.reserve(left);
          for (std::size_t row = 0; row < n; ++row) {
            if (counts[row] != 0) continue;
            out.push_back(std::uint32_t(row));
            predictions.push_back(grown.tree.predictBinned(base + row, n));
          }
        }
        trees[std::size_t(t)] = std::move(grown.tree);
        const int finished = ++done;
        if (team == 0) {
          growing.report(double(finished) / double(settings.trees),
                         "tree " + std::to_string(finished) + " of " +
                             std::to_string(settings.trees));
        }
      } catch (...) {
#pragma omp critical
        if (!failure) failure = std::current_exception();
      }
    }
  }
  if (failure) std::rethrow_exception(failure);
  progress.checkCancelled();

  nlohmann::json info = nlohmann::json::object();
  if (oob) {
    // Each row averages the trees that did not see it, in tree order (the same bits on any
    // number of threads).
    std::vector<double> sums(n, 0.0), counts(n, 0.0);
    for (std::size_t t = 0; t < oobRows.size(); ++t) {
      for (std::size_t i = 0; i < oobRows[t].size(); ++i) {
        sums[oobRows[t][i]] += oobPredictions[t][i];
        counts[oobRows[t][i]] += 1;
      }
    }
    std::vector<double> y, predicted;
    for (std::size_t row = 0; row < n; ++row) {
      if (counts[row] == 0) continue;
      y.push_back(labels[row]);
      predicted.push_back(sums[row] / counts[row]);
    }
    info["oob_rows"] = y.size();
    if (data.task == Task::BinaryClassification) {
      const bool both = std::find(y.begin(), y.end(), 0.0) != y.end() &&
                        std::find(y.begin(), y.end(), 1.0) != y.end();
      if (both) info["oob_roc_auc"] = eval::rocAuc(y, predicted);
    } else if (y.size() > 1) {
      info["oob_r2"] = rSquared(y, predicted);
    }
  }
  int depth = 0, leaves = 0;
  for (const TreeNodes& tree : trees) {
    depth = std::max(depth, tree.depth());
    leaves += tree.leafCount();
  }
  info["max_depth_reached"] = depth;
  info["mean_leaves"] = double(leaves) / double(trees.size());
  return std::make_unique<TreeEnsembleModel>(settings.kind, data.task, data.target,
                                             std::move(pipeline), params, TreeAggregation::Mean,
                                             0.0, std::move(trees), std::move(info));
}

void readTreeParams(const ParamMap& params, Task task, EnsembleSettings& settings) {
  const std::string criterion = params.at("criterion");
  settings.grower.rules.criterion =
      task == Task::BinaryClassification && criterion == "entropy" ? SplitCriterion::Entropy
                                                                  : SplitCriterion::Mean;
  settings.grower.rules.lambda = 0.0;
  settings.grower.rules.minChildWeight = 0.0;
  settings.grower.rules.minChildSamples = double(paramInt(params, "min_samples_leaf"));
  settings.grower.minSamplesSplit = double(paramInt(params, "min_samples_split"));
  settings.grower.maxDepth = int(paramInt(params, "max_depth"));
  settings.grower.maxLeaves = int(paramInt(params, "max_leaf_nodes"));
  settings.grower.leafOutput = LeafOutput::Mean;
  settings.minImpurityDecrease = paramDouble(params, "min_impurity_decrease");
  settings.seed = std::uint64_t(paramInt(params, "seed"));
}

std::vector<ParamSpec> treeParams() {
  return {
      choiceParam("criterion", "gini", "split quality for binary targets (regression: squared error)",
                  {"gini", "entropy"}),
      intParam("max_depth", 0, "depth limit; 0 = none", 0, 1000),
      intParam("min_samples_split", 2, "rows a node needs to be split", 2, 1e9),
      intParam("min_samples_leaf", 1, "rows a leaf must keep at least", 1, 1e9),
      intParam("max_leaf_nodes", 0, "leaf limit (best-first growth); 0 = none", 0, 1e9),
      doubleParam("min_impurity_decrease", 0.0, "weighted impurity decrease a split must reach", 0),
      intParam("max_bins", 255, "quantile bins per feature (plus one for missing)", 2, 255),
      intParam("seed", 0, "seed of bootstrap and feature sampling", 0, 9.0e15),
  };
}

}  // namespace

std::vector<ParamSpec> RandomForestLearner::schema() {
  std::vector<ParamSpec> specs = {
      intParam("n_estimators", 100, "trees in the forest", 1, 100000),
      choiceParam("max_features", "auto",
                  "features tried at each node: auto = sqrt for binary, all for regression",
                  {"auto", "sqrt", "log2", "all"}),
      boolParam("bootstrap", true, "draw each tree's rows with replacement"),
      doubleParam("max_samples", 1.0, "rows drawn per tree, as a share of the rows", 0, 1, true),
      boolParam("oob_score", true, "score the out-of-bag rows (with bootstrap)"),
  };
  const std::vector<ParamSpec> tree = treeParams();
  specs.insert(specs.end(), tree.begin(), tree.end());
  return specs;
}

RandomForestLearner::RandomForestLearner(const ParamMap& params)
    : m_params(resolveParams(schema(), params)) {}

std::unique_ptr<Model> RandomForestLearner::fit(const TrainingData& data,
                                                Progress& progress) const {
  EnsembleSettings settings;
  settings.kind = "forest";
  settings.trees = int(paramInt(m_params, "n_estimators"));
  settings.bootstrap = paramBool(m_params, "bootstrap");
  settings.maxSamples = paramDouble(m_params, "max_samples");
  settings.maxFeatures = m_params.at("max_features");
  settings.oobScore = paramBool(m_params, "oob_score");
  readTreeParams(m_params, data.task, settings);
  return fitEnsemble(data, m_params, settings, progress);
}

std::vector<ParamSpec> DecisionTreeLearner::schema() { return treeParams(); }

DecisionTreeLearner::DecisionTreeLearner(const ParamMap& params)
    : m_params(resolveParams(schema(), params)) {}

std::unique_ptr<Model> DecisionTreeLearner::fit(const TrainingData& data,
                                                Progress& progress) const {
  EnsembleSettings settings;
  settings.kind = "tree";
  readTreeParams(m_params, data.task, settings);
  return fitEnsemble(data, m_params, settings, progress);
}

}  // namespace geih::ml
