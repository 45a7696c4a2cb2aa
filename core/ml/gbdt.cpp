#include "core/ml/gbdt.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include <omp.h>

#include "core/common/error.h"
#include "core/common/rng.h"
#include "core/ml/feature_binning.h"
#include "core/ml/quantized_gradients.h"
#include "core/ml/quantized_histogram.h"
#include "core/ml/training_labels.h"
#include "core/ml/tree_ensemble_model.h"
#include "core/ml/tree_grower.h"

namespace geih::ml {
namespace {

// Mean loss of raw scores over `rows`: log loss (binary) or half squared error (regression).
double meanLoss(bool binary, std::span<const std::uint32_t> rows, const std::vector<double>& raw,
                const std::vector<double>& labels) {
  double sum = 0;
  for (const std::uint32_t row : rows) {
    const double z = raw[row];
    if (binary) {
      // log(1 + e^z) - y z, stable for large |z|.
      sum += (z > 0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z))) - labels[row] * z;
    } else {
      const double residual = z - labels[row];
      sum += 0.5 * residual * residual;
    }
  }
  return rows.empty() ? 0.0 : sum / double(rows.size());
}

// Leaf values from the exact gradients of the leaves' rows, after the split search ran on
// quantised ones: -G / (H + lambda), summed in row order.
void renewLeafValues(GrownTree& grown, const std::vector<std::uint32_t>& rows,
                     const std::vector<GradientPair>& gradients, double lambda, int threads) {
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
  for (std::size_t k = 0; k < grown.leaves.size(); ++k) {
    const LeafRange& leaf = grown.leaves[k];
    double g = 0, h = 0;
    for (std::size_t i = leaf.begin; i < leaf.end; ++i) {
      g += double(gradients[rows[i]].g);
      h += double(gradients[rows[i]].h);
    }
    TreeNode& node = grown.tree.nodes[std::size_t(leaf.node)];
    node.value = -g / (h + lambda);
    node.cover = h;
  }
}

}  // namespace

std::vector<ParamSpec> GbdtLearner::schema() {
  return {
      intParam("n_estimators", 100, "boosting rounds (trees)", 1, 100000),
      doubleParam("learning_rate", 0.1, "shrinkage of every tree's output", 0, 1, true),
      intParam("max_leaves", 31, "leaves per tree (best-first growth)", 2, 65536),
      intParam("max_depth", 0, "depth limit per tree; 0 = none", 0, 64),
      intParam("min_child_samples", 20, "rows a leaf must keep at least", 1, 1e9),
      doubleParam("min_child_weight", 0.001, "hessian sum a leaf must keep at least", 0),
      doubleParam("l2_regularization", 1.0, "L2 penalty on leaf values (XGBoost's lambda)", 0),
      doubleParam("min_split_gain", 0.0, "a split must gain more than this", 0),
      intParam("max_bins", 255, "quantile bins per feature (plus one for missing)", 2, 255),
      doubleParam("subsample", 1.0, "share of rows drawn for each tree", 0, 1, true),
      doubleParam("colsample_bytree", 1.0, "share of features drawn for each tree", 0, 1, true),
      doubleParam("cat_smooth", 10.0, "smoothing of the category order in categorical splits", 0),
      intParam("early_stopping_rounds", 0,
               "stop when the validation loss has not improved for this many rounds; 0 = off", 0,
               1e9),
      doubleParam("validation_fraction", 0.1, "rows held out for early stopping", 0, 0.9, true),
      boolParam("quantized_gradients", true,
                "search splits on gradients rounded to 8-bit integers (leaf values stay exact)"),
      intParam("seed", 0, "seed of subsampling, rounding and the validation split", 0, 9.0e15),
  };
}

GbdtLearner::GbdtLearner(const ParamMap& params) : m_params(resolveParams(schema(), params)) {}

