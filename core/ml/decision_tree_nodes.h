// One fitted tree of a histogram learner: nodes in an array, root at 0.
//
// A split node sends a row left when
//   numeric      value <= threshold            (threshold = the upper bound of the split bin)
//   categorical  the value's code is in the node's category set
//   missing      (NaN, or a category code outside the set's range) the node's default side.
// The same tree also routes binned rows (bin <= binThreshold / bin in the set / kMissingBin ->
// default), which training uses to score validation rows without un-binning them.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

namespace geih::ml {

struct TreeNode {
  std::int32_t feature = -1;  // -1 = leaf
  std::int32_t left = -1, right = -1;
  double threshold = 0.0;         // numeric splits
  std::int32_t categorySet = -1;  // categorical splits: index into TreeNodes::categorySets
  std::uint8_t binThreshold = 0;  // numeric splits, in bin space
  bool defaultLeft = false;
  double value = 0.0;  // leaf output (also kept on split nodes: the node's own output)
  double gain = 0.0;   // split gain (for importance)
  double cover = 0.0;  // sum of hessians (or weights) of the training rows reaching the node

  bool isLeaf() const { return feature < 0; }
};

// 256 bits: category code c is in the set when bit c is on.
using CategorySet = std::array<std::uint64_t, 4>;
inline bool contains(const CategorySet& set, unsigned code) {
  return code < 256 && ((set[code >> 6] >> (code & 63)) & 1u);
}

struct TreeNodes {
  std::vector<TreeNode> nodes;
  std::vector<CategorySet> categorySets;

  // Output for one row of raw design-matrix values (FeaturePipeline outputs).
  double predict(const double* row) const;
  // Output for one binned row, reading feature f at bins[f * stride].
  double predictBinned(const std::uint8_t* bins, std::size_t stride) const;
  // Index of the leaf a binned row reaches.
  std::int32_t leafOfBinned(const std::uint8_t* bins, std::size_t stride) const;
  int depth() const;
  int leafCount() const;

  // {"feature":[...], "threshold":[...], "bin":[...], "left":[...], "right":[...],
  //  "default_left":[0/1...], "category_set":[...], "value":[...], "gain":[...], "cover":[...],
  //  "category_sets":[[c...], ...]}; doubles round-trip exactly.
  nlohmann::json toJson() const;
  // Throws Corrupt "<where>: <problem>" for inconsistent arrays, child indices out of range or
  // not after their parent (so every tree is acyclic), features >= featureCount.
  static TreeNodes fromJson(const nlohmann::json& json, std::size_t featureCount,
                            const std::string& where);
};

}  // namespace geih::ml
