#include <gtest/gtest.h>

#include <fstream>

#include "core/common/atomic_file.h"
#include "core/common/error.h"
#include "core/common/sha256.h"
#include "core/store/workspace.h"
#include "tests/core/store/store_test_util.h"

namespace geih::store {
namespace {

using testing::TempFolder;
namespace fs = std::filesystem;

class DatasetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    m_workspace = std::make_unique<Workspace>(Workspace::open(m_folder.path()));
    fs::create_directories(m_folder.path() / "in");
  }

  fs::path write(const std::string& name, const std::string& text) {
    const fs::path file = m_folder.path() / "in" / name;
    std::ofstream(file, std::ios::trunc | std::ios::binary) << text;
    return file;
  }

  Workspace& ws() { return *m_workspace; }

  TempFolder m_folder;
  std::unique_ptr<Workspace> m_workspace;
};

TEST_F(DatasetTest, RegistersVersionsByContent) {
  const fs::path csv = write("fire.csv", "a,b\n1,2\n");
  const DatasetRecord v1 = ws().registerDataset("fire", csv, "[{\"name\":\"a\"}]", "{\"p\":1}", 1);
  EXPECT_EQ(v1.name, "fire");
  EXPECT_EQ(v1.version, 1);
  EXPECT_EQ(v1.sha256, sha256File(csv));
  EXPECT_EQ(v1.storedPath, "data/raw/" + v1.sha256 + ".csv");
  EXPECT_EQ(fs::path(v1.sourcePath), fs::absolute(csv));
  EXPECT_EQ(v1.schemaJson, "[{\"name\":\"a\"}]");
  EXPECT_EQ(v1.profileJson, "{\"p\":1}");
  EXPECT_EQ(v1.rows, 1);
  EXPECT_GT(v1.createdMs, 0);
  EXPECT_TRUE(v1.parentIds.empty());
  EXPECT_EQ(readFile(m_folder.path() / v1.storedPath), "a,b\n1,2\n");

  // The same bytes again, even from another file: the same record, no new version.
  EXPECT_EQ(ws().registerDataset("fire", csv, "[]", "[]", 1).id, v1.id);
  EXPECT_EQ(ws().registerDataset("fire", write("copy.csv", "a,b\n1,2\n"), "[]", "[]", 1).id, v1.id);

  write("fire.csv", "a,b\n1,2\n3,4\n");
  const DatasetRecord v2 = ws().registerDataset("fire", csv, "[]", "[]", 2, {v1.id});
  EXPECT_EQ(v2.version, 2);
  EXPECT_NE(v2.sha256, v1.sha256);
  EXPECT_EQ(v2.parentIds, (std::vector<std::int64_t>{v1.id}));
  EXPECT_EQ(readFile(m_folder.path() / v2.storedPath), "a,b\n1,2\n3,4\n");
  EXPECT_EQ(readFile(m_folder.path() / v1.storedPath), "a,b\n1,2\n");  // v1 is immutable

  // Going back to the first bytes finds version 1 rather than making a version 3.
  write("fire.csv", "a,b\n1,2\n");
  EXPECT_EQ(ws().registerDataset("fire", csv, "[]", "[]", 1).version, 1);

  // The same bytes under another name: that name's version 1, sharing the stored file.
  const DatasetRecord other = ws().registerDataset("fire_copy", csv, "[]", "[]", 1);
  EXPECT_EQ(other.version, 1);
  EXPECT_EQ(other.storedPath, v1.storedPath);

  std::size_t stored = 0;
  for (const auto& entry : fs::directory_iterator(m_folder.path() / "data/raw")) {
    ++stored;
    EXPECT_EQ(entry.path().filename().string()[0] == '.', false) << "temp left: " << entry.path();
  }
  EXPECT_EQ(stored, 2u);
}

