#include "core/common/atomic_file.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/common/error.h"

namespace geih {
namespace {

namespace fs = std::filesystem;

TEST(AtomicFileTest, WritesReplacesAndLeavesNoTemporaryFiles) {
  const fs::path folder = fs::temp_directory_path() / "geih_atomic_file_test";
  fs::remove_all(folder);
  const fs::path file = folder / "nested" / "out.txt";
  writeFileAtomic(file, "first");
  EXPECT_EQ(readFile(file), "first");
  writeFileAtomic(file, "second, longer");
  EXPECT_EQ(readFile(file), "second, longer");
  std::size_t entries = 0;
  for (const auto& entry : fs::directory_iterator(file.parent_path())) {
    (void)entry;
    ++entries;
  }
  EXPECT_EQ(entries, 1u);  // no .tmp leftovers
  EXPECT_EQ(fs::status(file).permissions() & fs::perms::others_read, fs::perms::others_read);
  fs::remove_all(folder);
}

TEST(AtomicFileTest, UnwritableFolderIsIoErrorNamingThePath) {
  // A folder that cannot be created (its parent is a regular file) fails for root too.
  const fs::path blocker = fs::temp_directory_path() / "geih_atomic_blocker";
  writeFileAtomic(blocker, "x");
  try {
    writeFileAtomic(blocker / "child.txt", "y");
    FAIL() << "expected IoError";
  } catch (const IoError& error) {
    EXPECT_NE(std::string(error.what()).find("geih_atomic_blocker"), std::string::npos);
  }
  fs::remove(blocker);
  EXPECT_THROW(readFile("/nonexistent/geih/file"), IoError);
}

}  // namespace
}  // namespace geih
