// JobQueue: every queued job runs exactly once, in queue order on the thread that helps;
// helpWhileAbove() stops at its weight bound (the back-pressure the direct tile writer relies on);
// the first failure is rethrown, drops later jobs and refuses new ones; drain() and the destructor
// wait for jobs running on helpers, and the destructor drops (and releases) jobs still queued.
#include "core/common/job_queue.h"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "core/common/error.h"

namespace geih {
namespace {

using namespace std::chrono_literals;

// Polls `condition` for up to 10 s: for events on helper threads that must happen eventually.
bool eventually(const std::function<bool()>& condition) {
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

TEST(JobQueueTest, WithoutHelpersDrainRunsEveryJobOnceOnTheCallerInOrder) {
  JobQueue queue(0);
  std::vector<int> ran;  // only the caller runs jobs: no lock needed
  std::vector<std::thread::id> threads;
  for (int i = 0; i < 50; ++i) {
    queue.push([&ran, &threads, i] {
      ran.push_back(i);
      threads.push_back(std::this_thread::get_id());
    });
  }
  EXPECT_TRUE(ran.empty()) << "no helper: nothing runs before the caller helps";
  queue.drain();
  ASSERT_EQ(ran.size(), 50u);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(ran[std::size_t(i)], i);
  for (const std::thread::id& id : threads) EXPECT_EQ(id, std::this_thread::get_id());
  EXPECT_FALSE(queue.runOne()) << "drain left a job queued";
  queue.drain();  // nothing queued: returns at once
  EXPECT_EQ(ran.size(), 50u);
}

TEST(JobQueueTest, RunOneRunsTheOldestJob) {
  JobQueue queue(0);
  std::vector<int> ran;
  for (int i = 0; i < 3; ++i) queue.push([&ran, i] { ran.push_back(i); });
  EXPECT_TRUE(queue.runOne());
  EXPECT_EQ(ran, std::vector<int>({0}));
  EXPECT_TRUE(queue.runOne());
  EXPECT_TRUE(queue.runOne());
  EXPECT_FALSE(queue.runOne());
  EXPECT_EQ(ran, std::vector<int>({0, 1, 2}));
}

TEST(JobQueueTest, WithTwoHelpersEveryJobRunsExactlyOnce) {
  constexpr int kJobs = 20000;
  std::vector<std::atomic<int>> runs(kJobs);
  std::atomic<long long> sum{0};
  {
    JobQueue queue(2);
    for (int i = 0; i < kJobs; ++i) {
      queue.push([&runs, &sum, i] {
        runs[std::size_t(i)].fetch_add(1);
        sum.fetch_add(i);
      });
    }
    queue.drain();
    for (int i = 0; i < kJobs; ++i) ASSERT_EQ(runs[std::size_t(i)].load(), 1) << "job " << i;
    EXPECT_EQ(sum.load(), (long long)kJobs * (kJobs - 1) / 2);
    // A second round on the same queue, after a drain.
    for (int i = 0; i < kJobs; ++i) queue.push([&runs, i] { runs[std::size_t(i)].fetch_add(1); });
    queue.drain();
  }
  for (int i = 0; i < kJobs; ++i) ASSERT_EQ(runs[std::size_t(i)].load(), 2) << "job " << i;
}

TEST(JobQueueTest, HelpWhileAboveRunsJobsUntilTheQueuedWeightIsWithinTheBound) {
  JobQueue queue(0);
  std::vector<int> ran;
  for (int i = 0; i < 10; ++i) queue.push([&ran, i] { ran.push_back(i); }, 10);
  queue.helpWhileAbove(100);  // 100 is not above 100: nothing runs
  EXPECT_TRUE(ran.empty());
  // 100 -> 90 -> ... -> 30: seven jobs run, the oldest first; 30 <= 35 stops.
  queue.helpWhileAbove(35);
  EXPECT_EQ(ran, std::vector<int>({0, 1, 2, 3, 4, 5, 6}));
  queue.helpWhileAbove(30);  // exactly at the bound: nothing more
  EXPECT_EQ(ran.size(), 7u);
  int left = 0;
  while (queue.runOne()) ++left;
  EXPECT_EQ(left, 3);
  EXPECT_EQ(ran, std::vector<int>({0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
}

TEST(JobQueueTest, HelpWhileAboveCountsEachJobsOwnWeight) {
  JobQueue queue(0);
  int ran = 0;
  queue.push([&ran] { ++ran; }, 50);
  queue.push([&ran] { ++ran; }, 5);
  queue.push([&ran] { ++ran; }, 5);
  queue.helpWhileAbove(10);  // 60 -> 10 after the first job
  EXPECT_EQ(ran, 1);
  queue.helpWhileAbove(0);  // the rest
  EXPECT_EQ(ran, 3);
  EXPECT_FALSE(queue.runOne());
}

TEST(JobQueueTest, AFailingJobIsRethrownAndStopsTheQueue) {
  JobQueue queue(0);
  int before = 0;
  int after = 0;
  queue.push([&before] { ++before; });
  queue.push([] { throw std::runtime_error("tile 7 could not be compressed"); });
  for (int i = 0; i < 5; ++i) queue.push([&after] { ++after; });
  try {
    queue.drain();
    FAIL() << "drain() did not rethrow the job's exception";
  } catch (const std::runtime_error& error) {
    EXPECT_EQ(std::string(error.what()), "tile 7 could not be compressed");
  }
  EXPECT_EQ(before, 1);
  EXPECT_EQ(after, 0) << "jobs queued after the failing one ran";
  EXPECT_FALSE(queue.runOne()) << "the jobs after the failure are still queued";
  // Once failed, the queue ignores new jobs and keeps reporting the first failure.
  queue.push([&after] { ++after; });
  EXPECT_FALSE(queue.runOne());
  EXPECT_THROW(queue.drain(), std::runtime_error);
  EXPECT_THROW(queue.helpWhileAbove(0), std::runtime_error);
  EXPECT_THROW(queue.rethrowFailure(), std::runtime_error);
  EXPECT_EQ(after, 0);
}

TEST(JobQueueTest, HelpWhileAboveRethrowsAFailureAndKeepsTheExceptionType) {
  JobQueue queue(0);
  int after = 0;
  queue.push([] { throw IoError("disk full writing 'map.tif'"); }, 10);
  queue.push([&after] { ++after; }, 10);
  try {
    queue.helpWhileAbove(5);
    FAIL() << "helpWhileAbove() did not rethrow the job's exception";
  } catch (const IoError& error) {
    EXPECT_EQ(std::string(error.what()), "disk full writing 'map.tif'");
  }
  EXPECT_EQ(after, 0);
}

TEST(JobQueueTest, AFailureOnAHelperReachesTheCaller) {
  JobQueue queue(2);
  queue.push([] { throw IoError("helper failed"); });
  // Only a helper can run it: rethrowFailure() runs nothing.
  ASSERT_TRUE(eventually([&queue] {
    try {
      queue.rethrowFailure();
      return false;
    } catch (const IoError&) {
      return true;
    }
  }));
  try {
    queue.drain();
    FAIL() << "drain() did not rethrow the helper's exception";
  } catch (const IoError& error) {
    EXPECT_EQ(std::string(error.what()), "helper failed");
  }
  std::atomic<int> after{0};
  queue.push([&after] { ++after; });
  EXPECT_THROW(queue.drain(), IoError);  // would run the job here, had it been queued
  EXPECT_EQ(after.load(), 0) << "a job pushed after the failure ran";
}

TEST(JobQueueTest, FinishQuietlySwallowsTheFailureButKeepsIt) {
  JobQueue queue(0);
  queue.push([] { throw std::runtime_error("quiet"); });
  EXPECT_NO_THROW(queue.finishQuietly());
  EXPECT_FALSE(queue.runOne()) << "finishQuietly() did not run the queued job";
  EXPECT_THROW(queue.rethrowFailure(), std::runtime_error);
}

TEST(JobQueueTest, DrainWaitsForAJobRunningOnAHelper) {
  JobQueue queue(2);
  std::atomic<bool> started{false};
  std::atomic<bool> done{false};
  queue.push([&started, &done] {
    started = true;
    std::this_thread::sleep_for(50ms);
    done = true;
  });
  // Wait until a helper holds it, so that drain() cannot simply run it here.
  ASSERT_TRUE(eventually([&started] { return started.load(); }));
  queue.drain();
  EXPECT_TRUE(done.load()) << "drain() returned while a helper was still running a job";
}

TEST(JobQueueTest, DestructorDropsQueuedJobsWithoutRunningThem) {
  int ran = 0;
  auto held = std::make_shared<int>(0);  // what the jobs hold
  {
    JobQueue queue(0);
    for (int i = 0; i < 5; ++i) queue.push([&ran, held] { ++ran; });
    EXPECT_EQ(held.use_count(), 6);
  }
  EXPECT_EQ(ran, 0);
  EXPECT_EQ(held.use_count(), 1) << "the dropped jobs were not destroyed";
}

TEST(JobQueueTest, DestructorWaitsForTheJobARunningHelperHolds) {
  std::atomic<bool> started{false};
  std::atomic<bool> done{false};
  {
    JobQueue queue(1);
    queue.push([&started, &done] {
      started = true;
      std::this_thread::sleep_for(50ms);
      done = true;
    });
    ASSERT_TRUE(eventually([&started] { return started.load(); }));
  }
  EXPECT_TRUE(done.load()) << "the destructor returned before the running job did";
}

// Helpers made with a niceness run at the caller's priority plus that niceness (Linux: per
// thread), and the caller's own priority is left alone.
TEST(JobQueueTest, HelpersRunAtTheNicenessAsked) {
  const int base = getpriority(PRIO_PROCESS, 0);
  if (base + 3 > 19) GTEST_SKIP() << "already at the lowest priority";
  std::atomic<int> seen{-100};
  std::atomic<bool> ran{false};
  {
    JobQueue queue(1, 3);
    queue.push([&seen, &ran] {
      seen = getpriority(PRIO_PROCESS, 0);
      ran = true;
    });
    // Nobody else runs jobs: the helper takes it.
    ASSERT_TRUE(eventually([&ran] { return ran.load(); }));
  }
  EXPECT_EQ(seen.load(), base + 3);
  EXPECT_EQ(getpriority(PRIO_PROCESS, 0), base);
}

}  // namespace
}  // namespace geih
