// `geih runs compare|delete|restore|purge|rename|tag|note` on a demo workspace.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/cli/cli_runner.h"

namespace {

using geih::cli::testing::Result;
using geih::cli::testing::runGeih;
using geih::cli::testing::TempDir;

std::vector<std::string> runIds(const std::string& ws, const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args = {"runs", "list", "--workspace", ws, "--format", "json",
                                   "--experiment", "fire-risk-tuning"};
  args.insert(args.end(), extra.begin(), extra.end());
  const Result list = runGeih(args);
  std::vector<std::string> ids;
  if (list.exitCode != 0) return ids;
  for (const auto& run : nlohmann::json::parse(list.out)) ids.push_back(run["run_id"]);
  return ids;
}

TEST(CliRunsLifecycleTest, CompareTagTrashRestorePurge) {
  TempDir dir("geih_cli_lifecycle");
  const std::string ws = dir / "ws";
  ASSERT_EQ(runGeih({"demo", "--workspace", ws, "--quiet"}).exitCode, 0);
  const std::vector<std::string> ids = runIds(ws);
  ASSERT_EQ(ids.size(), 3u);

  const Result compare = runGeih({"runs", "compare", ids[0], ids[1], ids[2], "--workspace", ws,
                                  "--format", "json"});
  ASSERT_EQ(compare.exitCode, 0) << compare.err;
  const auto json = nlohmann::json::parse(compare.out);
  EXPECT_EQ(json["runs"].size(), 3u);
  // The tuning runs differ in C (and one in class_weight), nothing else.
  std::vector<std::string> differ = json["params_differ"];
  EXPECT_EQ(differ, (std::vector<std::string>{"C", "class_weight"}));
  EXPECT_EQ(runGeih({"runs", "compare", ids[0], "--workspace", ws}).exitCode, 2);

  ASSERT_EQ(runGeih({"runs", "rename", ids[0], "best sweep point", "--workspace", ws}).exitCode, 0);
  ASSERT_EQ(runGeih({"runs", "tag", ids[0], "region=amazonia", "season=dry", "--workspace", ws}).exitCode, 0);
  ASSERT_EQ(runGeih({"runs", "note", ids[0], "keep", "--workspace", ws}).exitCode, 0);
  const Result tagged = runGeih({"runs", "list", "--workspace", ws, "--format", "json", "--filter",
                                 "tags.region LIKE 'amaz%' and attributes.note = 'keep'"});
  ASSERT_EQ(tagged.exitCode, 0) << tagged.err;
  const auto found = nlohmann::json::parse(tagged.out);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]["name"], "best sweep point");
  EXPECT_EQ(found[0]["tags"]["season"], "dry");
  EXPECT_EQ(runGeih({"runs", "tag", ids[0], "--remove", "nope", "--workspace", ws}).exitCode, 2);

  ASSERT_EQ(runGeih({"runs", "delete", ids[1], "--workspace", ws}).exitCode, 0);
  EXPECT_EQ(runIds(ws).size(), 2u);
  EXPECT_EQ(runIds(ws, {"--deleted"}), std::vector<std::string>{ids[1]});
  EXPECT_EQ(runGeih({"runs", "delete", ids[1], "--workspace", ws}).exitCode, 2);  // already there
  ASSERT_EQ(runGeih({"runs", "restore", ids[1], "--workspace", ws}).exitCode, 0);
  EXPECT_EQ(runIds(ws).size(), 3u);
  EXPECT_EQ(runGeih({"runs", "purge", ids[1], "--workspace", ws}).exitCode, 2);  // not trashed
  ASSERT_EQ(runGeih({"runs", "delete", ids[1], "--workspace", ws}).exitCode, 0);
  ASSERT_EQ(runGeih({"runs", "purge", ids[1], "--workspace", ws}).exitCode, 0);
  EXPECT_EQ(runIds(ws, {"--all"}).size(), 2u);
  EXPECT_EQ(runGeih({"runs", "show", ids[1], "--workspace", ws}).exitCode, 2);
  // A registered run (fire-risk v3 is the balanced tuning run) cannot be purged.
  const Result v3 = runGeih({"models", "show", "fire-risk@3", "--workspace", ws, "--format", "json"});
  const std::string registered = nlohmann::json::parse(v3.out)[0]["run_id"];
  ASSERT_EQ(runGeih({"runs", "delete", registered, "--workspace", ws}).exitCode, 0);
  const Result refused = runGeih({"runs", "purge", registered, "--workspace", ws});
  EXPECT_EQ(refused.exitCode, 2);
  EXPECT_NE(refused.err.find("fire-risk"), std::string::npos) << refused.err;
}

}  // namespace
