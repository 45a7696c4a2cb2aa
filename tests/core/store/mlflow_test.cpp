// MLflow file-store interop: importing a hand-written store that holds what real ones do, the
// files an export writes, and export -> import giving the same runs, histories and registry.
#include <gtest/gtest.h>

#include <yaml-cpp/yaml.h>

#include "core/common/atomic_file.h"
#include "core/common/error.h"
#include "core/store/mlflow_file_store.h"
#include "core/store/registry.h"
#include "core/store/workspace.h"
#include "tests/core/store/store_test_util.h"

namespace geih::store {
namespace {

using testing::TempFolder;
namespace fs = std::filesystem;

constexpr const char* kRunA = "0123456789abcdef0123456789abcdef";
constexpr const char* kRunB = "fedcba9876543210fedcba9876543210";
const fs::path kStore = fs::path(GEIH_TEST_DATA_DIR) / "mlruns";

void expectImportedFixture(Workspace& workspace) {
  const RunSummary a = workspace.runSummary(kRunA);
  EXPECT_EQ(a.name, "rf-a");
  EXPECT_EQ(a.status, RunStatus::Finished);
  EXPECT_EQ(a.startMs, 1700000000000);
  EXPECT_EQ(a.endMs, 1700000005000);
  EXPECT_EQ(a.params.at("n_estimators"), "100");
  EXPECT_DOUBLE_EQ(a.metrics.at("roc_auc"), 0.85);  // the highest step
  EXPECT_DOUBLE_EQ(a.metrics.at("loss/train"), 0.5);
  EXPECT_EQ(a.tags.at("team"), "fire");
  const auto history = workspace.metricHistory(kRunA, "roc_auc");
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].step, 0);
  EXPECT_EQ(history[0].timestampMs, 1700000001000);
  EXPECT_EQ(workspace.metricHistory(kRunA, "loss/train")[0].step, 0);  // two-field line
  EXPECT_EQ(workspace.readArtifact(kRunA, "model/MLmodel"), "flavor: geih\n");

  const RunSummary b = workspace.runSummary(kRunB);
  EXPECT_EQ(b.name, "gbdt-retry");
  EXPECT_EQ(b.status, RunStatus::Failed);
  EXPECT_EQ(b.note, "retry after OOM");
  EXPECT_EQ(b.parentRunId, kRunA);
  ASSERT_TRUE(b.deletedMs.has_value());  // in the trash; no deleted_time: the end time
  EXPECT_EQ(*b.deletedMs, 1700000009000);
  EXPECT_EQ(workspace.listRuns().size(), 1u);

  Registry registry(workspace);
  const ModelVersion production = registry.resolve("fire@production");
  EXPECT_EQ(production.version, 1);
  EXPECT_EQ(production.runId, kRunA);
  EXPECT_EQ(production.artifactPath, "model/MLmodel");
  EXPECT_EQ(production.description, "first forest");
  EXPECT_EQ(registry.resolve("fire@champion").version, 1);
}

TEST(MlflowTest, ImportsWhatRealStoresHold) {
  TempFolder folder;
  Workspace workspace = Workspace::open(folder.path());
  const MlflowTransferSummary summary = MlflowFileStore::importStore(workspace, kStore);
  EXPECT_EQ(summary.experiments, 1u);
  EXPECT_EQ(summary.runs, 2u);
  EXPECT_EQ(summary.metricPoints, 4u);
  EXPECT_EQ(summary.versions, 1u);
  EXPECT_EQ(workspace.listExperiments().at(0).name, "fire-mlflow");
  expectImportedFixture(workspace);

  // A second import skips the runs it has, with a warning, and adds nothing.
  const MlflowTransferSummary again = MlflowFileStore::importStore(workspace, kStore);
  EXPECT_EQ(again.runs, 0u);
  EXPECT_EQ(again.warnings.size(), 3u);  // two runs and the registered version
}

TEST(MlflowTest, ExportWritesMlflowsFormatAndRoundTrips) {
  TempFolder folder;
  Workspace source = Workspace::open(folder.path() / "a");
  MlflowFileStore::importStore(source, kStore);
  const fs::path out = folder.path() / "exported";
  const MlflowTransferSummary summary = MlflowFileStore::exportStore(source, out);
  EXPECT_EQ(summary.runs, 2u);
  EXPECT_EQ(summary.versions, 1u);

  const fs::path runFolder = out / "1" / kRunA;
  EXPECT_EQ(readFile(runFolder / "params" / "n_estimators"), "100");  // no trailing newline
  EXPECT_EQ(readFile(runFolder / "metrics" / "roc_auc"),
            "1700000001000 0.81000000000000005 0\n1700000002000 0.84999999999999998 1\n");
  EXPECT_EQ(readFile(runFolder / "tags" / "mlflow.runName"), "rf-a");
  EXPECT_TRUE(fs::exists(runFolder / "metrics" / "loss" / "train"));
  const YAML::Node meta = YAML::LoadFile((runFolder / "meta.yaml").string());
  EXPECT_EQ(meta["status"].as<int>(), 3);
  EXPECT_EQ(meta["experiment_id"].as<std::string>(), "1");
  EXPECT_EQ(meta["start_time"].as<std::int64_t>(), 1700000000000);
  EXPECT_TRUE(meta["tags"].IsSequence());
  const YAML::Node deleted = YAML::LoadFile((out / "1" / kRunB / "meta.yaml").string());
  EXPECT_EQ(deleted["lifecycle_stage"].as<std::string>(), "deleted");
  EXPECT_EQ(deleted["status"].as<int>(), 4);
  const YAML::Node version = YAML::LoadFile((out / "models" / "fire" / "version-1" / "meta.yaml").string());
  EXPECT_EQ(version["current_stage"].as<std::string>(), "Production");
  EXPECT_EQ(version["version"].as<int>(), 1);
  EXPECT_EQ(readFile(out / "models" / "fire" / "aliases" / "champion"), "1");

  Workspace copy = Workspace::open(folder.path() / "b");
  MlflowFileStore::importStore(copy, out);
  expectImportedFixture(copy);
  EXPECT_THROW(MlflowFileStore::exportStore(source, out), Conflict);  // exists, not empty
}

TEST(MlflowTest, MalformedFilesAreNamedAndNothingIsHalfImported) {
  TempFolder folder;
  const fs::path store = folder.path() / "mlruns";
  fs::create_directories(store);
  fs::copy(kStore, store, fs::copy_options::recursive);
  writeFileAtomic(store / "1" / kRunB / "metrics" / "roc_auc", "1700000007000 not-a-number 0\n");
  Workspace workspace = Workspace::open(folder.path() / "ws");
  try {
    MlflowFileStore::importStore(workspace, store);
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("roc_auc:1"), std::string::npos) << error.what();
  }
  EXPECT_TRUE(workspace.listExperiments().empty());
  RunQuery all;
  all.lifecycle = RunLifecycle::All;
  EXPECT_TRUE(workspace.listRuns(all).empty());
  EXPECT_THROW(MlflowFileStore::importStore(workspace, folder.path() / "nowhere"), InputError);
}

}  // namespace
}  // namespace geih::store
