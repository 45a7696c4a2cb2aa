// The model of every histogram tree learner: a decision tree ("tree"), a random forest ("forest")
// or gradient-boosted trees ("gbdt"), for binary classification or regression.
//
//   sum   (gbdt)         raw = baseScore + sum of tree outputs; binary: probability sigmoid(raw)
//   mean  (tree, forest) output = mean of tree outputs (leaf values are class-1 shares for binary
//                        tasks, means for regression)
// Inputs go through the model's FeaturePipeline (Encoding::Trees: missing values stay NaN and
// follow each split's default side; categories are ordinal codes split by sets).
// Scoring works on blocks of rows in parallel; each row sums its trees in a fixed order, so
// predictions are the same bits on any number of threads.
// Model body JSON: {"aggregation": "sum"|"mean", "base_score": b, "trees": [TreeNodes...],
//                   "info": {...learner-specific figures, e.g. best_iteration, oob_score}}.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/ml/bitvector_scorer.h"
#include "core/ml/decision_tree_nodes.h"
#include "core/ml/model.h"

namespace geih::ml {

enum class TreeAggregation { Sum, Mean };

class TreeEnsembleModel : public Model {
 public:
  TreeEnsembleModel(std::string kind, Task task, std::string target, FeaturePipeline pipeline,
                    ParamMap params, TreeAggregation aggregation, double baseScore,
                    std::vector<TreeNodes> trees, nlohmann::json info = nlohmann::json::object());

  std::string kind() const override { return m_kind; }
  Task task() const override { return m_task; }
  const std::string& target() const override { return m_target; }
  const FeaturePipeline& pipeline() const override { return m_pipeline; }
  const ParamMap& params() const override { return m_params; }
  std::vector<double> gainImportance() const override;

  // Scores a row-major block of design-matrix rows (pipeline outputs): `rows` x outputCount().
  void predictRows(const double* rows, std::size_t count, double* out) const;

  const std::vector<TreeNodes>& trees() const { return m_trees; }
  double baseScore() const { return m_baseScore; }
  TreeAggregation aggregation() const { return m_aggregation; }
  const nlohmann::json& info() const { return m_info; }

  // Checks the document of `kind` (trees consistent with the pipeline) and builds the model;
  // throws Corrupt naming the field.
  static std::unique_ptr<TreeEnsembleModel> fromJson(const nlohmann::json& document,
                                                     const std::string& kind,
                                                     const std::vector<ParamSpec>& schema);

 protected:
  nlohmann::json bodyJson() const override;
  void predictPrepared(const table::Table& data, std::span<double> out) const override;
  void predictTransformed(const double* x, std::size_t rows, double* out) const override {
    predictRows(x, rows, out);
  }

 private:
  // Nodes re-laid out for scoring: children adjacent (right = left + 1), 24 bytes a node. A leaf
  // loops to itself (threshold +inf, missing goes left), so every row of a tree takes the same
  // number of steps, the tree's depth, without a branch on where it is.
  struct PackedNode {
    double threshold;
    std::int32_t feature;
    std::int32_t left;         // absolute index into m_packed
    std::int32_t categorySet;  // -1 = numeric split (or leaf)
    std::int32_t defaultLeft;
  };
  void pack();
  template <bool kCategorical>
  void accumulateTrees(const double* rows, std::size_t count, double* out) const;

  std::string m_kind;
  Task m_task;
  std::string m_target;
  FeaturePipeline m_pipeline;
  ParamMap m_params;
  TreeAggregation m_aggregation;
  double m_baseScore;
  std::vector<TreeNodes> m_trees;
  nlohmann::json m_info;
  std::vector<PackedNode> m_packed;
  std::vector<double> m_values;  // leaf value of each packed node
  std::vector<std::size_t> m_roots;
  std::vector<int> m_depths;
  bool m_hasCategorical = false;
  std::vector<CategorySet> m_sets;
  // The bitvector scorer when the trees allow one (numeric splits, ≤ 64 leaves); shared so the
  // model stays copyable.
  std::shared_ptr<const BitvectorScorer> m_bitvector;
};

}  // namespace geih::ml
