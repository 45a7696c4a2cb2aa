#include "core/ml/tree_ensemble_model.h"

#include <cmath>
#include <functional>
#include <limits>

#include <omp.h>

#include "core/common/error.h"

namespace geih::ml {
namespace {

// Rows scored together: small blocks for models that stay in cache, large blocks for big forests,
// whose deep trees are then read from memory once per many rows.
constexpr std::size_t kBlockRows = 512;
constexpr std::size_t kLargeModelBlockRows = 16384;
constexpr std::size_t kLargeModelBytes = 1 << 20;

double sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

}  // namespace

TreeEnsembleModel::TreeEnsembleModel(std::string kind, Task task, std::string target,
                                     FeaturePipeline pipeline, ParamMap params,
                                     TreeAggregation aggregation, double baseScore,
                                     std::vector<TreeNodes> trees, nlohmann::json info)
    : m_kind(std::move(kind)), m_task(task), m_target(std::move(target)),
      m_pipeline(std::move(pipeline)), m_params(std::move(params)), m_aggregation(aggregation),
      m_baseScore(baseScore), m_trees(std::move(trees)), m_info(std::move(info)) {
  pack();
}

void TreeEnsembleModel::pack() {
  m_packed.clear();
  m_values.clear();
  m_roots.clear();
  m_depths.clear();
  m_sets.clear();
  m_hasCategorical = false;
  constexpr double kInf = std::numeric_limits<double>::infinity();
  for (const TreeNodes& tree : m_trees) {
    const std::size_t setOffset = m_sets.size();
    m_sets.insert(m_sets.end(), tree.categorySets.begin(), tree.categorySets.end());
    const std::size_t root = m_packed.size();
    m_roots.push_back(root);
    m_depths.push_back(tree.depth());
    m_packed.emplace_back();
    m_values.push_back(0.0);
    // Depth-first: reserve both children of a split next to each other, then fill them.
    std::function<void(std::size_t, std::size_t)> place = [&](std::size_t source,
                                                               std::size_t slot) {
      const TreeNode& node = tree.nodes[source];
      if (node.isLeaf()) {
        m_packed[slot] = {kInf, 0, std::int32_t(slot), -1, 1};
        m_values[slot] = node.value;
        return;
      }
      const std::size_t children = m_packed.size();
      m_packed.resize(children + 2);
      m_values.resize(children + 2);
      m_packed[slot] = {node.threshold, node.feature, std::int32_t(children),
                        node.categorySet < 0 ? -1 : std::int32_t(setOffset) + node.categorySet,
                        node.defaultLeft ? 1 : 0};
      m_hasCategorical |= node.categorySet >= 0;
      place(std::size_t(node.left), children);
      place(std::size_t(node.right), children + 1);
    };
    place(0, root);
  }
  m_bitvector = BitvectorScorer::build(m_trees, m_pipeline.outputCount());
}

template <bool kCategorical>
void TreeEnsembleModel::accumulateTrees(const double* rows, std::size_t count, double* out) const {
  // kLanes rows walk a tree in lock-step: their steps are independent, so the loads overlap.
  constexpr std::size_t kLanes = 16;
  const std::size_t width = m_pipeline.outputCount();
  const PackedNode* nodes = m_packed.data();
  for (std::size_t t = 0; t < m_roots.size(); ++t) {
    const auto root = std::int32_t(m_roots[t]);
    const int depth = m_depths[t];
    for (std::size_t first = 0; first < count; first += kLanes) {
      const std::size_t lanes = std::min(kLanes, count - first);
      std::int32_t index[kLanes];
      for (std::size_t k = 0; k < kLanes; ++k) index[k] = root;
      // Steps until every lane sits on a leaf (a leaf loops to itself); never more than the depth.
      bool moving = true;
      for (int step = 0; step < depth && moving; ++step) {
        moving = false;
        for (std::size_t k = 0; k < lanes; ++k) {
          const PackedNode& node = nodes[index[k]];
          const double value = rows[(first + k) * width + std::size_t(node.feature)];
          bool left;
          if (kCategorical && node.categorySet >= 0) {
            left = value >= 0 && value < 256
                       ? contains(m_sets[std::size_t(node.categorySet)], unsigned(value))
                       : node.defaultLeft != 0;
          } else {
            // NaN compares false: it goes left only when that is the default side.
            left = (value <= node.threshold) | (std::isnan(value) & (node.defaultLeft != 0));
          }
          const std::int32_t next = node.left + (left ? 0 : 1);
          moving |= next != index[k];
          index[k] = next;
        }
      }
      for (std::size_t k = 0; k < lanes; ++k) out[first + k] += m_values[std::size_t(index[k])];
    }
  }
}

void TreeEnsembleModel::predictRows(const double* rows, std::size_t count, double* out) const {
  for (std::size_t r = 0; r < count; ++r) out[r] = 0.0;
  if (m_bitvector) {
    m_bitvector->accumulate(rows, count, m_pipeline.outputCount(), out);
  } else if (m_hasCategorical) {
    accumulateTrees<true>(rows, count, out);
  } else {
    accumulateTrees<false>(rows, count, out);
  }
  const double trees = double(std::max<std::size_t>(1, m_roots.size()));
  for (std::size_t r = 0; r < count; ++r) {
    if (m_aggregation == TreeAggregation::Mean) {
      out[r] /= trees;
    } else {
      out[r] += m_baseScore;
      if (m_task == Task::BinaryClassification) out[r] = sigmoid(out[r]);
    }
  }
}

void TreeEnsembleModel::predictPrepared(const table::Table& data, std::span<double> out) const {
  const std::size_t n = data.rowCount();
  if (out.size() != n) {
    throw InputError("predict: " + std::to_string(out.size()) + " outputs for " +
                     std::to_string(n) + " rows");
  }
  // Checks every feature column up front so the parallel loop cannot fail on a missing one.
  m_pipeline.checkInputs(data);
  const std::size_t width = m_pipeline.outputCount();
  const std::size_t blockRows = m_packed.size() * sizeof(PackedNode) > kLargeModelBytes
                                    ? kLargeModelBlockRows
                                    : kBlockRows;
  const std::size_t blocks = (n + blockRows - 1) / blockRows;
#pragma omp parallel
  {
    std::vector<double> buffer(blockRows * width);
#pragma omp for schedule(dynamic, 1)
    for (std::size_t block = 0; block < blocks; ++block) {
      const std::size_t begin = block * blockRows;
      const std::size_t end = std::min(n, begin + blockRows);
      m_pipeline.transformRows(data, begin, end, buffer.data());
      predictRows(buffer.data(), end - begin, out.data() + begin);
    }
  }
}

std::vector<double> TreeEnsembleModel::gainImportance() const {
  std::vector<double> gains(m_pipeline.outputCount(), 0.0);
  double total = 0;
  for (const TreeNodes& tree : m_trees) {
    for (const TreeNode& node : tree.nodes) {
      if (node.isLeaf()) continue;
      gains[std::size_t(node.feature)] += node.gain;
      total += node.gain;
    }
  }
  if (total > 0) {
    for (double& gain : gains) gain /= total;
  }
  return gains;
}

nlohmann::json TreeEnsembleModel::bodyJson() const {
  nlohmann::json trees = nlohmann::json::array();
  for (const TreeNodes& tree : m_trees) trees.push_back(tree.toJson());
  return {{"aggregation", m_aggregation == TreeAggregation::Sum ? "sum" : "mean"},
          {"base_score", m_baseScore},
          {"trees", std::move(trees)},
          {"info", m_info}};
}

std::unique_ptr<TreeEnsembleModel> TreeEnsembleModel::fromJson(
    const nlohmann::json& document, const std::string& kind,
    const std::vector<ParamSpec>& schema) {
  const auto taskField = document.find("task");
  if (taskField == document.end() || !taskField->is_string()) {
    throw Corrupt("model JSON: task: missing or not a string");
  }
  Task task;
  try {
    task = taskFromName(taskField->get<std::string>());
  } catch (const InputError& error) {
    throw Corrupt(std::string("model JSON: task: ") + error.what());
  }
  ModelDocumentCommon common = readModelDocumentCommon(document, kind, task);
  if (common.pipeline.encoding() != FeaturePipeline::Encoding::Trees) {
    throw Corrupt("model JSON: preprocessing.encoding: a " + kind + " model needs \"trees\"");
  }
  ParamMap params;
  try {
    params = resolveParams(schema, common.params);
  } catch (const InputError& error) {
    throw Corrupt(std::string("model JSON: params: ") + error.what());
  }
  const auto body = document.find("body");
  if (body == document.end() || !body->is_object()) {
    throw Corrupt("model JSON: body: missing or not an object");
  }
  const auto aggregation = body->find("aggregation");
  if (aggregation == body->end() || (*aggregation != "sum" && *aggregation != "mean")) {
    throw Corrupt("model JSON: body.aggregation: must be \"sum\" or \"mean\"");
  }
  const auto base = body->find("base_score");
  if (base == body->end() || !base->is_number() || !std::isfinite(base->get<double>())) {
    throw Corrupt("model JSON: body.base_score: missing or not a finite number");
  }
  const auto treesField = body->find("trees");
  if (treesField == body->end() || !treesField->is_array() || treesField->empty()) {
    throw Corrupt("model JSON: body.trees: missing or not a non-empty array");
  }
  std::vector<TreeNodes> trees;
  trees.reserve(treesField->size());
  for (std::size_t t = 0; t < treesField->size(); ++t) {
    trees.push_back(TreeNodes::fromJson((*treesField)[t], common.pipeline.outputCount(),
                                        "model JSON: body.trees[" + std::to_string(t) + "]"));
  }
  nlohmann::json info = nlohmann::json::object();
  if (const auto it = body->find("info"); it != body->end() && it->is_object()) info = *it;
  auto model = std::make_unique<TreeEnsembleModel>(
      kind, task, common.target, std::move(common.pipeline), std::move(params),
      *aggregation == "sum" ? TreeAggregation::Sum : TreeAggregation::Mean, base->get<double>(),
      std::move(trees), std::move(info));
  model->trainingInfo() = common.training;
  model->setDerivedFeatures(std::move(common.derived));
  return model;
}

}  // namespace geih::ml