std::unique_ptr<Model> GbdtLearner::fit(const TrainingData& data, Progress& progress) const {
  const std::vector<double> labels = trainingLabels(data);
  const std::vector<std::string> features = trainingFeatures(data);
  const table::Table& table = *data.table;
  const bool binary = data.task == Task::BinaryClassification;
  const int threads = data.threads > 0 ? data.threads : omp_get_max_threads();

  const int trees = int(paramInt(m_params, "n_estimators"));
  const double learningRate = paramDouble(m_params, "learning_rate");
  const double subsample = paramDouble(m_params, "subsample");
  const double colsample = paramDouble(m_params, "colsample_bytree");
  const int earlyStopping = int(paramInt(m_params, "early_stopping_rounds"));
  const double validationFraction = paramDouble(m_params, "validation_fraction");
  const auto seed = std::uint64_t(paramInt(m_params, "seed"));
  const bool quantized = paramBool(m_params, "quantized_gradients");

  GrowerParams grower;
  grower.maxLeaves = int(paramInt(m_params, "max_leaves"));
  grower.maxDepth = int(paramInt(m_params, "max_depth"));
  grower.rules.criterion = SplitCriterion::Newton;
  grower.rules.lambda = paramDouble(m_params, "l2_regularization");
  grower.rules.minChildSamples = double(paramInt(m_params, "min_child_samples"));
  grower.rules.minChildWeight = paramDouble(m_params, "min_child_weight");
  grower.rules.minGain = paramDouble(m_params, "min_split_gain");
  grower.rules.catSmooth = paramDouble(m_params, "cat_smooth");
  grower.leafOutput = LeafOutput::Newton;
  grower.threads = threads;

  progress.report(0.0, "binning features");
  FeaturePipeline pipeline = FeaturePipeline::fitForTrees(table, features);
  ProgressSlice binning(progress, 0.0, 0.05);
  const BinnedMatrix matrix = BinnedMatrix::fit(pipeline, table, int(paramInt(m_params, "max_bins")),
                                                seed, threads, binning);
  const std::size_t n = matrix.rows();
  const std::size_t p = matrix.features();
  const RowMajorBins rowMajor = quantized ? RowMajorBins(matrix, threads) : RowMajorBins();
  QuantizedGradients quantizedGradients;
  const QuantizedInputs quantizedInputs{&rowMajor, &quantizedGradients};

  // Rows to train on and rows held out for early stopping.
  Rng rng(seed);
  std::vector<std::uint32_t> trainRows(n), validationRows;
  std::iota(trainRows.begin(), trainRows.end(), 0u);
  if (earlyStopping > 0) {
    std::vector<std::uint32_t> shuffled = trainRows;
    rng.shuffle(shuffled);
    const auto held = std::size_t(std::round(validationFraction * double(n)));
    if (held == 0 || held >= n) {
      throw InputError("gbdt: early stopping needs rows on both sides of the validation split (" +
                       std::to_string(n) + " rows, validation_fraction " +
                       std::to_string(validationFraction) + ")");
    }
    validationRows.assign(shuffled.begin(), shuffled.begin() + std::ptrdiff_t(held));
    trainRows.assign(shuffled.begin() + std::ptrdiff_t(held), shuffled.end());
    std::sort(validationRows.begin(), validationRows.end());
    std::sort(trainRows.begin(), trainRows.end());
  }
  const bool allRowsTrain = validationRows.empty() && subsample >= 1.0;

  // The starting score: the log-odds of the positive share, or the mean.
  double labelSum = 0;
  for (const std::uint32_t row : trainRows) labelSum += labels[row];
  const double mean = labelSum / double(trainRows.size());
  if (binary && (mean <= 0 || mean >= 1)) {
    throw InputError("target column '" + data.target +
                     "' holds only one class in the rows left for training");
  }
  const double baseScore = binary ? std::log(mean / (1 - mean)) : mean;

  std::vector<double> raw(n, baseScore);
  std::vector<GradientPair> gradients(n);
  std::vector<TreeNodes> fitted;
  std::vector<std::int32_t> allFeatures(p);
  std::iota(allFeatures.begin(), allFeatures.end(), 0);
  std::vector<std::uint32_t> rows;
  std::vector<char> inTree(n);
  double bestLoss = std::numeric_limits<double>::infinity();
  int bestRound = -1;
  ProgressSlice boosting(progress, 0.05, 1.0);

  for (int round = 0; round < trees; ++round) {
    boosting.checkCancelled();
    // Log loss gradients are bounded (|p - y| <= 1, p (1 - p) <= 1/4): quantised as they are
    // computed. Squared error ones are quantised after their largest is known.
    const std::uint64_t stream = seed * 0x9e3779b97f4a7c15ULL + std::uint64_t(round);
    const bool quantizeNow = quantized && binary;
    if (quantizeNow) quantizedGradients.prepare(n, 1.0, 0.25, stream);
#pragma omp parallel for schedule(static) num_threads(threads)
    for (std::size_t i = 0; i < trainRows.size(); ++i) {
      const std::uint32_t row = trainRows[i];
      if (binary) {
        // Single precision, as the gradients are stored: expf is about twice as fast as exp.
        const float probability = 1.0f / (1.0f + std::exp(-float(raw[row])));
        gradients[row] = {probability - float(labels[row]),
                          std::max(probability * (1.0f - probability), 1e-16f)};
        if (quantizeNow) quantizedGradients.quantize(row, gradients[row]);
      } else {
        gradients[row] = {float(raw[row] - labels[row]), 1.0f};
      }
    }
    if (quantized && !binary) {
      quantizeGradients(gradients.data(), trainRows, n, stream, threads, quantizedGradients);
    }
    if (subsample < 1.0) {
      rows.clear();
      for (const std::uint32_t row : trainRows) {
        if (rng.uniform() < subsample) rows.push_back(row);
      }
      if (rows.empty()) rows.push_back(trainRows[std::size_t(rng.below(trainRows.size()))]);
    } else {
      rows = trainRows;
    }
    std::vector<std::int32_t> treeFeatures = allFeatures;
    if (colsample < 1.0) {
      const auto k = std::max<std::size_t>(1, std::size_t(std::round(colsample * double(p))));
      rng.shuffle(treeFeatures);
      treeFeatures.resize(k);
      std::sort(treeFeatures.begin(), treeFeatures.end());
    }

    GrownTree grown = growTree(matrix, gradients.data(), rows, allRowsTrain, treeFeatures, grower,
                               rng, quantized ? &quantizedInputs : nullptr);
    if (quantized) renewLeafValues(grown, rows, gradients, grower.rules.lambda, threads);
    for (TreeNode& node : grown.tree.nodes) node.value *= learningRate;

    // Rows in the tree get their leaf's value from the partition; the others walk the tree.
    if (!allRowsTrain) std::fill(inTree.begin(), inTree.end(), 0);
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
    for (std::size_t k = 0; k < grown.leaves.size(); ++k) {
      const LeafRange& leaf = grown.leaves[k];
      const double value = grown.tree.nodes[std::size_t(leaf.node)].value;
      for (std::size_t i = leaf.begin; i < leaf.end; ++i) raw[rows[i]] += value;
      if (!allRowsTrain) {
        for (std::size_t i = leaf.begin; i < leaf.end; ++i) inTree[rows[i]] = 1;
      }
    }
    if (!allRowsTrain) {
      const std::uint8_t* base = matrix.column(0);
#pragma omp parallel for schedule(static) num_threads(threads)
      for (std::size_t row = 0; row < n; ++row) {
        if (!inTree[row]) raw[row] += grown.tree.predictBinned(base + row, n);
      }
    }
    fitted.push_back(std::move(grown.tree));

    if (earlyStopping > 0) {
      const double loss = meanLoss(binary, validationRows, raw, labels);
      if (loss < bestLoss) {
        bestLoss = loss;
        bestRound = round;
      } else if (round - bestRound >= earlyStopping) {
        break;
      }
    }
    boosting.report(double(round + 1) / double(trees),
                    "tree " + std::to_string(round + 1) + " of " + std::to_string(trees));
  }

  nlohmann::json info = {{"trees_fitted", fitted.size()}};
  if (earlyStopping > 0) {
    fitted.resize(std::size_t(bestRound + 1));
    info["best_iteration"] = bestRound + 1;
    info["validation_loss"] = bestLoss;
    info["validation_rows"] = validationRows.size();
  }
  if (earlyStopping == 0) info["train_loss"] = meanLoss(binary, trainRows, raw, labels);
  return std::make_unique<TreeEnsembleModel>("gbdt", data.task, data.target, std::move(pipeline),
                                             m_params, TreeAggregation::Sum, baseScore,
                                             std::move(fitted), std::move(info));
}

}  // namespace geih::ml
