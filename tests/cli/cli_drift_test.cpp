// `geih drift` end to end: a known shift in one numeric column and one category share, the JSON
// contract, the HTML report, and exit code 2 on bad input.
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/cli/cli_runner.h"

namespace {

namespace fs = std::filesystem;
using geih::cli::testing::Result;
using geih::cli::testing::runGeih;
using geih::cli::testing::TempDir;

// a ~ U(0,1) on both sides; b ~ U(0,1) in the reference and U(0.5,1.5) now; c is "p" half of the
// time in the reference and 80% of the time now.
void writeSample(const std::string& path, bool shifted, std::uint64_t seed) {
  std::ofstream out(path);
  out << "a,b,c\n";
  std::uint64_t state = seed;
  const auto uniform = [&state] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return double(state >> 11) / double(1ULL << 53);
  };
  for (int i = 0; i < 1500; ++i) {
    const double a = uniform();
    const double b = uniform() + (shifted ? 0.5 : 0.0);
    const bool p = uniform() < (shifted ? 0.8 : 0.5);
    out << a << "," << b << "," << (p ? "p" : "q") << "\n";
  }
}

TEST(CliDriftTest, FindsTheShiftAndWritesReports) {
  TempDir dir("geih_cli_drift");
  writeSample(dir / "ref.csv", false, 1);
  writeSample(dir / "cur.csv", true, 2);
  const Result result = runGeih({"drift", "--reference", dir / "ref.csv", "--current",
                                 dir / "cur.csv", "--format", "json", "--quiet", "--output",
                                 dir / "report.html"});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  const auto json = nlohmann::json::parse(result.out);
  ASSERT_EQ(json["features"].size(), 3u);
  std::map<std::string, nlohmann::json> byName;
  for (const auto& feature : json["features"]) byName[feature["name"]] = feature;
  for (const char* key : {"name", "type", "test", "statistic", "p_value", "threshold", "drifted"}) {
    EXPECT_TRUE(byName["a"].contains(key)) << key;
  }
  EXPECT_EQ(byName["a"]["test"], "wasserstein");  // 1500 reference values, many distinct
  EXPECT_EQ(byName["a"]["drifted"], false);
  EXPECT_EQ(byName["b"]["drifted"], true);
  // A 0.5 shift of U(0,1), whose std is 1/sqrt(12): about 0.5 * sqrt(12) = 1.73 stds.
  EXPECT_NEAR(byName["b"]["statistic"].get<double>(), 1.732, 0.1);
  EXPECT_EQ(byName["c"]["test"], "jensenshannon");
  EXPECT_EQ(byName["c"]["drifted"], true);
  EXPECT_NEAR(json["share_drifted"].get<double>(), 2.0 / 3.0, 1e-12);
  EXPECT_EQ(json["dataset_drift"], true);

  std::ifstream html(dir / "report.html");
  const std::string page((std::istreambuf_iterator<char>(html)), std::istreambuf_iterator<char>());
  EXPECT_NE(page.find("Dataset drift detected"), std::string::npos);

  // A stricter share turns the verdict; per-column tests and thresholds apply.
  const Result strict = runGeih({"drift", "-r", dir / "ref.csv", "-c", dir / "cur.csv", "--share",
                                 "0.9", "--test", "a=ks", "--threshold", "a=0.01", "--format",
                                 "json", "--quiet"});
  ASSERT_EQ(strict.exitCode, 0) << strict.err;
  const auto strictJson = nlohmann::json::parse(strict.out);
  EXPECT_EQ(strictJson["dataset_drift"], false);
  EXPECT_EQ(strictJson["features"][0]["test"], "ks");
  EXPECT_EQ(strictJson["features"][0]["threshold"], 0.01);
  EXPECT_TRUE(strictJson["features"][0]["p_value"].is_number());
}

TEST(CliDriftTest, BadInputExitsTwoWithTheReason) {
  TempDir dir("geih_cli_drift_bad");
  writeSample(dir / "ref.csv", false, 1);
  const Result missing = runGeih({"drift", "-r", dir / "ref.csv", "-c", dir / "nope.csv"});
  EXPECT_EQ(missing.exitCode, 2);
  EXPECT_NE(missing.err.find("nope.csv"), std::string::npos) << missing.err;
  const Result badTest =
      runGeih({"drift", "-r", dir / "ref.csv", "-c", dir / "ref.csv", "--test", "a=magic", "--quiet"});
  EXPECT_EQ(badTest.exitCode, 2);
  EXPECT_NE(badTest.err.find("magic"), std::string::npos) << badTest.err;
  const Result badColumn =
      runGeih({"drift", "-r", dir / "ref.csv", "-c", dir / "ref.csv", "--columns", "zz", "--quiet"});
  EXPECT_EQ(badColumn.exitCode, 2);
  EXPECT_NE(badColumn.err.find("'zz'"), std::string::npos) << badColumn.err;
  const Result badOutput = runGeih(
      {"drift", "-r", dir / "ref.csv", "-c", dir / "ref.csv", "--output", dir / "r.txt", "--quiet"});
  EXPECT_EQ(badOutput.exitCode, 2);
}

}  // namespace
