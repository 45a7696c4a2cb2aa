#include "core/common/progress.h"

#include <gtest/gtest.h>

#include <vector>

#include "core/common/error.h"

namespace geih {
namespace {

TEST(ProgressTest, ReportsClampedFractionsAndKeepsStage) {
  std::vector<std::pair<double, std::string>> seen;
  Progress progress([&](double f, const std::string& stage) { seen.emplace_back(f, stage); });
  progress.report(0.25, "reading");
  progress.report(1.5);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_DOUBLE_EQ(seen[0].first, 0.25);
  EXPECT_EQ(seen[0].second, "reading");
  EXPECT_DOUBLE_EQ(seen[1].first, 1.0);
  EXPECT_EQ(seen[1].second, "reading");
}

TEST(ProgressTest, CancelThrowsCancelled) {
  Progress progress;
  EXPECT_NO_THROW(progress.checkCancelled());
  progress.cancel();
  EXPECT_THROW(progress.checkCancelled(), Cancelled);
}

TEST(ProgressTest, SliceMapsIntoParentRangeAndSeesParentCancel) {
  std::vector<double> parentSeen;
  Progress parent([&](double f, const std::string&) { parentSeen.push_back(f); });
  ProgressSlice slice(parent, 0.5, 0.75);
  slice.report(0.0, "fit");
  slice.report(0.5);
  slice.report(1.0);
  ASSERT_EQ(parentSeen.size(), 3u);
  EXPECT_DOUBLE_EQ(parentSeen[0], 0.5);
  EXPECT_DOUBLE_EQ(parentSeen[1], 0.625);
  EXPECT_DOUBLE_EQ(parentSeen[2], 0.75);
  EXPECT_EQ(parent.stage(), "fit");
  EXPECT_FALSE(slice.isCancelled());
  parent.cancel();
  EXPECT_TRUE(slice.isCancelled());
  EXPECT_THROW(slice.checkCancelled(), Cancelled);
}

}  // namespace
}  // namespace geih
