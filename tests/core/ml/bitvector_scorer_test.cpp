// The bitvector scorer reaches the same leaves as walking each tree and adds their values in the
// same order: predictions are identical, including values exactly at thresholds and missing
// values; trees it cannot take (categorical splits, more than 64 leaves) are left to walking.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

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

  // Trees of a single leaf only: no feature table at all.
  TreeNodes leaf;
  leaf.nodes.resize(1);
  leaf.nodes[0].value = 0.25;
  const auto leaves = BitvectorScorer::build({leaf, leaf, leaf}, 2);
  ASSERT_NE(leaves, nullptr);
  double constant[3] = {0, 0, 0};
  const double two[6] = {1, 2, 3, 4, 5, 6};
  leaves->accumulate(two, 3, 2, constant);
  for (double v : constant) EXPECT_EQ(v, 0.75);

  // Four features (two pairs of mask rows), nine rows (a full group of eight and a tail of one):
  // stump f sends x_f <= f to 1 + f, else to 10 * (1 + f).
  std::vector<TreeNodes> stumps(4);
  for (int f = 0; f < 4; ++f) {
    stumps[std::size_t(f)] = stump;
    stumps[std::size_t(f)].nodes[0].feature = f;
    stumps[std::size_t(f)].nodes[0].threshold = f;
    stumps[std::size_t(f)].nodes[1].value = 1 + f;
    stumps[std::size_t(f)].nodes[2].value = 10 * (1 + f);
  }
  const auto four = BitvectorScorer::build(stumps, 4);
  ASSERT_NE(four, nullptr);
  std::vector<double> grid(9 * 4);
  std::vector<double> expected(9, 0.0);
  for (int r = 0; r < 9; ++r) {
    for (int f = 0; f < 4; ++f) {
      const double x = (r + f) % 5;
      grid[std::size_t(r * 4 + f)] = x;
      expected[std::size_t(r)] += x <= f ? 1 + f : 10 * (1 + f);
    }
  }
  std::vector<double> got(9, 0.0);
  four->accumulate(grid.data(), 9, 4, got.data());
  EXPECT_EQ(got, expected);
}

TEST(BitvectorScorerTest, BucketedSearchIsExactAtEveryEdge) {
  // One feature, 60 stumps whose thresholds cluster (many within one bucket of 256 over the
  // range), spread out, and sit far from zero; probed at every threshold, one ulp either side,
  // the bucket edges, outside the range, ±inf and NaN, against the plain rule x <= t goes left.
  std::vector<double> thresholds;
  for (int i = 0; i < 30; ++i) thresholds.push_back(1000.0 + 1e-7 * i);  // a tight cluster
  for (int i = 0; i < 30; ++i) thresholds.push_back(1000.0 + 3.7 * i);   // spread
  std::vector<TreeNodes> stumps;
  for (std::size_t i = 0; i < thresholds.size(); ++i) {
    TreeNodes stump;
    stump.nodes.resize(3);
    stump.nodes[0].feature = 0;
    stump.nodes[0].threshold = thresholds[i];
    stump.nodes[0].left = 1;
    stump.nodes[0].right = 2;
    stump.nodes[0].defaultLeft = i % 2 == 0;
    stump.nodes[1].value = double(i + 1);
    stump.nodes[2].value = 1000.0 * double(i + 1);
    stumps.push_back(stump);
  }
  const auto scorer = BitvectorScorer::build(stumps, 1);
  ASSERT_NE(scorer, nullptr);
  std::vector<double> probes = {-1e300, -std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity(),
                                1e300, 0.0, std::nan("")};
  for (double t : thresholds) {
    probes.push_back(t);
    probes.push_back(std::nextafter(t, -1e308));
    probes.push_back(std::nextafter(t, 1e308));
  }
  const double low = 1000.0;
  const double high = 1000.0 + 3.7 * 29;
  for (int b = 0; b <= 256; ++b) probes.push_back(low + (high - low) * b / 256.0);
  std::vector<double> got(probes.size(), 0.0);
  scorer->accumulate(probes.data(), probes.size(), 1, got.data());
  for (std::size_t r = 0; r < probes.size(); ++r) {
    double expected = 0;
    for (std::size_t i = 0; i < thresholds.size(); ++i) {
      const bool left = std::isnan(probes[r]) ? i % 2 == 0 : probes[r] <= thresholds[i];
      expected += left ? double(i + 1) : 1000.0 * double(i + 1);
    }
    EXPECT_EQ(got[r], expected) << "probe " << r << " = " << probes[r];
  }
}

}  // namespace
}  // namespace geih::ml
