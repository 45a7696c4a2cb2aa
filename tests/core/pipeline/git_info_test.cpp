#include "core/pipeline/git_info.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace geih::pipeline {
namespace {

namespace fs = std::filesystem;

void write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

TEST(GitInfoTest, ResolvesLooseRefPackedRefAndDetachedHead) {
  const fs::path repo = fs::temp_directory_path() / ("geih_git_info_" + std::to_string(getpid()));
  fs::remove_all(repo);
  const std::string a(40, 'a'), b(40, 'b'), c(40, 'c');
  fs::create_directories(repo / "src" / "deep");
  EXPECT_EQ(gitCommitOf(repo / "src"), "");  // no repository

  write(repo / ".git" / "HEAD", "ref: refs/heads/main\n");
  write(repo / ".git" / "refs" / "heads" / "main", a + "\n");
  EXPECT_EQ(gitCommitOf(repo / "src" / "deep"), a);

  fs::remove(repo / ".git" / "refs" / "heads" / "main");
  write(repo / ".git" / "packed-refs",
        "# pack-refs with: peeled fully-peeled sorted\n" + c + " refs/heads/other\n" + b +
            " refs/heads/main\n");
  EXPECT_EQ(gitCommitOf(repo), b);

  write(repo / ".git" / "HEAD", c + "\n");
  EXPECT_EQ(gitCommitOf(repo), c);
  fs::remove_all(repo);
}

}  // namespace
}  // namespace geih::pipeline
