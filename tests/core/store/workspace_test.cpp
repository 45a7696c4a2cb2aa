#include "core/store/workspace.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <set>

#include "core/common/error.h"
#include "core/store/database.h"
#include "tests/core/store/store_test_util.h"

namespace geih::store {
namespace {

using testing::TempFolder;
namespace fs = std::filesystem;

TEST(WorkspaceTest, CreatesTheFolderTreeAndReopens) {
  TempFolder dir;
  {
    Workspace ws = Workspace::open(dir.path());
    EXPECT_EQ(ws.userVersion(), Workspace::schemaVersion());
    EXPECT_EQ(ws.root(), dir.path());
  }
  for (const char* sub :
       {"artifacts", "data/raw", "data/processed", "data/features", "data/external"}) {
    EXPECT_TRUE(fs::is_directory(dir.path() / sub)) << sub;
  }
  EXPECT_TRUE(fs::exists(dir.path() / "geih.db"));
  Workspace again = Workspace::open(dir.path(), OpenMode::MustExist);
  EXPECT_TRUE(again.listExperiments().empty());
  EXPECT_EQ(again.countRuns(), 0u);
}

TEST(WorkspaceTest, MustExistNamesTheFolderAndHowToCreateOne) {
  TempFolder dir;
  try {
    Workspace::open(dir.path(), OpenMode::MustExist);
    FAIL() << "expected NotFound";
  } catch (const NotFound& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find(dir.path().string()), std::string::npos) << message;
    EXPECT_NE(message.find("geih.db missing"), std::string::npos) << message;
    EXPECT_NE(message.find("geih demo"), std::string::npos) << message;
  }
  EXPECT_FALSE(fs::exists(dir.path()));  // nothing created on the way
}

TEST(WorkspaceTest, RefusesAFileInsteadOfAFolderAndAnUnwritableFolder) {
  TempFolder dir;
  fs::create_directories(dir.path());
  { std::ofstream(dir.path() / "plain.txt") << "x"; }
  EXPECT_THROW(Workspace::open(dir.path() / "plain.txt"), IoError);
  try {
    Workspace::open(dir.path() / "plain.txt" / "inside");
    ADD_FAILURE() << "expected IoError";
  } catch (const IoError& error) {
    EXPECT_NE(std::string(error.what()).find("plain.txt"), std::string::npos) << error.what();
  }
  if (::geteuid() == 0) GTEST_SKIP() << "root may write anywhere; the permission check cannot fail";
  const fs::path locked = dir.path() / "locked";
  fs::create_directories(locked);
  fs::permissions(locked, fs::perms::owner_read | fs::perms::owner_exec);
  try {
    Workspace::open(locked);
    ADD_FAILURE() << "expected IoError";
  } catch (const IoError& error) {
    EXPECT_NE(std::string(error.what()).find(locked.string()), std::string::npos);
  }
  fs::permissions(locked, fs::perms::owner_all);
}

TEST(WorkspaceTest, DefaultPathComesFromTheEnvironment) {
  const char* previous = std::getenv("GEIH_WORKSPACE");
  const std::string saved = previous ? previous : "";
  ::setenv("GEIH_WORKSPACE", "/tmp/somewhere/ws", 1);
  EXPECT_EQ(defaultWorkspacePath(), fs::path("/tmp/somewhere/ws"));
  ::unsetenv("GEIH_WORKSPACE");
  EXPECT_EQ(defaultWorkspacePath().filename(), "geih-workspace");
  if (previous) ::setenv("GEIH_WORKSPACE", saved.c_str(), 1);
}

TEST(WorkspaceTest, ExperimentsAreUniqueByName) {
  TempFolder dir;
  Workspace ws = Workspace::open(dir.path());
  const auto id = ws.createExperiment("fire", "season 2026");
  EXPECT_THROW(ws.createExperiment("fire"), Conflict);
  EXPECT_THROW(ws.createExperiment(""), InputError);
  EXPECT_EQ(ws.experimentIdByName("fire", false), id);
  EXPECT_EQ(ws.experimentIdByName("fire", true), id);
  EXPECT_THROW(ws.experimentIdByName("nope", false), NotFound);
  const auto other = ws.experimentIdByName("deforestation", true);
  EXPECT_NE(other, id);
  EXPECT_EQ(ws.experimentIdByName("deforestation", true), other);
  ws.createRun(id);
  const auto all = ws.listExperiments();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].name, "deforestation");  // ordered by name
  EXPECT_EQ(all[1].name, "fire");
  EXPECT_EQ(all[1].description, "season 2026");
  EXPECT_EQ(all[1].runCount, 1u);
  EXPECT_GT(all[1].createdMs, 0);
  EXPECT_EQ(ws.experiment(id).name, "fire");
  EXPECT_EQ(ws.experiment(id).runCount, 1u);
  EXPECT_THROW(ws.experiment(12345), NotFound);
  EXPECT_THROW(ws.createRun(12345), NotFound);
}

