// The raster feature chain from the command line on the committed Olinda window: indices,
// terrain, distance, one stack, samples registered as a dataset, a model trained on them with
// spatial CV, and that model scoring the stack; then bad input exits 2 and leaves no file.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <csignal>

#include <nlohmann/json.hpp>

#include "tests/cli/cli_runner.h"

namespace geih::cli::testing {
namespace {

const std::string kOlinda = std::string(GEIH_TEST_DATA_DIR) + "/olinda_l7_crop.tif";
const std::string kDem = std::string(GEIH_TEST_DATA_DIR) + "/olinda_dem_utm25s.tif";

TEST(CliRasterTest, IndicesTerrainDistanceStackSamplesTrainScore) {
  TempDir dir("geih_cli_raster");
  const std::string ws = dir / "ws";
  Result r = runGeih({"raster", "index", "-i", kOlinda, "--sensor", "landsat7", "--index", "ndvi,nbr",
                      "-o", dir / "idx.tif", "-q", "--format", "json"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["bands"]["red"], 3);
  r = runGeih({"raster", "terrain", "--dem", kDem, "-o", dir / "terrain.tif", "-q"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  {
    std::ofstream(dir / "settlements.csv") << "name,x,y\nA,295000,9112000\nB,296500,9112800\n";
  }
  r = runGeih({"raster", "proximity", "--vector", dir / "settlements.csv", "--like", kOlinda, "-o",
               dir / "dist.tif", "-q", "--format", "json"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["feature_pixels"], 2);
  r = runGeih({"raster", "stack", dir / "idx.tif", "dist_settlements=" + (dir / "dist.tif"),
               "slope=" + (dir / "terrain.tif") + ":2", "--warp", "-o", dir / "stack.tif", "-q",
               "--format", "json"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["bands"],
            nlohmann::json({"ndvi", "nbr", "dist_settlements", "slope"}));

  // Hotspots spread over the window (pixel centres of distinct pixels), so every spatial fold
  // holds some.
  {
    std::ofstream hotspots(dir / "hotspots.csv");
    hotspots << "x,y\n";
    for (int i = 0; i < 12; ++i) {
      const int col = 3 + 8 * i;
      const int row = (13 * i) % 80;
      hotspots << 294248.25 + 28.5 * (col + 0.5) << "," << 9113464.75 - 28.5 * (row + 0.5) << "\n";
    }
  }
  r = runGeih({"raster", "samples", "--features", dir / "stack.tif", "--points", dir / "hotspots.csv",
               "--background-ratio", "4", "-o", dir / "samples.csv", "--name", "olinda_fire", "-w", ws,
               "--format", "json", "-q"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const auto samples = nlohmann::json::parse(r.out);
  EXPECT_EQ(samples["positives"], 12);
  EXPECT_EQ(samples["negatives"], 48);
  EXPECT_EQ(samples["dataset"]["name"], "olinda_fire");

  r = runGeih({"train", "--data", "dataset:olinda_fire", "--target", "label", "--features", "ndvi",
               "nbr", "dist_settlements", "slope", "--cv", "spatial:3", "--x-column", "x", "--y-column",
               "y", "-w", ws, "--format", "json", "-q"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const std::string run = nlohmann::json::parse(r.out)["run_id"];
  r = runGeih({"score-raster", "--model", run, "--input", dir / "stack.tif", "-o", dir / "risk.tif",
               "-w", ws, "--format", "json", "-q"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["valid_pixels"], 96 * 80);
}

// A disk that fills up mid-write (here the file-size limit, ulimit -f, which geih inherits): the
// command reports which file it could not write, exits 2, and leaves no file or temporary.
TEST(CliRasterTest, AFullDiskIsAnErrorNamingTheFileAndLeavesNothing) {
  TempDir dir("geih_cli_raster_full");
  rlimit before{};
  getrlimit(RLIMIT_FSIZE, &before);
  rlimit limited = before;
  limited.rlim_cur = 8 << 10;
  // The signal's default action (kill) for the child, whatever this process inherited: geih
  // itself must choose to get EFBIG instead.
  const auto handler = std::signal(SIGXFSZ, SIG_DFL);
  setrlimit(RLIMIT_FSIZE, &limited);
  const Result r = runGeih({"raster", "index", "-i", kOlinda, "--sensor", "landsat7", "--index", "ndvi,nbr", "-o",
                            dir / "idx.tif", "-q"});
  setrlimit(RLIMIT_FSIZE, &before);
  std::signal(SIGXFSZ, handler);
  EXPECT_EQ(r.exitCode, 2) << r.err;
  EXPECT_NE(r.err.find("idx.tif"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("File too large"), std::string::npos) << r.err;
  for (const auto& entry : fs::directory_iterator(dir.path())) ADD_FAILURE() << "left behind: " << entry.path();
}

TEST(CliRasterTest, BadInputExitsTwoAndLeavesNothing) {
  TempDir dir("geih_cli_raster_bad");
  Result r = runGeih({"raster", "index", "-i", kOlinda, "--index", "evi", "-o", dir / "e.tif"});
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_NE(r.err.find("evi needs a blue band"), std::string::npos) << r.err;
  r = runGeih({"raster", "change", "--before", kOlinda, "--after", kDem, "--sensor", "landsat7", "-o",
               dir / "c.tif"});
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_NE(r.err.find("different grids"), std::string::npos) << r.err;
  r = runGeih({"raster", "stack", kOlinda, kDem, "-o", dir / "s.tif"});
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_NE(r.err.find("another grid"), std::string::npos) << r.err;
  r = runGeih({"raster", "terrain", "--dem", dir / "nothing.tif", "-o", dir / "t.tif"});
  EXPECT_EQ(r.exitCode, 2);
  r = runGeih({"raster", "samples", "--features", kOlinda, "-o", dir / "s.csv"});
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_NE(r.err.find("--labels"), std::string::npos) << r.err;
  EXPECT_TRUE(fs::is_empty(dir.path()));
}

}  // namespace
}  // namespace geih::cli::testing
