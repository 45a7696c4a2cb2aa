// End-to-end tests of `geih runs list --filter/--order-by` on a demo workspace.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

struct Result {
  int exitCode = -1;
  std::string out;
  std::string err;
};

std::string shellQuote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) quoted += (c == '\'') ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

Result runGeih(const std::vector<std::string>& args) {
  const fs::path errFile =
      fs::temp_directory_path() / ("geih_cli_filter_err_" + std::to_string(getpid()));
  std::string command = shellQuote(GEIH_CLI_PATH);
  for (const auto& arg : args) command += " " + shellQuote(arg);
  command += " 2>" + shellQuote(errFile.string());
  Result result;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return result;
  std::array<char, 4096> buffer{};
  std::size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
    result.out.append(buffer.data(), n);
  const int status = pclose(pipe);
  result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream err(errFile);
  std::stringstream text;
  text << err.rdbuf();
  result.err = text.str();
  fs::remove(errFile);
  return result;
}

class TempDir {
 public:
  explicit TempDir(const std::string& name)
      : m_path(fs::temp_directory_path() / (name + "_" + std::to_string(getpid()))) {
    fs::remove_all(m_path);
    fs::create_directories(m_path);
  }
  ~TempDir() { fs::remove_all(m_path); }
  std::string operator/(const std::string& child) const { return (m_path / child).string(); }

 private:
  fs::path m_path;
};

TEST(CliFilterTest, RunsListFilterAndOrderBy) {
  TempDir dir("geih_cli_filter");
  const std::string ws = dir / "ws";
  const Result demo = runGeih({"demo", "--workspace", ws, "--format", "json", "--quiet"});
  ASSERT_EQ(demo.exitCode, 0) << demo.err;

  const Result list = runGeih({"runs", "list", "--workspace", ws, "--format", "json", "--filter",
                               "metrics.roc_auc > 0.92 and params.class_weight = 'balanced'"});
  ASSERT_EQ(list.exitCode, 0) << list.err;
  const auto runs = nlohmann::json::parse(list.out);
  ASSERT_EQ(runs.size(), 1u) << list.out;
  EXPECT_EQ(runs[0]["name"], "logistic C=1, balanced");

  const Result ordered = runGeih({"runs", "list", "--workspace", ws, "--format", "json",
                                  "--order-by", "metrics.roc_auc DESC, attributes.name"});
  ASSERT_EQ(ordered.exitCode, 0) << ordered.err;
  const auto all = nlohmann::json::parse(ordered.out);
  ASSERT_EQ(all.size(), 7u);
  for (std::size_t i = 1; i < all.size(); ++i) {
    EXPECT_GE(all[i - 1]["metrics"]["roc_auc"].get<double>(),
              all[i]["metrics"]["roc_auc"].get<double>());
  }
}

TEST(CliFilterTest, BadFilterExitsTwoWithACaret) {
  TempDir dir("geih_cli_filter_bad");
  const std::string ws = dir / "ws";
  ASSERT_EQ(runGeih({"demo", "--workspace", ws, "--quiet"}).exitCode, 0);
  const Result bad = runGeih({"runs", "list", "--workspace", ws, "--filter", "metrics.roc_auc >"});
  EXPECT_EQ(bad.exitCode, 2);
  EXPECT_TRUE(bad.out.empty()) << bad.out;
  EXPECT_NE(bad.err.find("expected a value after '>' at column 18"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("  metrics.roc_auc >\n                   ^"), std::string::npos)
      << bad.err;

  const Result badOrder =
      runGeih({"runs", "list", "--workspace", ws, "--order-by", "metrics.roc_auc sideways"});
  EXPECT_EQ(badOrder.exitCode, 2);
  EXPECT_NE(badOrder.err.find("column 17"), std::string::npos) << badOrder.err;
}

}  // namespace
