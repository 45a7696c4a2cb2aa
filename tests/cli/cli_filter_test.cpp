// End-to-end tests of `geih runs list --filter/--order-by` on a demo workspace.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "tests/cli/cli_runner.h"

namespace {

namespace fs = std::filesystem;
using geih::cli::testing::Result;
using geih::cli::testing::runGeih;
using geih::cli::testing::TempDir;

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
  ASSERT_EQ(all.size(), 9u);
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