TEST(WorkspaceTest, RunLifecycleParamsMetricsTagsAndCurves) {
  TempFolder dir;
  Workspace ws = Workspace::open(dir.path());
  const auto experiment = ws.createExperiment("e");
  NewRun spec;
  spec.name = "first";
  spec.seed = 18446744073709551615ULL;  // the full 64-bit range round-trips
  spec.gitCommit = std::string(40, 'a');
  spec.configHash = "cfg";
  const std::string id = ws.createRun(experiment, spec);
  ASSERT_EQ(id.size(), 32u);
  EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(ws.runSummary(id).status, RunStatus::Running);
  EXPECT_FALSE(ws.runSummary(id).endMs.has_value());

  ws.logParams(id, {{"C", "0.1"}, {"model", "logistic"}});
  ws.logParam(id, "C", "0.1");  // same value: a no-op
  EXPECT_THROW(ws.logParam(id, "C", "0.2"), Conflict);
  EXPECT_THROW(ws.logParams(id, {{"new", "1"}, {"model", "rf"}}), Conflict);
  ws.logMetric(id, "loss", 0.9, 0, 1000);
  ws.logMetric(id, "loss", 0.5, 2, 1002);
  ws.logMetric(id, "loss", 0.7, 1, 1003);  // a late point of an earlier step
  ws.logMetrics(id, {{"roc_auc", 0.87}, {"f1", 0.5}});
  ws.setTag(id, "region", "amazon");
  ws.setTag(id, "region", "cerrado");  // tags may change
  ws.logCurve(id, "roc", "{\"kind\":\"roc\"}");
  ws.logCurve(id, "pr", "{}");
  ws.finishRun(id, RunStatus::Finished);

  const RunDetail detail = ws.runDetail(id);
  EXPECT_EQ(detail.summary.id, id);
  EXPECT_EQ(detail.summary.experimentId, experiment);
  EXPECT_EQ(detail.summary.name, "first");
  EXPECT_EQ(detail.summary.status, RunStatus::Finished);
  ASSERT_TRUE(detail.summary.endMs.has_value());
  EXPECT_GE(*detail.summary.endMs, detail.summary.startMs);
  EXPECT_EQ(detail.seed, 18446744073709551615ULL);
  EXPECT_EQ(detail.gitCommit, std::string(40, 'a'));
  EXPECT_EQ(detail.configHash, "cfg");
  EXPECT_EQ(detail.parentRunId, "");
  // The failed logParams call changed nothing, not even its first, valid param.
  EXPECT_EQ(detail.summary.params,
            (std::map<std::string, std::string>{{"C", "0.1"}, {"model", "logistic"}}));
  EXPECT_DOUBLE_EQ(detail.summary.metrics.at("loss"), 0.5);  // highest step wins
  EXPECT_DOUBLE_EQ(detail.summary.metrics.at("roc_auc"), 0.87);
  EXPECT_EQ(detail.summary.metrics.size(), 3u);
  EXPECT_EQ(detail.summary.tags, (std::map<std::string, std::string>{{"region", "cerrado"}}));
  EXPECT_EQ(detail.metricKeys, (std::vector<std::string>{"f1", "loss", "roc_auc"}));
  EXPECT_TRUE(detail.artifacts.empty());
  EXPECT_TRUE(detail.datasets.empty());

  const auto history = ws.metricHistory(id, "loss");
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[0].step, 0);
  EXPECT_EQ(history[1].step, 1);
  EXPECT_EQ(history[1].timestampMs, 1003);
  EXPECT_DOUBLE_EQ(history[2].value, 0.5);
  EXPECT_EQ(history[2].key, "loss");
  EXPECT_TRUE(ws.metricHistory(id, "absent").empty());
  const auto curves = ws.curves(id);
  ASSERT_EQ(curves.size(), 2u);
  EXPECT_EQ(curves[0].name, "pr");
  EXPECT_EQ(curves[1].json, "{\"kind\":\"roc\"}");

  const std::string child = ws.createRun(experiment, NewRun{"child", {}, "", id, ""});
  EXPECT_EQ(ws.runDetail(child).parentRunId, id);
  EXPECT_FALSE(ws.runDetail(child).seed.has_value());
}

