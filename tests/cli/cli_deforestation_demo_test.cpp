// `geih demo --olinda SCENE` on the committed Olinda scene (tests/data/README.md): clearings are
// simulated on real spectra, so the truth is known. Checks: the label raster holds exactly the
// reported clearings; dNDVI separates cleared from kept forest perfectly (kept forest is
// unchanged, so its dNDVI is 0, while forest (NDVI > 0.25) turned bare soil (NDVI ≈ −0.18) has
// dNDVI > 0.4): ROC AUC exactly 1; the exact clearing chance ranks the clearings well above
// chance (its AUC is the ceiling for any model of these features), and the model trained on
// first-date features comes near it on held-out blocks; the model is in Production.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "tests/cli/cli_runner.h"

namespace geih::cli::testing {
namespace {

TEST(CliDeforestationDemoTest, OlindaScenarioEndToEnd) {
  TempDir dir("geih_cli_deforestation");
  const std::string ws = dir / "ws";
  const std::string olinda = std::string(GEIH_TEST_DATA_DIR) + "/olinda_l7_etms.tif";
  Result r = runGeih({"demo", "--workspace", ws, "--rows", "2000", "--olinda", olinda, "--format", "json", "--quiet"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const auto d = nlohmann::json::parse(r.out)["deforestation"];
  ASSERT_TRUE(d.is_object()) << r.out;
  const int forest = d["forest_pixels"];
  const int cleared = d["cleared_pixels"];
  EXPECT_GT(cleared, 500);
  EXPECT_LT(cleared, forest);
  EXPECT_EQ(d["registered_model"], "deforestation-risk");

  r = runGeih({"raster", "evaluate", "--score", d["change"], "--labels", d["labels"], "--format", "json", "-q"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const auto change = nlohmann::json::parse(r.out);
  EXPECT_EQ(change["pixels"], forest);
  EXPECT_EQ(change["positives"], cleared);
  EXPECT_DOUBLE_EQ(change["roc_auc"].get<double>(), 1.0);

  r = runGeih({"raster", "evaluate", "--score", d["true_risk"], "--labels", d["labels"], "--format", "json", "-q"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const double ceiling = nlohmann::json::parse(r.out)["roc_auc"];
  EXPECT_GT(ceiling, 0.6);
  const double heldOut = d["metrics"]["roc_auc"];
  EXPECT_GT(heldOut, 0.58);
  EXPECT_LT(heldOut, ceiling + 0.05);
  r = runGeih({"raster", "evaluate", "--score", d["risk_map"], "--labels", d["labels"], "--format", "json", "-q"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["pixels"], forest);

  // The drift map of the two dates: clearings are a few pixels per tile (PSI ~0.001-0.03), so any
  // change counts here; tiles without a clearing (sea, town) are unchanged pixel for pixel: PSI 0.
  r = runGeih({"raster", "drift", "--reference", d["before"], "--current", d["after"], "--features", "red,nir",
               "--tile", "32", "--threshold", "1e-9", "-o", dir / "drift.tif", "--format", "json", "-q"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const auto driftMap = nlohmann::json::parse(r.out);
  EXPECT_EQ(driftMap["tiles_x"], 11);
  EXPECT_EQ(driftMap["tiles_y"], 11);
  EXPECT_EQ(driftMap["valid_tiles"], 121);
  const int nirDrifted = driftMap["features"][1]["drifted_tiles"];
  EXPECT_GT(nirDrifted, 0);
  EXPECT_LT(nirDrifted, 121);
  r = runGeih({"raster", "drift", "--reference", d["before"], "--current", d["after"], "--features", "ndvi",
               "-o", dir / "bad.tif"});
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_NE(r.err.find("'ndvi'"), std::string::npos) << r.err;

  r = runGeih({"models", "show", "deforestation-risk", "-w", ws, "--format", "json"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("Production"), std::string::npos) << r.out;
}

TEST(CliDeforestationDemoTest, SceneWithoutSixBandsIsRefused) {
  TempDir dir("geih_cli_deforestation_bad");
  const std::string dem = std::string(GEIH_TEST_DATA_DIR) + "/olinda_dem_utm25s.tif";
  const Result r = runGeih({"demo", "--workspace", dir / "ws", "--rows", "2000", "--olinda", dem, "--quiet"});
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_NE(r.err.find("six reflective"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "ws")) << "checked before anything is written";
}

}  // namespace
}  // namespace geih::cli::testing
