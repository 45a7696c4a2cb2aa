#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "core/common/error.h"
#include "core/common/sha256.h"
#include "core/store/workspace.h"
#include "tests/core/store/store_test_util.h"

namespace geih::store {
namespace {

using testing::TempFolder;
namespace fs = std::filesystem;

std::vector<fs::path> filesUnder(const fs::path& folder) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(folder)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  return files;
}

struct stat statOf(const fs::path& file) {
  struct stat info {};
  EXPECT_EQ(::stat(file.c_str(), &info), 0) << file;
  return info;
}

TEST(ArtifactTest, ContentAddressedStoredOnceAndReadBack) {
  TempFolder dir;
  Workspace ws = Workspace::open(dir.path());
  const auto e = ws.createExperiment("e");
  const std::string a = ws.createRun(e), b = ws.createRun(e);
  const std::string bytes = std::string("{\"model\": 1}\n\0binary\xff", 22);
  const ArtifactRecord first = ws.logArtifact(a, "model.json", bytes, "application/json");
  const ArtifactRecord second = ws.logArtifact(b, "curves/copy.bin", bytes);
  EXPECT_EQ(first.path, "model.json");
  EXPECT_EQ(first.sha256, sha256Hex(bytes));
  EXPECT_EQ(first.size, std::int64_t(bytes.size()));
  EXPECT_EQ(first.mediaType, "application/json");
  EXPECT_EQ(second.sha256, first.sha256);
  EXPECT_EQ(second.mediaType, "application/octet-stream");

  const fs::path file = dir.path() / "artifacts" / first.sha256.substr(0, 2) / first.sha256;
  EXPECT_EQ(ws.artifactFile(first.sha256), file);
  ASSERT_TRUE(fs::exists(file));
  EXPECT_EQ(filesUnder(dir.path() / "artifacts"),
            std::vector<fs::path>{file});  // one copy, no temps
  EXPECT_EQ(ws.readArtifact(a, "model.json"), bytes);
  EXPECT_EQ(ws.readArtifact(b, "curves/copy.bin"), bytes);

  const auto detail = ws.runDetail(a);
  ASSERT_EQ(detail.artifacts.size(), 1u);
  EXPECT_EQ(detail.artifacts[0].path, "model.json");
  EXPECT_EQ(detail.artifacts[0].sha256, first.sha256);
  EXPECT_EQ(detail.artifacts[0].size, first.size);
  EXPECT_EQ(detail.artifacts[0].mediaType, "application/json");

  // Re-logging a path points it at the new bytes; the old content stays (other runs may share it).
  ws.logArtifact(a, "model.json", "{\"model\": 2}", "application/json");
  EXPECT_EQ(ws.readArtifact(a, "model.json"), "{\"model\": 2}");
  EXPECT_EQ(ws.readArtifact(b, "curves/copy.bin"), bytes);
  EXPECT_EQ(filesUnder(dir.path() / "artifacts").size(), 2u);
  EXPECT_EQ(ws.runDetail(a).artifacts.size(), 1u);
}

TEST(ArtifactTest, AnExistingArtifactIsNeverRewritten) {
  TempFolder dir;
  Workspace ws = Workspace::open(dir.path());
  const std::string run = ws.createRun(ws.createExperiment("e"));
  const ArtifactRecord record = ws.logArtifact(run, "a.txt", "same bytes");
  const fs::path file = ws.artifactFile(record.sha256);
  const struct stat before = statOf(file);
  ws.logArtifact(run, "b.txt", "same bytes");
  ws.logArtifact(ws.createRun(ws.experimentIdByName("e", false)), "c.txt", "same bytes");
  const struct stat after = statOf(file);
  // An atomic rewrite would rename a new file (a new inode) over the old one.
  EXPECT_EQ(after.st_ino, before.st_ino);
  EXPECT_EQ(after.st_mtim.tv_sec, before.st_mtim.tv_sec);
  EXPECT_EQ(after.st_mtim.tv_nsec, before.st_mtim.tv_nsec);
  EXPECT_EQ(filesUnder(dir.path() / "artifacts").size(), 1u);
}

TEST(ArtifactTest, TamperedOrMissingBytesAreCorrupt) {
  TempFolder dir;
  Workspace ws = Workspace::open(dir.path());
  const std::string run = ws.createRun(ws.createExperiment("e"));
  const ArtifactRecord record = ws.logArtifact(run, "model.json", "{\"weights\": [1, 2]}");
  const fs::path file = ws.artifactFile(record.sha256);
  { std::ofstream(file, std::ios::trunc) << "{\"weights\": [1, 3]}"; }
  try {
    ws.readArtifact(run, "model.json");
    FAIL() << "expected Corrupt";
  } catch (const Corrupt& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("model.json"), std::string::npos) << message;
    EXPECT_NE(message.find(file.string()), std::string::npos) << message;
  }
  fs::remove(file);
  EXPECT_THROW(ws.readArtifact(run, "model.json"), Corrupt);
}

TEST(ArtifactTest, UnknownRunsPathsAndHashesAreRefused) {
  TempFolder dir;
  Workspace ws = Workspace::open(dir.path());
  const std::string run = ws.createRun(ws.createExperiment("e"));
  const std::string unknown = "0123456789abcdef0123456789abcdef";
  EXPECT_THROW(ws.logArtifact(unknown, "x.bin", "bytes"), NotFound);
  EXPECT_TRUE(filesUnder(dir.path() / "artifacts").empty());  // nothing written for a bad run
  EXPECT_THROW(ws.logArtifact(run, "", "bytes"), InputError);
  EXPECT_THROW(ws.readArtifact(run, "absent.json"), NotFound);
  EXPECT_THROW(ws.readArtifact(unknown, "absent.json"), NotFound);
  EXPECT_THROW(ws.artifactFile("../../etc/passwd"), InputError);
  EXPECT_THROW(ws.artifactFile(std::string(64, 'A')), InputError);
  EXPECT_NO_THROW(ws.artifactFile(std::string(64, 'a')));
}

TEST(ArtifactTest, EmptyAndLargeArtifactsRoundTrip) {
  TempFolder dir;
  Workspace ws = Workspace::open(dir.path());
  const std::string run = ws.createRun(ws.createExperiment("e"));
  const ArtifactRecord empty = ws.logArtifact(run, "empty", "");
  EXPECT_EQ(empty.size, 0);
  EXPECT_EQ(ws.readArtifact(run, "empty"), "");
  std::string large(3 << 20, '\0');
  for (std::size_t i = 0; i < large.size(); ++i) large[i] = char(i * 7919 % 251);
  ws.logArtifact(run, "large.bin", large);
  EXPECT_EQ(ws.readArtifact(run, "large.bin"), large);
}

}  // namespace
}  // namespace geih::store
