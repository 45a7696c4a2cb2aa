#include "core/ml/decision_tree_nodes.h"

#include <cmath>
#include <functional>
#include <string>

#include "core/common/error.h"
#include "core/ml/feature_binning.h"

namespace geih::ml {
namespace {

bool goesLeftRaw(const TreeNode& node, const std::vector<CategorySet>& sets, double value) {
  if (std::isnan(value)) return node.defaultLeft;
  if (node.categorySet >= 0) {
    if (!(value >= 0 && value < 256)) return node.defaultLeft;
    return contains(sets[std::size_t(node.categorySet)], unsigned(value));
  }
  return value <= node.threshold;
}

bool goesLeftBinned(const TreeNode& node, const std::vector<CategorySet>& sets,
                    std::uint8_t bin) {
  if (bin == kMissingBin) return node.defaultLeft;
  if (node.categorySet >= 0) return contains(sets[std::size_t(node.categorySet)], bin);
  return bin <= node.binThreshold;
}

template <typename T>
std::vector<T> readArray(const nlohmann::json& json, const char* field, std::size_t size,
                         const std::string& where) {
  const auto it = json.find(field);
  if (it == json.end() || !it->is_array()) {
    throw Corrupt(where + "." + field + ": missing or not an array");
  }
  if (it->size() != size) {
    throw Corrupt(where + "." + field + ": holds " + std::to_string(it->size()) +
                  " values, the tree has " + std::to_string(size) + " nodes");
  }
  std::vector<T> values;
  values.reserve(size);
  for (const nlohmann::json& item : *it) {
    if (!item.is_number()) throw Corrupt(where + "." + field + ": holds a non-number");
    values.push_back(item.get<T>());
  }
  return values;
}

}  // namespace

double TreeNodes::predict(const double* row) const {
  std::size_t index = 0;
  while (!nodes[index].isLeaf()) {
    const TreeNode& node = nodes[index];
    index = std::size_t(goesLeftRaw(node, categorySets, row[node.feature]) ? node.left : node.right);
  }
  return nodes[index].value;
}

std::int32_t TreeNodes::leafOfBinned(const std::uint8_t* bins, std::size_t stride) const {
  std::size_t index = 0;
  while (!nodes[index].isLeaf()) {
    const TreeNode& node = nodes[index];
    const std::uint8_t bin = bins[std::size_t(node.feature) * stride];
    index = std::size_t(goesLeftBinned(node, categorySets, bin) ? node.left : node.right);
  }
  return std::int32_t(index);
}

double TreeNodes::predictBinned(const std::uint8_t* bins, std::size_t stride) const {
  return nodes[std::size_t(leafOfBinned(bins, stride))].value;
}

int TreeNodes::depth() const {
  std::function<int(std::size_t)> walk = [&](std::size_t index) -> int {
    const TreeNode& node = nodes[index];
    if (node.isLeaf()) return 0;
    return 1 + std::max(walk(std::size_t(node.left)), walk(std::size_t(node.right)));
  };
  return nodes.empty() ? 0 : walk(0);
}

int TreeNodes::leafCount() const {
  int leaves = 0;
  for (const TreeNode& node : nodes) leaves += node.isLeaf();
  return leaves;
}

nlohmann::json TreeNodes::toJson() const {
  nlohmann::json feature = nlohmann::json::array(), threshold = nlohmann::json::array(),
                 bin = nlohmann::json::array(), left = nlohmann::json::array(),
                 right = nlohmann::json::array(), defaultLeft = nlohmann::json::array(),
                 categorySet = nlohmann::json::array(), value = nlohmann::json::array(),
                 gain = nlohmann::json::array(), cover = nlohmann::json::array();
  for (const TreeNode& node : nodes) {
    feature.push_back(node.feature);
    threshold.push_back(node.threshold);
    bin.push_back(node.binThreshold);
    left.push_back(node.left);
    right.push_back(node.right);
    defaultLeft.push_back(node.defaultLeft ? 1 : 0);
    categorySet.push_back(node.categorySet);
    value.push_back(node.value);
    gain.push_back(node.gain);
    cover.push_back(node.cover);
  }
  nlohmann::json sets = nlohmann::json::array();
  for (const CategorySet& set : categorySets) {
    nlohmann::json codes = nlohmann::json::array();
    for (unsigned code = 0; code < 256; ++code) {
      if (contains(set, code)) codes.push_back(code);
    }
    sets.push_back(std::move(codes));
  }
  return {{"feature", feature}, {"threshold", threshold},       {"bin", bin},
          {"left", left},       {"right", right},               {"default_left", defaultLeft},
          {"category_set", categorySet}, {"value", value},       {"gain", gain},
          {"cover", cover},     {"category_sets", sets}};
}

TreeNodes TreeNodes::fromJson(const nlohmann::json& json, std::size_t featureCount,
                              const std::string& where) {
  if (!json.is_object()) throw Corrupt(where + ": must be an object");
  const auto featureIt = json.find("feature");
  if (featureIt == json.end() || !featureIt->is_array() || featureIt->empty()) {
    throw Corrupt(where + ".feature: missing or not a non-empty array");
  }
  const std::size_t n = featureIt->size();
  const auto feature = readArray<std::int64_t>(json, "feature", n, where);
  const auto threshold = readArray<double>(json, "threshold", n, where);
  const auto bin = readArray<std::int64_t>(json, "bin", n, where);
  const auto left = readArray<std::int64_t>(json, "left", n, where);
  const auto right = readArray<std::int64_t>(json, "right", n, where);
  const auto defaultLeft = readArray<std::int64_t>(json, "default_left", n, where);
  const auto categorySet = readArray<std::int64_t>(json, "category_set", n, where);
  const auto value = readArray<double>(json, "value", n, where);
  const auto gain = readArray<double>(json, "gain", n, where);
  const auto cover = readArray<double>(json, "cover", n, where);
  TreeNodes tree;
  const auto setsIt = json.find("category_sets");
  if (setsIt == json.end() || !setsIt->is_array()) {
    throw Corrupt(where + ".category_sets: missing or not an array");
  }
  for (const nlohmann::json& codes : *setsIt) {
    CategorySet set{};
    if (!codes.is_array()) throw Corrupt(where + ".category_sets: holds a non-array");
    for (const nlohmann::json& code : codes) {
      if (!code.is_number_integer() || code.get<std::int64_t>() < 0 ||
          code.get<std::int64_t>() > 255) {
        throw Corrupt(where + ".category_sets: codes must be integers in [0, 255]");
      }
      const auto c = unsigned(code.get<std::int64_t>());
      set[c >> 6] |= std::uint64_t(1) << (c & 63);
    }
    tree.categorySets.push_back(set);
  }
  tree.nodes.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::string at = where + " node " + std::to_string(i);
    TreeNode& node = tree.nodes[i];
    if (!std::isfinite(value[i])) throw Corrupt(at + ": value is not finite");
    node.value = value[i];
    node.gain = gain[i];
    node.cover = cover[i];
    if (feature[i] < 0) continue;
    if (std::size_t(feature[i]) >= featureCount) {
      throw Corrupt(at + ": feature " + std::to_string(feature[i]) + " but the model has " +
                    std::to_string(featureCount));
    }
    // Children after the parent: a tree read from JSON can never loop.
    if (left[i] <= std::int64_t(i) || right[i] <= std::int64_t(i) || left[i] >= std::int64_t(n) ||
        right[i] >= std::int64_t(n)) {
      throw Corrupt(at + ": child index out of range");
    }
    if (bin[i] < 0 || bin[i] > 255) throw Corrupt(at + ": bin must be in [0, 255]");
    if (categorySet[i] >= std::int64_t(tree.categorySets.size())) {
      throw Corrupt(at + ": category_set out of range");
    }
    if (categorySet[i] < 0 && std::isnan(threshold[i])) throw Corrupt(at + ": threshold is NaN");
    node.feature = std::int32_t(feature[i]);
    node.threshold = threshold[i];
    node.binThreshold = std::uint8_t(bin[i]);
    node.left = std::int32_t(left[i]);
    node.right = std::int32_t(right[i]);
    node.defaultLeft = defaultLeft[i] != 0;
    node.categorySet = std::int32_t(std::max<std::int64_t>(-1, categorySet[i]));
  }
  return tree;
}

}  // namespace geih::ml
