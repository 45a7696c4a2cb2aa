#include "core/store/workspace.h"

#include <gtest/gtest.h>

#include <fstream>

#include "core/common/error.h"
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
  }
  for (const char* sub : {"artifacts", "data/raw", "data/processed", "data/features", "data/external"}) {
    EXPECT_TRUE(fs::is_directory(dir.path() / sub)) << sub;
  }
  EXPECT_TRUE(fs::exists(dir.path() / "geih.db"));
  Workspace again = Workspace::open(dir.path(), OpenMode::MustExist);
  EXPECT_TRUE(again.listExperiments().empty());
}

TEST(WorkspaceTest, ExperimentsAreUniqueByName) {
  TempFolder dir;
  Workspace ws = Workspace::open(dir.path());
  const auto id = ws.createExperiment("fire", "season 2026");
  EXPECT_THROW(ws.createExperiment("fire"), Conflict);
  EXPECT_THROW(ws.createExperiment(""), InputError);
  EXPECT_EQ(ws.experimentIdByName("fire", false), id);
  EXPECT_THROW(ws.experimentIdByName("nope", false), NotFound);
  const auto other = ws.experimentIdByName("deforestation", true);
  EXPECT_NE(other, id);
  const auto all = ws.listExperiments();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[1].name, "fire");  // ordered by name
  EXPECT_EQ(all[1].description, "season 2026");
  EXPECT_EQ(ws.experiment(id).name, "fire");
}

TEST(WorkspaceTest, RunLifecycleParamsMetricsTagsAndCurves) {
  TempFolder dir;
  Workspace ws = Workspace::open(dir.path());
  const auto experiment = ws.createExperiment("e");
  NewRun spec;
  spec.name = "first";
  spec.seed = 18446744073709551615ULL;  // the full 64-bit range round-trips
  spec.gitCommit = std::string(40, 'a');
  const std::string id = ws.createRun(experiment, spec);
  EXPECT_EQ(id.size(), 32u);
  EXPECT_EQ(ws.runSummary(id).status, RunStatus::Running);

  ws.logParams(id, {{"C", "0.1"}, {"model", "logistic"}});
  ws.logParam(id, "C", "0.1");  // same value: allowed
  EXPECT_THROW(ws.logParam(id, "C", "0.2"), Conflict);
  ws.logMetric(id, "loss", 0.9, 0, 1000);
  ws.logMetric(id, "loss", 0.5, 2, 1002);
  ws.logMetric(id, "loss", 0.7, 1, 1003);  // a late point of an earlier step
  ws.logMetrics(id, {{"roc_auc", 0.87}, {"f1", 0.5}});
  ws.setTag(id, "region", "amazon");
  ws.setTag(id, "region", "cerrado");
  ws.logCurve(id, "roc", "{\"kind\":\"roc\"}");
  ws.finishRun(id, RunStatus::Finished);

  const RunDetail detail = ws.runDetail(id);
  EXPECT_EQ(detail.summary.name, "first");
  EXPECT_EQ(detail.summary.status, RunStatus::Finished);
  ASSERT_TRUE(detail.summary.endMs.has_value());
  EXPECT_GE(*detail.summary.endMs, detail.summary.startMs);
  EXPECT_EQ(detail.seed, 18446744073709551615ULL);
  EXPECT_EQ(detail.gitCommit, std::string(40, 'a'));
  EXPECT_EQ(detail.summary.params.at("C"), "0.1");
  EXPECT_DOUBLE_EQ(detail.summary.metrics.at("loss"), 0.5);  // highest step wins
  EXPECT_DOUBLE_EQ(detail.summary.metrics.at("roc_auc"), 0.87);
  EXPECT_EQ(detail.summary.tags.at("region"), "cerrado");
  EXPECT_EQ(detail.metricKeys, (std::vector<std::string>{"f1", "loss", "roc_auc"}));

  const auto history = ws.metricHistory(id, "loss");
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[0].step, 0);
  EXPECT_EQ(history[1].step, 1);
  EXPECT_DOUBLE_EQ(history[2].value, 0.5);
  ASSERT_EQ(ws.curves(id).size(), 1u);
  EXPECT_EQ(ws.curves(id)[0].json, "{\"kind\":\"roc\"}");

  EXPECT_THROW(ws.logMetric("0123456789abcdef0123456789abcdef", "x", 1), NotFound);
  EXPECT_THROW(ws.runDetail("nope"), NotFound);
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
  }
  EXPECT_EQ(ws.countRuns(), 5u);
  EXPECT_EQ(ws.countRuns(a), 3u);
  const auto all = ws.listRuns();
  ASSERT_EQ(all.size(), 5u);
  for (std::size_t i = 1; i < all.size(); ++i) EXPECT_GE(all[i - 1].startMs, all[i].startMs);
  for (const auto& run : all) {
    EXPECT_EQ(run.params.at("i"), run.name.substr(3));
    EXPECT_DOUBLE_EQ(run.metrics.at("m"), std::stod(run.name.substr(3)));
  }
  RunQuery onlyA;
  onlyA.experimentId = a;
  EXPECT_EQ(ws.listRuns(onlyA).size(), 3u);
  RunQuery page;
  page.limit = 2;
  page.offset = 1;
  const auto second = ws.listRuns(page);
  ASSERT_EQ(second.size(), 2u);
  EXPECT_EQ(second[0].id, all[1].id);
  EXPECT_EQ(second[1].id, all[2].id);
  EXPECT_TRUE(second[0].params.count("i"));
}

TEST(WorkspaceTest, ResolvesUniquePrefixes) {
  TempFolder dir;
  Workspace ws = Workspace::open(dir.path());
  const auto e = ws.createExperiment("e");
  const std::string id = ws.createRun(e);
  EXPECT_EQ(ws.resolveRunId(id), id);
  EXPECT_EQ(ws.resolveRunId(id.substr(0, 8)), id);
  EXPECT_THROW(ws.resolveRunId(id.substr(0, 3)), InputError);
  EXPECT_THROW(ws.resolveRunId("zzzzzzzz"), NotFound);
}

TEST(WorkspaceTest, RefusesMissingNotADatabaseAndFileInsteadOfFolder) {
  TempFolder dir;
  EXPECT_THROW(Workspace::open(dir.path(), OpenMode::MustExist), NotFound);
  EXPECT_FALSE(fs::exists(dir.path()));
  fs::create_directories(dir.path());
  { std::ofstream(dir.path() / "geih.db") << "this is not a database, just some text........"; }
  EXPECT_THROW(Workspace::open(dir.path()), Corrupt);
  { std::ofstream(dir.path() / "plain.txt") << "x"; }
  EXPECT_THROW(Workspace::open(dir.path() / "plain.txt"), IoError);
}

}  // namespace
}  // namespace geih::store
