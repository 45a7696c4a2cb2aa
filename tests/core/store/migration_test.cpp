#include <gtest/gtest.h>

#include <fstream>

#include "core/common/error.h"
#include "core/store/database.h"
#include "core/store/schema.h"
#include "core/store/workspace.h"
#include "tests/core/store/store_test_util.h"

namespace geih::store {
namespace {

using testing::TempFolder;
namespace fs = std::filesystem;

constexpr const char* kRun = "0123456789abcdef0123456789abcdef";
constexpr const char* kOtherRun = "fedcba9876543210fedcba9876543210";

bool hasTable(Database& db, const std::string& name) {
  Statement statement = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
  statement.bind(1, name);
  return statement.step();
}

std::int64_t userVersion(const fs::path& root) {
  Database db(root / "geih.db", false, 1000);
  return readUserVersion(db);
}

TEST(MigrationTest, VersionOneUpgradesToCurrentAndBackfillsLatestMetrics) {
  TempFolder dir;
  {
    Workspace v1 = Workspace::openAtVersion(dir.path(), 1);
    EXPECT_EQ(v1.userVersion(), 1);
    // Written the way a version-1 build wrote: the API for what v1 had, metrics only in `metrics`.
    const auto experiment = v1.createExperiment("old");
    Database db(dir.path() / "geih.db", false, 1000);
    EXPECT_FALSE(hasTable(db, "latest_metrics"));
    EXPECT_FALSE(hasTable(db, "curves"));
    Statement run = db.prepare(
        "INSERT INTO runs (id, experiment_id, name, status, start_ms) VALUES (?, ?, ?, 'FINISHED', "
        "?)");
    run.bind(1, kRun).bind(2, experiment).bind(3, "legacy").bind(4, 10).run();
    run.reset();
    run.bind(1, kOtherRun).bind(2, experiment).bind(3, "other").bind(4, 20).run();
    v1.logParam(kRun, "C", "1.0");
    Statement metric = db.prepare(
        "INSERT INTO metrics (run_id, key, value, step, timestamp_ms) VALUES (?, ?, ?, ?, ?)");
    const struct {
      const char* run;
      const char* key;
      double value;
      int step;
      int timestamp;
    } points[] = {
        {kRun, "loss", 0.9, 0, 100},    {kRun, "loss", 0.4, 2, 101},    {kRun, "loss", 0.6, 1, 102},
        {kRun, "auc", 0.7, 0, 100},     {kRun, "auc", 0.8, 0, 200},     {kRun, "auc", 0.75, 0, 150},
        {kOtherRun, "loss", 5.0, 7, 1}, {kOtherRun, "loss", 6.0, 7, 1},  // a full tie: last logged
    };
    for (const auto& point : points) {
      metric.reset();
      metric.bind(1, point.run)
          .bind(2, point.key)
          .bind(3, point.value)
          .bind(4, point.step)
          .bind(5, point.timestamp)
          .run();
    }
  }
  EXPECT_EQ(userVersion(dir.path()), 1);

  Workspace current = Workspace::open(dir.path());
  EXPECT_EQ(current.userVersion(), Workspace::schemaVersion());
  EXPECT_EQ(userVersion(dir.path()), Workspace::schemaVersion());
  const RunSummary summary = current.runSummary(kRun);
  EXPECT_EQ(summary.name, "legacy");
  EXPECT_EQ(summary.params.at("C"), "1.0");
  EXPECT_EQ(summary.metrics.size(), 2u);
  EXPECT_DOUBLE_EQ(summary.metrics.at("loss"), 0.4);  // highest step
  EXPECT_DOUBLE_EQ(summary.metrics.at("auc"), 0.8);   // same step: newest
  EXPECT_DOUBLE_EQ(current.runSummary(kOtherRun).metrics.at("loss"), 6.0);
  EXPECT_EQ(current.metricHistory(kRun, "loss").size(), 3u);
  const auto listed = current.listRuns();
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].id, kOtherRun);
  EXPECT_DOUBLE_EQ(listed[1].metrics.at("loss"), 0.4);

  // The version-2 tables work after the upgrade, and logging keeps latest_metrics current.
  current.logCurve(kRun, "roc", "{}");
  EXPECT_EQ(current.curves(kRun).size(), 1u);
  current.logMetric(kRun, "loss", 0.3, 3);
  EXPECT_DOUBLE_EQ(current.runSummary(kRun).metrics.at("loss"), 0.3);
}

