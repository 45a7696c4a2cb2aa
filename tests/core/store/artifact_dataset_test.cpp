#include <gtest/gtest.h>

#include <fstream>

#include "core/common/error.h"
#include "core/common/sha256.h"
#include "core/store/workspace.h"
#include "tests/core/store/store_test_util.h"

namespace geih::store {
namespace {

using testing::TempFolder;
namespace fs = std::filesystem;

TEST(ArtifactTest, ContentAddressedStoredOnceAndVerifiedOnRead) {
  TempFolder dir;
  Workspace ws = Workspace::open(dir.path());
  const auto e = ws.createExperiment("e");
  const std::string a = ws.createRun(e), b = ws.createRun(e);
  const std::string bytes = "{\"model\": 1}";
  const ArtifactRecord first = ws.logArtifact(a, "model.json", bytes, "application/json");
  const ArtifactRecord second = ws.logArtifact(b, "copy.json", bytes);
  EXPECT_EQ(first.sha256, sha256Hex(bytes));
  EXPECT_EQ(second.sha256, first.sha256);
  EXPECT_EQ(first.size, std::int64_t(bytes.size()));
  const fs::path file = dir.path() / "artifacts" / first.sha256.substr(0, 2) / first.sha256;
  EXPECT_EQ(ws.artifactFile(first.sha256), file);
  ASSERT_TRUE(fs::exists(file));
  std::size_t files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir.path() / "artifacts")) {
    files += entry.is_regular_file();
    EXPECT_EQ(entry.path().filename().string().find(".tmp"), std::string::npos);
  }
  EXPECT_EQ(files, 1u);  // one copy for two runs, no temp files left
  EXPECT_EQ(ws.readArtifact(a, "model.json"), bytes);
  const auto detail = ws.runDetail(a);
  ASSERT_EQ(detail.artifacts.size(), 1u);
  EXPECT_EQ(detail.artifacts[0].mediaType, "application/json");
  EXPECT_THROW(ws.readArtifact(a, "absent.json"), NotFound);

  { std::ofstream(file, std::ios::trunc) << "tampered"; }
  EXPECT_THROW(ws.readArtifact(a, "model.json"), Corrupt);
  fs::remove(file);
  EXPECT_THROW(ws.readArtifact(a, "model.json"), Corrupt);
}

TEST(DatasetTest, VersionsByContentWithParentsAndRunLinks) {
  TempFolder dir;
  Workspace ws = Workspace::open(dir.path());
  fs::create_directories(dir.path() / "in");
  const fs::path csv = dir.path() / "in" / "fire.csv";
  { std::ofstream(csv) << "a,b\n1,2\n"; }
  const DatasetRecord v1 = ws.registerDataset("fire", csv, "[]", "[]", 1);
  EXPECT_EQ(v1.version, 1);
  EXPECT_EQ(v1.sha256, sha256File(csv));
  EXPECT_EQ(v1.storedPath, "data/raw/" + v1.sha256 + ".csv");
  EXPECT_TRUE(fs::exists(dir.path() / v1.storedPath));
  EXPECT_EQ(ws.registerDataset("fire", csv, "[]", "[]", 1).id, v1.id);  // same bytes: same version

  { std::ofstream(csv) << "a,b\n1,2\n3,4\n"; }
  const DatasetRecord v2 = ws.registerDataset("fire", csv, "[]", "[]", 2, {v1.id});
  EXPECT_EQ(v2.version, 2);
  EXPECT_EQ(v2.parentIds, (std::vector<std::int64_t>{v1.id}));
  EXPECT_EQ(ws.dataset("fire").id, v2.id);
  EXPECT_EQ(ws.dataset("fire@1").id, v1.id);
  EXPECT_EQ(ws.dataset("fire:2").id, v2.id);
  EXPECT_THROW(ws.dataset("fire@3"), NotFound);
  EXPECT_THROW(ws.dataset("fire@x"), InputError);
  EXPECT_THROW(ws.dataset("other"), NotFound);
  EXPECT_THROW(ws.registerDataset("bad@name", csv, "[]", "[]", 2), InputError);
  EXPECT_EQ(ws.listDatasets().size(), 2u);

  const auto e = ws.createExperiment("e");
  const std::string run = ws.createRun(e);
  ws.linkDataset(run, v1.id, "train");
  ws.linkDataset(run, v2.id, "test");
  const auto detail = ws.runDetail(run);
  ASSERT_EQ(detail.datasets.size(), 2u);
  EXPECT_EQ(detail.datasets[0].role, "test");
  EXPECT_EQ(detail.datasets[0].dataset.version, 2);
  EXPECT_EQ(detail.datasets[1].role, "train");
  EXPECT_THROW(ws.linkDataset(run, 9999, "train"), NotFound);
}

}  // namespace
}  // namespace geih::store
