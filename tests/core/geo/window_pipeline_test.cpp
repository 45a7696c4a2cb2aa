// The window pipeline: every window worked once, strips finished in order and only when all their
// windows are done, a slot never reused before its strip is finished, failures and cancellation
// passed on to the caller after the workers stopped.
#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <vector>

#include "core/common/error.h"
#include "core/geo/window_pipeline.h"

namespace geih::geo {
namespace {

TEST(WindowPipelineTest, FinishesEveryStripInOrderWithAllItsWindowsDone) {
  for (const int workers : {1, 2, 4}) {
    WindowPipelineShape shape;
    shape.strips = 12;
    shape.across = 7;
    shape.slots = 3;
    shape.workers = workers;
    // Each slot holds the strip number its windows wrote; a window that wrote into a slot whose
    // strip was not finished yet would leave another number there.
    std::vector<std::vector<int>> slots(3, std::vector<int>(7, -1));
    std::vector<std::atomic<int>> worked(12 * 7);
    std::vector<int> finished;
    Progress progress;
    runWindowPipeline(
        shape,
        [&](int slot, int strip, int column, int worker) {
          ASSERT_GE(worker, 0);
          ASSERT_LT(worker, workers);
          slots[std::size_t(slot)][std::size_t(column)] = strip;
          ++worked[std::size_t(strip * 7 + column)];
        },
        [&](int slot, int strip) {
          EXPECT_EQ(slot, strip % 3);
          for (int value : slots[std::size_t(slot)]) EXPECT_EQ(value, strip);
          finished.push_back(strip);
        },
        progress, "test");
    std::vector<int> inOrder(12);
    for (int i = 0; i < 12; ++i) inOrder[std::size_t(i)] = i;
    EXPECT_EQ(finished, inOrder) << workers << " workers";
    for (const auto& count : worked) EXPECT_EQ(count.load(), 1);
    EXPECT_DOUBLE_EQ(progress.fraction(), 1.0);
  }
}

TEST(WindowPipelineTest, AWorkerFailureReachesTheCaller) {
  WindowPipelineShape shape;
  shape.strips = 20;
  shape.across = 5;
  shape.workers = 2;
  std::atomic<int> finishedStrips{0};
  try {
    runWindowPipeline(
        shape,
        [](int, int strip, int column, int) {
          if (strip == 4 && column == 2) throw InputError("window 4/2 is bad");
        },
        [&](int, int) { ++finishedStrips; }, Progress::none(), "test");
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_STREQ(error.what(), "window 4/2 is bad");
  }
  EXPECT_LE(finishedStrips.load(), 4);  // strip 4 and later never finish
}

TEST(WindowPipelineTest, AFinishFailureStopsTheWorkers) {
  WindowPipelineShape shape;
  shape.strips = 50;
  shape.across = 3;
  shape.workers = 3;
  std::atomic<int> worked{0};
  EXPECT_THROW(runWindowPipeline(
                   shape, [&](int, int, int, int) { ++worked; },
                   [](int, int strip) {
                     if (strip == 1) throw IoError("disk full");
                   },
                   Progress::none(), "test"),
               IoError);
  // The slots bound how far the workers got: strips 0..3 at most (strip 1's slot never freed).
  EXPECT_LE(worked.load(), 4 * 3);
}

TEST(WindowPipelineTest, CancellingStopsBetweenStrips) {
  WindowPipelineShape shape;
  shape.strips = 30;
  shape.across = 4;
  shape.workers = 2;
  Progress progress;
  int finished = 0;
  EXPECT_THROW(runWindowPipeline(
                   shape, [](int, int, int, int) {},
                   [&](int, int strip) {
                     ++finished;
                     if (strip == 2) progress.cancel();
                   },
                   progress, "test"),
               Cancelled);
  EXPECT_EQ(finished, 3);
}

TEST(WindowPipelineTest, NothingToDoReturnsAtOnce) {
  WindowPipelineShape shape;
  shape.strips = 0;
  shape.across = 4;
  int calls = 0;
  runWindowPipeline(
      shape, [&](int, int, int, int) { ++calls; }, [&](int, int) { ++calls; }, Progress::none(), "test");
  EXPECT_EQ(calls, 0);
}

}  // namespace
}  // namespace geih::geo
