// Two writers on one workspace, as the GUI and the CLI are: in one process through two Workspace
// objects (two SQLite connections), and in two processes through fork().
#include <gtest/gtest.h>

#include <cstdio>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <functional>

#include "core/common/error.h"
#include "core/store/database.h"
#include "core/store/workspace.h"
#include "tests/core/store/store_test_util.h"

namespace geih::store {
namespace {

using testing::TempFolder;
namespace fs = std::filesystem;

// Runs `work` in a child process; returns its exit status (0 = no exception).
pid_t spawn(const std::function<void()>& work) {
  const pid_t child = fork();
  if (child == 0) {
    int status = 0;
    try {
      work();
    } catch (const std::exception& error) {
      std::fprintf(stderr, "child %d: %s\n", int(getpid()), error.what());  // shown when it fails
      status = 1;
    } catch (...) {
      status = 1;
    }
    _exit(status);
  }
  return child;
}

int waitFor(pid_t child) {
  int status = 0;
  waitpid(child, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

TEST(ConcurrencyTest, TwoConnectionsInterleaveWrites) {
  TempFolder dir;
  Workspace first = Workspace::open(dir.path());
  Workspace second = Workspace::open(dir.path(), OpenMode::MustExist);
  const auto experiment = first.createExperiment("e");
  const std::string a = first.createRun(experiment);
  const std::string b = second.createRun(second.experimentIdByName("e", false));
  for (int i = 0; i < 20; ++i) {
    first.logMetric(a, "m", i, i);
    second.logMetric(a, "other", -i, i);
    second.logParam(b, "p" + std::to_string(i), "v");
    first.setTag(b, "t", std::to_string(i));
  }
  for (Workspace* ws : {&first, &second}) {
    EXPECT_EQ(ws->countRuns(), 2u);
    EXPECT_EQ(ws->metricHistory(a, "m").size(), 20u);
    EXPECT_DOUBLE_EQ(ws->runSummary(a).metrics.at("other"), -19);
    EXPECT_EQ(ws->runSummary(b).params.size(), 20u);
    EXPECT_EQ(ws->runSummary(b).tags.at("t"), "19");
  }
  EXPECT_THROW(second.createExperiment("e"), Conflict);  // sees what the other connection wrote
}

TEST(ConcurrencyTest, TwoProcessesWritingAtOnceLoseNothing) {
  TempFolder dir;
  std::string run;
  {
    Workspace ws = Workspace::open(dir.path());
    run = ws.createRun(ws.createExperiment("e"));
  }
  constexpr int kPoints = 150;
  const pid_t child = spawn([&] {
    Workspace ws = Workspace::open(dir.path());
    for (int i = 0; i < kPoints; ++i) ws.logMetric(run, "child", i, i);
  });
  ASSERT_GE(child, 0);
  {
    Workspace ws = Workspace::open(dir.path());
    for (int i = 0; i < kPoints; ++i) ws.logMetric(run, "parent", i, i);
  }
  EXPECT_EQ(waitFor(child), 0);
  Workspace ws = Workspace::open(dir.path());
  EXPECT_EQ(ws.metricHistory(run, "child").size(), std::size_t(kPoints));
  EXPECT_EQ(ws.metricHistory(run, "parent").size(), std::size_t(kPoints));
  EXPECT_DOUBLE_EQ(ws.runSummary(run).metrics.at("child"), kPoints - 1);
  EXPECT_DOUBLE_EQ(ws.runSummary(run).metrics.at("parent"), kPoints - 1);
}

TEST(ConcurrencyTest, ProcessesCreatingOneWorkspaceAtOnceAllSucceed) {
  TempFolder dir;
  fs::create_directories(dir.path() / "in");
  const fs::path csv = dir.path() / "in" / "data.csv";
  { std::ofstream(csv) << "a,b\n1,2\n"; }
  const fs::path root = dir.path() / "ws";
  std::vector<pid_t> children;
  for (int i = 0; i < 4; ++i) {
    children.push_back(spawn([&, i] {
      Workspace ws = Workspace::open(root);
      ws.experimentIdByName("shared", true);
      ws.registerDataset("data", csv, "[]", "[]", 1);
      ws.createRun(ws.experimentIdByName("process " + std::to_string(i), true));
    }));
  }
  for (pid_t child : children) EXPECT_EQ(waitFor(child), 0);
  Workspace ws = Workspace::open(root, OpenMode::MustExist);
  EXPECT_EQ(ws.userVersion(), Workspace::schemaVersion());
  EXPECT_EQ(ws.listExperiments().size(), 5u);  // "shared" once
  EXPECT_EQ(ws.countRuns(), 4u);
  ASSERT_EQ(ws.listDatasets().size(), 1u);  // the same bytes registered once
  EXPECT_EQ(ws.listDatasets()[0].version, 1);
}

TEST(ConcurrencyTest, AWriterHeldTooLongGivesConflictAndLeavesTheStoreIntact) {
  TempFolder dir;
  std::string run;
  {
    Workspace ws = Workspace::open(dir.path());
    run = ws.createRun(ws.createExperiment("e"));
    ws.logMetric(run, "m", 1.0);
  }
  Workspace impatient = Workspace::open(dir.path(), OpenMode::MustExist, 100);
  {
    Database other(dir.path() / "geih.db", false, 1000);
    Transaction holding(other);  // another process in the middle of a write
    other.execute("INSERT INTO experiments (name, created_ms) VALUES ('uncommitted', 1)");
    try {
      impatient.logMetric(run, "m", 2.0, 1);
      FAIL() << "expected Conflict";
    } catch (const Conflict& error) {
      const std::string message = error.what();
      EXPECT_NE(message.find("is busy: another process is writing; try again"), std::string::npos)
          << message;
      EXPECT_NE(message.find(dir.path().string()), std::string::npos) << message;
    }
    EXPECT_THROW(impatient.createExperiment("x"), Conflict);
    // Readers are not blocked by a writer, and see only committed data.
    EXPECT_DOUBLE_EQ(impatient.runSummary(run).metrics.at("m"), 1.0);
    EXPECT_EQ(impatient.listExperiments().size(), 1u);
    // Opening an up-to-date workspace needs no write lock.
    EXPECT_NO_THROW(Workspace::open(dir.path(), OpenMode::MustExist, 100));
  }  // rolled back
  EXPECT_DOUBLE_EQ(impatient.runSummary(run).metrics.at("m"), 1.0);
  EXPECT_EQ(impatient.metricHistory(run, "m").size(), 1u);
  EXPECT_EQ(impatient.listExperiments().size(), 1u);
  impatient.logMetric(run, "m", 3.0, 2);  // works once the other writer is done
  EXPECT_DOUBLE_EQ(impatient.runSummary(run).metrics.at("m"), 3.0);
  EXPECT_EQ(impatient.metricHistory(run, "m").size(), 2u);
}

TEST(ConcurrencyTest, AWriterFinishingWithinTheTimeoutIsWaitedFor) {
  TempFolder dir;
  std::string run;
  {
    Workspace ws = Workspace::open(dir.path());
    run = ws.createRun(ws.createExperiment("e"));
  }
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  const pid_t child = spawn([&] {
    Database other(dir.path() / "geih.db", false, 1000);
    Transaction holding(other);
    other.prepare("INSERT INTO tags (run_id, key, value) VALUES (?, 'by', 'child')")
        .bind(1, run)
        .run();
    char byte = 1;
    if (write(ready[1], &byte, 1) != 1) throw std::runtime_error("pipe");
    usleep(300 * 1000);
    holding.commit();
  });
  char byte = 0;
  ASSERT_EQ(read(ready[0], &byte, 1), 1);  // the child holds the write lock now
  Workspace patient = Workspace::open(dir.path(), OpenMode::MustExist, 5000);
  patient.setTag(run, "after", "parent");  // waits for the child's commit instead of failing
  EXPECT_EQ(waitFor(child), 0);
  close(ready[0]);
  close(ready[1]);
  const RunSummary summary = patient.runSummary(run);
  EXPECT_EQ(summary.tags.at("by"), "child");
  EXPECT_EQ(summary.tags.at("after"), "parent");
}

}  // namespace
}  // namespace geih::store
