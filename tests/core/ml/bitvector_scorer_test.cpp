// The bitvector scorer reaches the same leaves as walking each tree and adds their values in the
// same order: predictions are identical, including values exactly at thresholds and missing
// values; trees it cannot take (categorical splits, more than 64 leaves) are left to walking.
#include <gtest/gtest.h>

#include <cmath>

#include "core/common/rng.h"
#include "core/ml/bitvector_scorer.h"
#include "core/ml/learner_registry.h"
#include "core/ml/tree_ensemble_model.h"

namespace geih::ml {
namespace {

table::Table makeData(std::size_t n, std::uint64_t seed, bool withMissing) {
  Rng rng(seed);
  std::vector<double> a(n), b(n), c(n), y(n);
  for (std::size_t i = 0; i < n; ++i) {
    a[i] = rng.normal();
    b[i] = std::round(rng.uniform(0, 20));  // few distinct values: many rows sit on thresholds
    c[i] = withMissing && rng.uniform() < 0.1 ? std::nan("") : rng.uniform(-3, 3);
    const double logit = a[i] - 0.2 * b[i] + 2 + (std::isnan(c[i]) ? 1.5 : std::sin(c[i]));
    y[i] = rng.uniform() < 1 / (1 + std::exp(-logit)) ? 1 : 0;
  }
  table::Table t;
  t.addColumn(table::Column::numeric("a", a));
  t.addColumn(table::Column::numeric("b", b));
  t.addColumn(table::Column::numeric("c", c));
  t.addColumn(table::Column::numeric("y", y));
  return t;
}

// Walking every tree with TreeNodes::predict, in tree order, from 0.
double walked(const TreeEnsembleModel& model, const double* row) {
  double sum = 0;
  for (const TreeNodes& tree : model.trees()) sum += tree.predict(row);
  const double raw = sum + model.baseScore();
  return 1 / (1 + std::exp(-raw));
}

TEST(BitvectorScorerTest, SameLeavesAndSumsAsWalkingTheTrees) {
  const table::Table data = makeData(5000, 3, true);
  Progress progress;
  for (const char* leaves : {"7", "31", "60"}) {
    const auto model = makeLearner("gbdt", {{"n_estimators", "40"}, {"max_leaves", leaves}, {"min_child_samples", "5"}})
                           ->fit({&data, "y", {"a", "b", "c"}}, progress);
    const auto& ensemble = dynamic_cast<const TreeEnsembleModel&>(*model);
    ASSERT_NE(BitvectorScorer::build(ensemble.trees(), 3), nullptr) << leaves;
    // Rows: the training rows, plus every threshold of every split exactly, plus NaNs.
    table::Table probe = makeData(2000, 4, true);
    std::vector<double> a(probe.column("a").numbers().begin(), probe.column("a").numbers().end());
    std::vector<double> b(probe.column("b").numbers().begin(), probe.column("b").numbers().end());
    std::vector<double> c(probe.column("c").numbers().begin(), probe.column("c").numbers().end());
    std::size_t i = 0;
    for (const TreeNodes& tree : ensemble.trees()) {
      for (const TreeNode& node : tree.nodes) {
        if (node.isLeaf() || i >= a.size()) continue;
        (node.feature == 0 ? a : node.feature == 1 ? b : c)[i++] = node.threshold;
      }
    }
    for (std::size_t k = 0; k < 50; ++k) a[k * 7] = std::nan("");
    table::Table rows;
    rows.addColumn(table::Column::numeric("a", a));
    rows.addColumn(table::Column::numeric("b", b));
    rows.addColumn(table::Column::numeric("c", c));
    const std::vector<double> scored = model->predict(rows);
    for (std::size_t r = 0; r < a.size(); ++r) {
      const double row[3] = {a[r], b[r], c[r]};
      ASSERT_EQ(scored[r], walked(ensemble, row)) << "leaves " << leaves << " row " << r;
    }
  }
}

TEST(BitvectorScorerTest, LeavesWhatItCannotTakeToWalking) {
  // 65 leaves.
  TreeNodes big;
  big.nodes.resize(129);
  for (int i = 0; i < 64; ++i) {
    big.nodes[std::size_t(i)].feature = 0;
    big.nodes[std::size_t(i)].threshold = i;
    big.nodes[std::size_t(i)].left = 2 * i + 1;
    big.nodes[std::size_t(i)].right = 2 * i + 2;
  }
  EXPECT_EQ(BitvectorScorer::build({big}, 1), nullptr);
  // A categorical split.
  TreeNodes categorical;
  categorical.nodes.resize(3);
  categorical.nodes[0].feature = 0;
  categorical.nodes[0].categorySet = 0;
  categorical.nodes[0].left = 1;
  categorical.nodes[0].right = 2;
  categorical.categorySets.push_back({1, 0, 0, 0});
  EXPECT_EQ(BitvectorScorer::build({categorical}, 1), nullptr);
  // A stump: x <= 2 -> 10, else 20; NaN to the default (right here).
  TreeNodes stump;
  stump.nodes.resize(3);
  stump.nodes[0].feature = 0;
  stump.nodes[0].threshold = 2;
  stump.nodes[0].left = 1;
  stump.nodes[0].right = 2;
  stump.nodes[1].value = 10;
  stump.nodes[2].value = 20;
  const auto scorer = BitvectorScorer::build({stump, stump}, 1);
  ASSERT_NE(scorer, nullptr);
  const double rows[4] = {1.0, 2.0, 2.0000001, std::nan("")};
  double out[4] = {0, 0, 0, 0};
  scorer->accumulate(rows, 4, 1, out);
  EXPECT_EQ(out[0], 20.0);
  EXPECT_EQ(out[1], 20.0);
  EXPECT_EQ(out[2], 40.0);
  EXPECT_EQ(out[3], 40.0);
}

}  // namespace
}  // namespace geih::ml