TEST(MigrationTest, VersionThreeKeepsRunsAndAllowsOneProductionVersionPerModel) {
  TempFolder dir;
  {
    Workspace v2 = Workspace::openAtVersion(dir.path(), 2);
    const auto experiment = v2.createExperiment("before-registry");
    Database db(dir.path() / "geih.db", false, 1000);
    EXPECT_FALSE(hasTable(db, "registered_models"));
    Statement run = db.prepare(
        "INSERT INTO runs (id, experiment_id, name, status, start_ms) VALUES (?, ?, 'r', "
        "'FINISHED', 1)");
    run.bind(1, kRun).bind(2, experiment).run();
  }
  Workspace current = Workspace::open(dir.path());
  EXPECT_GE(current.userVersion(), 3);
  Database db(dir.path() / "geih.db", false, 1000);
  for (const char* table : {"registered_models", "model_versions", "model_aliases",
                            "registry_audit", "monitoring_events", "monitoring_alerts"}) {
    EXPECT_TRUE(hasTable(db, table)) << table;
  }
  // The existing run is active (no deletion time) with an empty note.
  Statement lifecycle = db.prepare("SELECT note, deleted_ms IS NULL FROM runs WHERE id = ?");
  lifecycle.bind(1, kRun);
  ASSERT_TRUE(lifecycle.step());
  EXPECT_EQ(lifecycle.text(0), "");
  EXPECT_EQ(lifecycle.int64(1), 1);

  db.execute("INSERT INTO registered_models (id, name, created_ms, updated_ms) VALUES (1, 'fire', 0, 0)");
  Statement version = db.prepare(
      "INSERT INTO model_versions (model_id, version, run_id, artifact_path, model_sha256, stage, "
      "created_ms, updated_ms) VALUES (1, ?, ?, 'model.json', 'x', ?, 0, 0)");
  version.bind(1, 1).bind(2, kRun).bind(3, "Production").run();
  version.reset();
  version.bind(1, 2).bind(2, kRun).bind(3, "Staging").run();
  version.reset();
  // A second Production version of the same model violates the partial unique index.
  EXPECT_THROW(version.bind(1, 3).bind(2, kRun).bind(3, "Production").run(), Error);
  version.reset();
  // A stage outside the four is refused by the CHECK constraint.
  EXPECT_THROW(version.bind(1, 4).bind(2, kRun).bind(3, "Live").run(), Error);
}

TEST(MigrationTest, MigrationsRunOnceAndOpenAtVersionStopsThere) {
  TempFolder dir;
  { Workspace::openAtVersion(dir.path(), 1); }
  { Workspace::openAtVersion(dir.path(), 1); }  // already there: nothing to do
  EXPECT_EQ(userVersion(dir.path()), 1);
  { Workspace::open(dir.path()); }
  { Workspace::open(dir.path()); }  // already current: the tables are not created twice
  EXPECT_EQ(userVersion(dir.path()), Workspace::schemaVersion());
  EXPECT_EQ(Workspace::schemaVersion(), int(migrations().size()));
  Workspace again = Workspace::openAtVersion(dir.path(), 1);  // never downgrades
  EXPECT_EQ(again.userVersion(), Workspace::schemaVersion());
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
    const std::string message = error.what();
    EXPECT_NE(message.find("newer GEIH version"), std::string::npos) << message;
    EXPECT_NE(message.find("schema 99"), std::string::npos) << message;
    EXPECT_NE(message.find("knows " + std::to_string(Workspace::schemaVersion())),
              std::string::npos)
        << message;
  }
  EXPECT_EQ(userVersion(dir.path()), 99);
}

TEST(MigrationTest, NotASqliteFileIsCorrupt) {
  TempFolder dir;
  fs::create_directories(dir.path());
  { std::ofstream(dir.path() / "geih.db") << "this is not a database, just some text........"; }
  try {
    Workspace::open(dir.path());
    FAIL() << "expected Corrupt";
  } catch (const Corrupt& error) {
    EXPECT_NE(std::string(error.what()).find((dir.path() / "geih.db").string()), std::string::npos);
  }
  EXPECT_THROW(Workspace::open(dir.path(), OpenMode::MustExist), Corrupt);
}

TEST(MigrationTest, AnotherProgramsSqliteDatabaseIsCorrupt) {
  TempFolder dir;
  fs::create_directories(dir.path());
  {
    Database db(dir.path() / "geih.db", true, 1000);
    db.execute("CREATE TABLE experiments (x INTEGER)");
  }
  EXPECT_THROW(Workspace::open(dir.path()), Corrupt);
}

TEST(MigrationTest, MustExistOnAnEmptyFolderIsNotFound) {
  TempFolder dir;
  fs::create_directories(dir.path());
  EXPECT_THROW(Workspace::open(dir.path(), OpenMode::MustExist), NotFound);
  EXPECT_TRUE(fs::is_empty(dir.path()));
}

}  // namespace
}  // namespace geih::store
