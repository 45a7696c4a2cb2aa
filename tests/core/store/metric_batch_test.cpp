// Workspace::logMetricPoints: the whole history is kept, the latest value per key follows the
// same rule as logMetric (highest step, then newest), and a bad point writes nothing.
#include <gtest/gtest.h>

#include <cmath>

#include "core/common/error.h"
#include "core/store/workspace.h"
#include "tests/core/store/store_test_util.h"

namespace geih::store {
namespace {

using testing::TempFolder;

TEST(MetricBatchTest, HistoryAndLatestValues) {
  TempFolder folder;
  Workspace workspace = Workspace::open(folder.path());
  const std::string run = workspace.createRun(workspace.createExperiment("e"));
  workspace.logMetric(run, "loss", 9.0, 50, 1);  // an earlier, higher step
  workspace.logMetricPoints(run, {{"loss", 0.9, 0, 10},
                                  {"loss", 0.5, 2, 12},
                                  {"loss", 0.7, 1, 11},
                                  {"auc", 0.6, 3, 20},
                                  {"auc", 0.65, 3, 21},  // same step, newer
                                  {"auc", 0.1, 3, 19}});
  EXPECT_EQ(workspace.metricHistory(run, "loss").size(), 4u);
  EXPECT_EQ(workspace.metricHistory(run, "auc").size(), 3u);
  const RunSummary summary = workspace.runSummary(run);
  EXPECT_DOUBLE_EQ(summary.metrics.at("loss"), 9.0);  // step 50 still wins
  EXPECT_DOUBLE_EQ(summary.metrics.at("auc"), 0.65);
  workspace.logMetricPoints(run, {{"loss", 0.2, 51, 30}});
  EXPECT_DOUBLE_EQ(workspace.runSummary(run).metrics.at("loss"), 0.2);

  EXPECT_THROW(workspace.logMetricPoints(run, {{"ok", 1.0, 0, 1}, {"bad", NAN, 0, 1}}), InputError);
  EXPECT_THROW(workspace.logMetricPoints(run, {{"", 1.0, 0, 1}}), InputError);
  EXPECT_TRUE(workspace.metricHistory(run, "ok").empty());  // nothing of the refused batch
  EXPECT_THROW(workspace.logMetricPoints("0123456789abcdef0123456789abcdef", {{"x", 1, 0, 1}}),
               NotFound);
}

}  // namespace
}  // namespace geih::store
