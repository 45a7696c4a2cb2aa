#include "core/ml/cv_split.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "core/common/error.h"

namespace geih::ml {
namespace {

using table::Column;
using table::Table;

void expectPartition(const std::vector<Fold>& folds, std::size_t n) {
  std::vector<int> tested(n, 0);
  for (const Fold& fold : folds) {
    ASSERT_FALSE(fold.test.empty());
    EXPECT_TRUE(std::is_sorted(fold.train.begin(), fold.train.end()));
    EXPECT_TRUE(std::is_sorted(fold.test.begin(), fold.test.end()));
    std::set<std::size_t> train(fold.train.begin(), fold.train.end());
    for (const std::size_t row : fold.test) {
      EXPECT_FALSE(train.count(row)) << "row " << row << " in train and test";
      ++tested[row];
    }
  }
  for (std::size_t row = 0; row < n; ++row) EXPECT_EQ(tested[row], 1) << "row " << row;
}

Table labelled(std::size_t n, std::size_t positives) {
  std::vector<double> y(n, 0.0), x(n);
  for (std::size_t i = 0; i < n; ++i) {
    y[i] = i < positives ? 1.0 : 0.0;
    x[i] = double(i);
  }
  Table t;
  t.addColumn(Column::numeric("x", x));
  t.addColumn(Column::numeric("y", y));
  return t;
}

TEST(CvSplitTest, KFoldPartitionsTheRowsIntoNearlyEqualFolds) {
  const Table data = labelled(103, 20);
  const auto folds = makeFolds(data, "y", parseCvSpec("kfold:5"));
  ASSERT_EQ(folds.size(), 5u);
  expectPartition(folds, 103);
  for (std::size_t f = 0; f < 5; ++f) {
    EXPECT_EQ(folds[f].test.size(), f < 3 ? 21u : 20u);  // 103 = 3 x 21 + 2 x 20
    EXPECT_EQ(folds[f].train.size() + folds[f].test.size(), 103u);
  }
}

TEST(CvSplitTest, StratifiedFoldsKeepTheClassShares) {
  const Table data = labelled(1000, 150);
  const auto folds = makeFolds(data, "y", parseCvSpec("stratified:5"));
  expectPartition(folds, 1000);
  for (const Fold& fold : folds) {
    std::size_t positives = 0;
    for (const std::size_t row : fold.test) positives += row < 150;
    EXPECT_EQ(positives, 30u);  // 150 positives dealt over 5 folds
    EXPECT_EQ(fold.test.size(), 200u);
  }
}

TEST(CvSplitTest, TimeSeriesFoldsNeverTrainOnTheFuture) {
  // Days out of order in the table.
  std::vector<double> day = {5, 1, 9, 3, 7, 2, 8, 4, 6, 0, 11, 10};
  Table data;
  data.addColumn(Column::numeric("day", day));
  data.addColumn(Column::numeric("y", std::vector<double>(day.size(), 0.0)));
  CvSpec spec = parseCvSpec("timeseries:3");
  spec.timeColumn = "day";
  const auto folds = makeFolds(data, "y", spec);
  ASSERT_EQ(folds.size(), 3u);
  for (std::size_t f = 0; f < folds.size(); ++f) {
    double latestTrain = -1, earliestTest = 1e9;
    for (const std::size_t row : folds[f].train) latestTrain = std::max(latestTrain, day[row]);
    for (const std::size_t row : folds[f].test) earliestTest = std::min(earliestTest, day[row]);
    EXPECT_LT(latestTrain, earliestTest) << "fold " << f;
    EXPECT_EQ(folds[f].test.size(), 3u);            // 12 rows in 4 segments of 3
    EXPECT_EQ(folds[f].train.size(), 3u * (f + 1));  // an expanding window
  }
  spec.timeColumn.clear();
  EXPECT_THROW(makeFolds(data, "y", spec), InputError);
}

TEST(CvSplitTest, SpatialBlocksNeverStraddleTrainAndTest) {
  // A 40 x 40 grid of cells 1 unit apart, blocks of 5 x 5 units.
  std::vector<double> x, y;
  for (int i = 0; i < 40; ++i) {
    for (int j = 0; j < 40; ++j) {
      x.push_back(i + 0.5);
      y.push_back(j + 0.5);
    }
  }
  Table data;
  data.addColumn(Column::numeric("x", x));
  data.addColumn(Column::numeric("y", y));
  data.addColumn(Column::numeric("fire", std::vector<double>(x.size(), 0.0)));
  CvSpec spec = parseCvSpec("spatial:4");
  spec.xColumn = "x";
  spec.yColumn = "y";
  spec.blockSize = 5;
  const auto folds = makeFolds(data, "fire", spec);
  expectPartition(folds, x.size());
  auto block = [&](std::size_t row) {
    return std::make_pair(int(std::floor((x[row] - 0.5) / 5)), int(std::floor((y[row] - 0.5) / 5)));
  };
  for (const Fold& fold : folds) {
    std::set<std::pair<int, int>> testBlocks;
    for (const std::size_t row : fold.test) testBlocks.insert(block(row));
    for (const std::size_t row : fold.train) EXPECT_FALSE(testBlocks.count(block(row)));
    EXPECT_EQ(fold.test.size(), 400u);  // 64 equal blocks of 25 cells over 4 folds
  }
  spec.blockSize = 100;  // one block: fewer blocks than folds
  EXPECT_THROW(makeFolds(data, "fire", spec), InputError);
}

TEST(CvSplitTest, BadSpecsAreNamed) {
  EXPECT_THROW(parseCvSpec("bootstrap:5"), InputError);
  EXPECT_THROW(parseCvSpec("kfold:1"), InputError);
  EXPECT_THROW(parseCvSpec("kfold:x"), InputError);
  EXPECT_EQ(parseCvSpec("stratified").folds, 5);
  EXPECT_THROW(makeFolds(labelled(6, 3), "y", parseCvSpec("kfold:5")), InputError);
}

}  // namespace
}  // namespace geih::ml