TEST(WorkspaceTest, LatestMetricIsHighestStepThenNewest) {
  TempFolder dir;
  Workspace ws = Workspace::open(dir.path());
  const std::string id = ws.createRun(ws.createExperiment("e"));
  ws.logMetric(id, "m", 1.0, 5, 100);
  ws.logMetric(id, "m", 2.0, 3, 200);  // lower step, newer: not the latest
  EXPECT_DOUBLE_EQ(ws.runSummary(id).metrics.at("m"), 1.0);
  ws.logMetric(id, "m", 3.0, 5, 150);  // same step, newer
  EXPECT_DOUBLE_EQ(ws.runSummary(id).metrics.at("m"), 3.0);
  ws.logMetric(id, "m", 4.0, 5, 120);  // same step, older
  EXPECT_DOUBLE_EQ(ws.runSummary(id).metrics.at("m"), 3.0);
  ws.logMetric(id, "m", -1.0, 6, 1);
  EXPECT_DOUBLE_EQ(ws.listRuns()[0].metrics.at("m"), -1.0);
}

TEST(WorkspaceTest, BadInputToWritesIsRefusedWithoutChanges) {
  TempFolder dir;
  Workspace ws = Workspace::open(dir.path());
  const std::string id = ws.createRun(ws.createExperiment("e"));
  const std::string unknown = "0123456789abcdef0123456789abcdef";
  try {
    ws.logMetric(unknown, "x", 1);
    FAIL() << "expected NotFound";
  } catch (const NotFound& error) {
    EXPECT_EQ(std::string(error.what()), "run '" + unknown + "' not found");
  }
  EXPECT_THROW(ws.logParam(unknown, "k", "v"), NotFound);
  EXPECT_THROW(ws.setTag(unknown, "k", "v"), NotFound);
  EXPECT_THROW(ws.finishRun(unknown, RunStatus::Failed), NotFound);
  EXPECT_THROW(ws.logCurve(unknown, "roc", "{}"), NotFound);
  EXPECT_THROW(ws.runDetail("nope"), NotFound);
  EXPECT_THROW(ws.runSummary(unknown), NotFound);
  EXPECT_THROW(ws.metricHistory(unknown, "x"), NotFound);
  EXPECT_THROW(ws.createRun(ws.experimentIdByName("e", false), NewRun{"", {}, "", unknown, ""}),
               NotFound);
  EXPECT_THROW(ws.logMetric(id, "", 1), InputError);
  EXPECT_THROW(ws.setTag(id, "", "v"), InputError);
  EXPECT_THROW(ws.logParam(id, "", "v"), InputError);
  // SQLite would store NaN as NULL; the store says so instead.
  EXPECT_THROW(ws.logMetrics(id, {{"ok", 1.0}, {"bad", std::nan("")}}), InputError);
  ws.logMetric(id, "inf", std::numeric_limits<double>::infinity());
  const RunSummary summary = ws.runSummary(id);
  EXPECT_EQ(summary.metrics.count("ok"), 0u);  // the whole call was rolled back
  EXPECT_TRUE(std::isinf(summary.metrics.at("inf")));
  EXPECT_EQ(ws.countRuns(), 1u);
}

