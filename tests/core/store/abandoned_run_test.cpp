// A process killed with SIGKILL in the middle of a run leaves the workspace consistent, and the
// next open marks its run FAILED with the reason; a run of a live process stays RUNNING.
#include <gtest/gtest.h>

#include <csignal>
#include <sys/wait.h>
#include <unistd.h>

#include "core/store/database.h"
#include "core/store/run_owner.h"
#include "core/store/workspace.h"
#include "tests/core/store/store_test_util.h"

namespace geih::store {
namespace {

TEST(AbandonedRunTest, AKilledProcessesRunIsFailedOnTheNextOpen) {
  testing::TempFolder dir;
  const auto root = dir.path() / "ws";
  std::string liveRun;
  {
    Workspace ws = Workspace::open(root);
    liveRun = ws.createRun(ws.experimentIdByName("live", true));
  }
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // The child starts a run, logs into it, says so, and then waits to be killed mid-run.
    close(ready[0]);
    Workspace ws = Workspace::open(root);
    const std::string run = ws.createRun(ws.experimentIdByName("doomed", true));
    for (int step = 0; step < 50; ++step) ws.logMetric(run, "loss", 1.0 / (step + 1), step);
    const ssize_t written = write(ready[1], run.data(), run.size());
    (void)written;
    for (;;) pause();
  }
  close(ready[1]);
  char buffer[64] = {};
  const ssize_t length = read(ready[0], buffer, sizeof buffer);
  close(ready[0]);
  ASSERT_EQ(length, 32);
  const std::string doomed(buffer, std::size_t(length));
  ASSERT_EQ(kill(child, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status));

  Workspace ws = Workspace::open(root);
  const RunDetail detail = ws.runDetail(doomed);
  EXPECT_EQ(detail.summary.status, RunStatus::Failed);
  EXPECT_TRUE(detail.summary.endMs.has_value());
  EXPECT_NE(detail.summary.tags.at("geih.failure").find("ended without finishing"),
            std::string::npos);
  EXPECT_EQ(ws.metricHistory(doomed, "loss").size(), 50u);  // what it wrote is all there
  // This process still runs: its run is left alone.
  EXPECT_EQ(ws.runDetail(liveRun).summary.status, RunStatus::Running);
  Database db(root / "geih.db", false, 5000);
  Statement check = db.prepare("PRAGMA integrity_check");
  ASSERT_TRUE(check.step());
  EXPECT_EQ(check.text(0), "ok");
}

TEST(AbandonedRunTest, OwnersAreJudgedByPidAndStartTime) {
  EXPECT_FALSE(ownerIsGone(currentOwner()));
  // Same host and pid, another start time: the pid was reused by another process.
  const std::string me = currentOwner();
  EXPECT_TRUE(ownerIsGone(me.substr(0, me.rfind(':') + 1) + "1"));
  EXPECT_FALSE(ownerIsGone("another-host.example:1:1"));  // not ours to judge
  EXPECT_FALSE(ownerIsGone("garbage"));
}

}  // namespace
}  // namespace geih::store
