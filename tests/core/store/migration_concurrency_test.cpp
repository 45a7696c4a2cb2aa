#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/common/error.h"
#include "core/store/database.h"
#include "core/store/workspace.h"
#include "tests/core/store/store_test_util.h"

namespace geih::store {
namespace {

using testing::TempFolder;

TEST(MigrationTest, VersionOneUpgradesToCurrentAndBackfillsLatestMetrics) {
  TempFolder dir;
  std::string run;
  {
    Workspace v1 = Workspace::openAtVersion(dir.path(), 1);
    EXPECT_EQ(v1.userVersion(), 1);
    // At version 1 the store writes through SQL of that schema: metrics only, no latest_metrics.
    Database db(dir.path() / "geih.db", false, 1000);
    db.execute("INSERT INTO experiments (id, name, created_ms) VALUES (1, 'old', 5)");
    db.execute(
        "INSERT INTO runs (id, experiment_id, name, status, start_ms) VALUES "
        "('0123456789abcdef0123456789abcdef', 1, 'legacy', 'FINISHED', 10)");
    db.execute(
        "INSERT INTO metrics (run_id, key, value, step, timestamp_ms) VALUES "
        "('0123456789abcdef0123456789abcdef', 'loss', 0.9, 0, 100),"
        "('0123456789abcdef0123456789abcdef', 'loss', 0.4, 2, 101),"
        "('0123456789abcdef0123456789abcdef', 'loss', 0.6, 1, 102),"
        "('0123456789abcdef0123456789abcdef', 'auc', 0.7, 0, 100),"
        "('0123456789abcdef0123456789abcdef', 'auc', 0.8, 0, 200)");
    run = "0123456789abcdef0123456789abcdef";
  }
  Workspace current = Workspace::open(dir.path());
  EXPECT_EQ(current.userVersion(), Workspace::schemaVersion());
  const RunSummary summary = current.runSummary(run);
  EXPECT_EQ(summary.name, "legacy");
  EXPECT_DOUBLE_EQ(summary.metrics.at("loss"), 0.4);  // highest step
  EXPECT_DOUBLE_EQ(summary.metrics.at("auc"), 0.8);   // same step: newest
  EXPECT_EQ(current.metricHistory(run, "loss").size(), 3u);
  current.logCurve(run, "roc", "{}");  // a v2 table works after the upgrade
}

TEST(MigrationTest, NewerSchemaIsRefusedUntouched) {
  TempFolder dir;
  { Workspace::open(dir.path()); }
  {
    Database db(dir.path() / "geih.db", false, 1000);
    db.execute("PRAGMA user_version = 99");
  }
  try {
    Workspace::open(dir.path());
    FAIL() << "expected Corrupt";
  } catch (const Corrupt& error) {
    EXPECT_NE(std::string(error.what()).find("newer GEIH version"), std::string::npos);
  }
  Database db(dir.path() / "geih.db", false, 1000);
  Statement version = db.prepare("PRAGMA user_version");
  version.step();
  EXPECT_EQ(version.int64(0), 99);
}

TEST(ConcurrencyTest, TwoProcessesWritingAtOnceLoseNothing) {
  TempFolder dir;
  std::string run;
  {
    Workspace ws = Workspace::open(dir.path());
    run = ws.createRun(ws.createExperiment("e"));
  }
  constexpr int kPoints = 150;
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    int status = 0;
    try {
      Workspace ws = Workspace::open(dir.path());
      for (int i = 0; i < kPoints; ++i) ws.logMetric(run, "child", i, i);
    } catch (...) {
      status = 1;
    }
    _exit(status);
  }
  {
    Workspace ws = Workspace::open(dir.path());
    for (int i = 0; i < kPoints; ++i) ws.logMetric(run, "parent", i, i);
  }
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  Workspace ws = Workspace::open(dir.path());
  EXPECT_EQ(ws.metricHistory(run, "child").size(), std::size_t(kPoints));
  EXPECT_EQ(ws.metricHistory(run, "parent").size(), std::size_t(kPoints));
  EXPECT_DOUBLE_EQ(ws.runSummary(run).metrics.at("child"), kPoints - 1);
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
    try {
      impatient.logMetric(run, "m", 2.0, 1);
      FAIL() << "expected Conflict";
    } catch (const Conflict& error) {
      EXPECT_NE(std::string(error.what()).find("busy"), std::string::npos);
    }
  }
  EXPECT_DOUBLE_EQ(impatient.runSummary(run).metrics.at("m"), 1.0);
  impatient.logMetric(run, "m", 3.0, 2);  // works once the other writer is done
  EXPECT_DOUBLE_EQ(impatient.runSummary(run).metrics.at("m"), 3.0);
  EXPECT_EQ(impatient.metricHistory(run, "m").size(), 2u);
}

}  // namespace
}  // namespace geih::store