TEST(WorkspaceTest, ListRunsNewestFirstWithPagingAndFilter) {
  TempFolder dir;
  Workspace ws = Workspace::open(dir.path());
  const auto a = ws.createExperiment("a");
  const auto b = ws.createExperiment("b");
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    NewRun spec;
    spec.name = "run" + std::to_string(i);
    ids.push_back(ws.createRun(i < 3 ? a : b, spec));
    ws.logMetric(ids.back(), "m", i);
    ws.logParam(ids.back(), "i", std::to_string(i));
    ws.setTag(ids.back(), "t", "x" + std::to_string(i));
  }
  EXPECT_EQ(ws.countRuns(), 5u);
  EXPECT_EQ(ws.countRuns(a), 3u);
  EXPECT_EQ(ws.countRuns(b), 2u);
  const auto all = ws.listRuns();
  ASSERT_EQ(all.size(), 5u);
  // Newest first, also among runs started in the same millisecond.
  for (std::size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i].id, ids[4 - i]);
  for (const auto& run : all) {
    EXPECT_EQ(run.params.at("i"), run.name.substr(3));
    EXPECT_DOUBLE_EQ(run.metrics.at("m"), std::stod(run.name.substr(3)));
    EXPECT_EQ(run.tags.at("t"), "x" + run.name.substr(3));
  }
  RunQuery onlyA;
  onlyA.experimentId = a;
  const auto inA = ws.listRuns(onlyA);
  ASSERT_EQ(inA.size(), 3u);
  EXPECT_EQ(inA[0].id, ids[2]);
  for (const auto& run : inA) EXPECT_EQ(run.experimentId, a);
  RunQuery page;
  page.limit = 2;
  page.offset = 1;
  const auto second = ws.listRuns(page);
  ASSERT_EQ(second.size(), 2u);
  EXPECT_EQ(second[0].id, all[1].id);
  EXPECT_EQ(second[1].id, all[2].id);
  EXPECT_EQ(second[0].params, all[1].params);
  EXPECT_EQ(second[1].metrics, all[2].metrics);
  page.offset = 4;
  EXPECT_EQ(ws.listRuns(page).size(), 1u);
  page.offset = 10;
  EXPECT_TRUE(ws.listRuns(page).empty());
  page.limit = 0;  // all after the offset
  page.offset = 3;
  EXPECT_EQ(ws.listRuns(page).size(), 2u);
}

// Bulk rows written straight through SQL: thousands of runs in one transaction, with values that
// identify their run, to check the listings that fill many runs at once.
void insertManyRuns(const fs::path& root, std::int64_t experimentA, std::int64_t experimentB,
                    int count) {
  Database db(root / "geih.db", false, 5000);
  Transaction transaction(db);
  Statement run = db.prepare(
      "INSERT INTO runs (id, experiment_id, name, status, start_ms) VALUES (?, ?, ?, 'FINISHED', "
      "?)");
  Statement param =
      db.prepare("INSERT INTO params (run_id, key, value) VALUES (:run, :key, :value)");
  Statement metric = db.prepare(
      "INSERT INTO latest_metrics (run_id, key, value, step, timestamp_ms) VALUES (?, 'm', ?, 0, "
      "0)");
  for (int i = 0; i < count; ++i) {
    char id[33];
    std::snprintf(id, sizeof id, "%08x%024x", unsigned(i) * 2654435761u, unsigned(i));
    run.reset();
    // Every tenth run belongs to B; start times repeat so ties are broken by insertion order.
    run.bind(1, id)
        .bind(2, i % 10 == 0 ? experimentB : experimentA)
        .bind(3, std::to_string(i))
        .bind(4, std::int64_t(1000 + i / 3))
        .run();
    for (const char* key : {"p", "q"}) {
      param.reset();
      param.bind(":run", std::string(id)).bind(":key", key).bind(":value", std::to_string(i)).run();
    }
    metric.reset();
    metric.bind(1, id).bind(2, double(i)).run();
  }
  transaction.commit();
}

