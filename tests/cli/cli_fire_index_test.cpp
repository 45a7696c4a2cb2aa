// The INPE fire-risk baseline from the command line on the demo landscape: single bands cut out
// with `raster stack`, a five-day precipitation series reduced by `raster aggregate`, the index
// and its classes, then `raster evaluate` ranks both the index and the Production model's map
// against the drawn fire labels, so the model can be compared with the baseline on one ground.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "tests/cli/cli_runner.h"

namespace geih::cli::testing {
namespace {

TEST(CliFireIndexTest, BaselineAndModelRankedOnTheSameLabels) {
  TempDir dir("geih_cli_fire_index");
  const std::string ws = dir / "ws";
  Result r = runGeih({"demo", "--workspace", ws, "--rows", "5000", "--format", "json", "--quiet"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const auto demo = nlohmann::json::parse(r.out);
  const std::string landscape = demo["landscape"];
  const std::string labels = (std::filesystem::path(landscape).parent_path() / "landscape_fire.tif").string();
  const std::string riskMap = demo["risk_map"];

  auto cut = [&](const std::string& name, int band) {
    const std::string out = dir / (name + ".tif");
    const Result s = runGeih({"raster", "stack", name + "=" + landscape + ":" + std::to_string(band), "-o", out, "-q"});
    EXPECT_EQ(s.exitCode, 0) << s.err;
    return out;
  };
  const std::string rh = cut("rh", 2);
  const std::string tmax = cut("tmax", 1);
  const std::string cover = cut("cover", 11);
  const std::string day = landscape + ":4";
  r = runGeih({"raster", "stack", "d1=" + day, "d2=" + day, "d3=" + day, "d4=" + day, "d5=" + day, "-o",
               dir / "rain.tif", "-q"});
  ASSERT_EQ(r.exitCode, 0) << r.err;

  r = runGeih({"raster", "aggregate", "-i", dir / "rain.tif", "-o", dir / "agg.tif", "--prefix", "precip",
               "--stats", "mean,sum,dry-days", "--format", "json", "-q"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const auto agg = nlohmann::json::parse(r.out);
  EXPECT_EQ(agg["dates"], 5);
  EXPECT_EQ(agg["bands"], nlohmann::json({"precip_mean", "precip_sum", "precip_dry_days"}));
  EXPECT_EQ(agg["valid_pixels"], 400 * 400);

  // Land cover codes: forest, savanna, grassland, cropland, urban (not flammable: left out).
  r = runGeih({"raster", "fire-index", "--precipitation", dir / "rain.tif", "--humidity", rh, "--temperature",
               tmax, "--vegetation", cover, "--flammability", "0=2.0,1=4.0,2=6.0,3=6.0", "-o", dir / "rf.tif",
               "--format", "json", "-q"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const auto rf = nlohmann::json::parse(r.out);
  EXPECT_EQ(rf["history_days"], 5);
  EXPECT_EQ(rf["valid_pixels"].get<int>() + rf["unknown_vegetation_pixels"].get<int>(), 400 * 400);
  EXPECT_GT(rf["unknown_vegetation_pixels"].get<int>(), 0);
  ASSERT_EQ(rf["classes"].size(), 5u);
  EXPECT_EQ(rf["classes"][4]["name"], "crítico");
  EXPECT_TRUE(std::filesystem::exists(dir / "rf_classes.tif"));

  r = runGeih({"raster", "evaluate", "--score", dir / "rf.tif", "--labels", labels, "--format", "json", "-q"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const auto baseline = nlohmann::json::parse(r.out);
  r = runGeih({"raster", "evaluate", "--score", riskMap, "--labels", labels, "--format", "json", "-q"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const auto model = nlohmann::json::parse(r.out);
  EXPECT_EQ(model["pixels"], 400 * 400);
  EXPECT_EQ(baseline["pixels"], rf["valid_pixels"]);
  // The index knows dryness, heat and fuel, so it ranks fires better than chance; the model was
  // trained on the risk function's own features and ranks them better still.
  EXPECT_GT(baseline["roc_auc"].get<double>(), 0.55);
  EXPECT_GT(model["roc_auc"].get<double>(), baseline["roc_auc"].get<double>());
  EXPECT_LT(model["roc_auc"].get<double>(), 1.0);
}

TEST(CliFireIndexTest, BadInputExitsTwoAndLeavesNothing) {
  TempDir dir("geih_cli_fire_index_bad");
  const std::string olinda = std::string(GEIH_TEST_DATA_DIR) + "/olinda_l7_crop.tif";
  const std::string dem = std::string(GEIH_TEST_DATA_DIR) + "/olinda_dem_utm25s.tif";
  Result r = runGeih({"raster", "fire-index", "--precipitation", olinda, "--humidity", olinda, "--temperature",
                      olinda, "--vegetation", olinda, "--flammability", "7:6", "-o", dir / "rf.tif"});
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_NE(r.err.find("7:6"), std::string::npos) << r.err;
  r = runGeih({"raster", "fire-index", "--precipitation", olinda, "--humidity", olinda, "--temperature",
               olinda, "--vegetation", dem, "-o", dir / "rf.tif"});
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_NE(r.err.find("different grids"), std::string::npos) << r.err;
  r = runGeih({"raster", "evaluate", "--score", olinda, "--labels", dem});
  EXPECT_EQ(r.exitCode, 2);
  r = runGeih({"raster", "aggregate", "-i", olinda, "--stats", "median", "-o", dir / "a.tif"});
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_NE(r.err.find("median"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "rf.tif"));
  EXPECT_FALSE(std::filesystem::exists(dir / "rf_classes.tif"));
  EXPECT_FALSE(std::filesystem::exists(dir / "a.tif"));
}

}  // namespace
}  // namespace geih::cli::testing
