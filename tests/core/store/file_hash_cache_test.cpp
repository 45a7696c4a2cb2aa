// The file-hash cache answers only for a file whose stat is unchanged: an edit of the same size,
// even with its modification time set back, makes it forget; paths are compared absolute.
#include "core/store/file_hash_cache.h"

#include <gtest/gtest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <thread>

#include "core/common/error.h"
#include "core/common/sha256.h"
#include "core/store/workspace.h"
#include "tests/core/store/store_test_util.h"

namespace geih::store {
namespace {

namespace fs = std::filesystem;

void write(const fs::path& path, const std::string& content) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
}

TEST(FileHashCacheTest, RemembersUntilTheFileChanges) {
  testing::TempFolder folder;
  fs::create_directories(folder.path());
  Workspace workspace = Workspace::open(folder.path() / "ws");
  FileHashCache cache(workspace);
  const fs::path file = folder.path() / "stack.tif";
  write(file, "first content");
  EXPECT_FALSE(cache.find(file).has_value());

  const FileStamp stamp = stampOf(file);
  const std::string hash = sha256File(file);
  cache.remember(file, stamp, hash);
  EXPECT_EQ(cache.find(file), hash);
  // The same file by a relative path with a detour.
  const fs::path before = fs::current_path();
  fs::current_path(folder.path());
  EXPECT_EQ(cache.find(fs::path("ws") / ".." / "stack.tif"), hash);
  fs::current_path(before);

  // Same size, new bytes, and the modification time put back: the status-change time moved.
  struct stat info {};
  ASSERT_EQ(::stat(file.c_str(), &info), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  write(file, "other content");
  const timespec times[2] = {info.st_atim, info.st_mtim};
  ASSERT_EQ(::utimensat(AT_FDCWD, file.c_str(), times, 0), 0);
  EXPECT_EQ(stampOf(file).mtimeNs, stamp.mtimeNs);
  EXPECT_EQ(stampOf(file).size, stamp.size);
  EXPECT_FALSE(cache.find(file).has_value());

  // A stamp taken before an edit never vouches for the edited file.
  cache.remember(file, stamp, hash);
  EXPECT_FALSE(cache.find(file).has_value());
  cache.remember(file, stampOf(file), sha256File(file));
  EXPECT_EQ(cache.find(file), sha256File(file));

  fs::remove(file);
  EXPECT_FALSE(cache.find(file).has_value());
  EXPECT_THROW(cache.remember(file, stamp, "not a hash"), InputError);
}

}  // namespace
}  // namespace geih::store