TEST(WorkspaceTest, ListsThousandsOfRunsWithTheirValues) {
  TempFolder dir;
  constexpr int kRuns = 2400;
  std::int64_t a = 0, b = 0;
  {
    Workspace ws = Workspace::open(dir.path());
    a = ws.createExperiment("a");
    b = ws.createExperiment("b");
  }
  insertManyRuns(dir.path(), a, b, kRuns);
  Workspace ws = Workspace::open(dir.path());
  EXPECT_EQ(ws.countRuns(), std::size_t(kRuns));
  const auto check = [](const std::vector<RunSummary>& runs) {
    for (const RunSummary& run : runs) {
      ASSERT_EQ(run.params.size(), 2u) << run.name;
      EXPECT_EQ(run.params.at("p"), run.name);
      EXPECT_EQ(run.params.at("q"), run.name);
      EXPECT_DOUBLE_EQ(run.metrics.at("m"), std::stod(run.name));
    }
  };
  const auto all = ws.listRuns();  // every run: one scan per table
  ASSERT_EQ(all.size(), std::size_t(kRuns));
  for (int i = 0; i < kRuns; ++i)
    EXPECT_EQ(all[std::size_t(i)].name, std::to_string(kRuns - 1 - i));
  check(all);
  RunQuery page;  // a page larger than one query's worth of bound ids
  page.limit = 550;
  page.offset = 700;
  const auto middle = ws.listRuns(page);
  ASSERT_EQ(middle.size(), 550u);
  EXPECT_EQ(middle.front().id, all[700].id);
  EXPECT_EQ(middle.back().id, all[1249].id);
  check(middle);
  RunQuery onlyB;  // a small share of the runs
  onlyB.experimentId = b;
  const auto inB = ws.listRuns(onlyB);
  ASSERT_EQ(inB.size(), std::size_t(kRuns / 10));
  check(inB);
  for (const RunSummary& run : inB) EXPECT_EQ(std::stoi(run.name) % 10, 0);
}

TEST(WorkspaceTest, ResolvesUniquePrefixes) {
  TempFolder dir;
  std::int64_t e = 0;
  std::string id;
  {
    Workspace ws = Workspace::open(dir.path());
    e = ws.createExperiment("e");
    id = ws.createRun(e);
  }
  {
    // Two runs sharing their first 8 characters, as random ids eventually will.
    Database db(dir.path() / "geih.db", false, 1000);
    for (const char* twin :
         {"abcdef0100000000000000000000000a", "abcdef0199999999999999999999999b"}) {
      db.prepare(
            "INSERT INTO runs (id, experiment_id, status, start_ms) VALUES (?, ?, 'RUNNING', 1)")
          .bind(1, twin)
          .bind(2, e)
          .run();
    }
  }
  Workspace ws = Workspace::open(dir.path());
  EXPECT_EQ(ws.resolveRunId(id), id);
  EXPECT_EQ(ws.resolveRunId(id.substr(0, 10)), id);
  std::string upper = id.substr(0, 12);
  for (char& c : upper) c = char(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(ws.resolveRunId(upper), id);
  EXPECT_EQ(ws.resolveRunId("abcdef019"), "abcdef0199999999999999999999999b");
  try {
    ws.resolveRunId("abcdef01");
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("ambiguous"), std::string::npos);
    EXPECT_NE(message.find("abcdef0100000000000000000000000a"), std::string::npos);
    EXPECT_NE(message.find("abcdef0199999999999999999999999b"), std::string::npos);
  }
  EXPECT_THROW(ws.resolveRunId(id.substr(0, 5)), InputError);  // too short to be safe
  try {
    ws.resolveRunId("fffffffff");
    FAIL() << "expected NotFound";
  } catch (const NotFound& error) {
    EXPECT_EQ(std::string(error.what()), "run 'fffffffff' not found");
  }
  EXPECT_THROW(ws.resolveRunId("zzzzzzzz"), NotFound);
}

}  // namespace
}  // namespace geih::store