TEST_F(DatasetTest, ResolvesReferences) {
  const fs::path csv = write("fire.csv", "a\n1\n");
  const DatasetRecord v1 = ws().registerDataset("fire", csv, "[]", "[]", 1);
  write("fire.csv", "a\n2\n");
  const DatasetRecord v2 = ws().registerDataset("fire", csv, "[]", "[]", 1);
  EXPECT_EQ(ws().dataset("fire").id, v2.id);  // latest
  EXPECT_EQ(ws().dataset("fire@1").id, v1.id);
  EXPECT_EQ(ws().dataset("fire:2").id, v2.id);
  EXPECT_EQ(ws().dataset(std::to_string(v1.id)).id, v1.id);    // a bare id
  EXPECT_EQ(ws().dataset(v1.sha256).id, v1.id);                // the hash
  EXPECT_EQ(ws().dataset(v2.sha256.substr(0, 10)).id, v2.id);  // a hash prefix
  EXPECT_EQ(ws().datasetById(v2.id).version, 2);
  EXPECT_THROW(ws().dataset("fire@3"), NotFound);
  EXPECT_THROW(ws().dataset("fire@0"), InputError);
  EXPECT_THROW(ws().dataset("fire@x"), InputError);
  EXPECT_THROW(ws().dataset("fire@"), InputError);
  EXPECT_THROW(ws().dataset("other"), NotFound);
  EXPECT_THROW(ws().dataset("999999"), NotFound);
  EXPECT_THROW(ws().datasetById(999999), NotFound);
  try {
    ws().dataset("fire@7");
    FAIL() << "expected NotFound";
  } catch (const NotFound& error) {
    EXPECT_NE(std::string(error.what()).find("fire@7"), std::string::npos);
  }
}

TEST_F(DatasetTest, RefusesBadNamesMissingFilesAndUnknownParents) {
  const fs::path csv = write("fire.csv", "a\n1\n");
  EXPECT_THROW(ws().registerDataset("", csv, "[]", "[]", 1), InputError);
  EXPECT_THROW(ws().registerDataset("bad@name", csv, "[]", "[]", 1), InputError);
  EXPECT_THROW(ws().registerDataset("bad:name", csv, "[]", "[]", 1), InputError);
  EXPECT_THROW(ws().registerDataset("fire", m_folder.path() / "in" / "absent.csv", "[]", "[]", 1),
               InputError);
  EXPECT_THROW(ws().registerDataset("fire", csv, "[]", "[]", 1, {424242}), NotFound);
  EXPECT_TRUE(ws().listDatasets().empty());
  EXPECT_TRUE(fs::is_empty(m_folder.path() / "data/raw"));  // nothing copied for a refused import
}

TEST_F(DatasetTest, ListsNewestFirstWithLineage) {
  const DatasetRecord raw = ws().registerDataset("raw", write("raw.csv", "a\n1\n"), "[]", "[]", 1);
  const DatasetRecord labels =
      ws().registerDataset("labels", write("labels.csv", "y\n0\n"), "[]", "[]", 1);
  const DatasetRecord joined = ws().registerDataset("joined", write("joined.csv", "a,y\n1,0\n"),
                                                    "[]", "[]", 1, {labels.id, raw.id});
  const auto all = ws().listDatasets();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].id, joined.id);
  EXPECT_EQ(all[1].id, labels.id);
  EXPECT_EQ(all[2].id, raw.id);
  EXPECT_EQ(all[0].parentIds, (std::vector<std::int64_t>{raw.id, labels.id}));  // sorted by id
  EXPECT_TRUE(all[1].parentIds.empty());
  EXPECT_EQ(ws().dataset("joined").parentIds, all[0].parentIds);
}

TEST_F(DatasetTest, RunsLinkDatasetsWithRoles) {
  const DatasetRecord train = ws().registerDataset("fire", write("t.csv", "a\n1\n"), "[]", "[]", 1);
  const DatasetRecord test = ws().registerDataset("fire", write("t.csv", "a\n2\n"), "[]", "[]", 1);
  const std::string run = ws().createRun(ws().createExperiment("e"));
  ws().linkDataset(run, train.id, "train");
  ws().linkDataset(run, test.id, "test");
  ws().linkDataset(run, train.id, "train");  // twice is once
  const auto detail = ws().runDetail(run);
  ASSERT_EQ(detail.datasets.size(), 2u);
  EXPECT_EQ(detail.datasets[0].role, "test");
  EXPECT_EQ(detail.datasets[0].dataset.version, 2);
  EXPECT_EQ(detail.datasets[1].role, "train");
  EXPECT_EQ(detail.datasets[1].dataset.sha256, train.sha256);
  EXPECT_THROW(ws().linkDataset(run, 9999, "train"), NotFound);
  EXPECT_THROW(ws().linkDataset("0123456789abcdef0123456789abcdef", train.id, "train"), NotFound);
  EXPECT_THROW(ws().linkDataset(run, train.id, ""), InputError);
}

}  // namespace
}  // namespace geih::store
