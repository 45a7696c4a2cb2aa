// makeRiskMap, the path shared by `geih score-raster` and the GUI: with a workspace, the input's
// hash is remembered, so a second map of the same stack carries the same lineage hash without
// reading the stack for it, and an edited stack is hashed again.
#include "core/pipeline/risk_map_job.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "core/common/sha256.h"
#include "core/geo/raster_stack.h"
#include "core/ml/learner_registry.h"
#include "core/store/file_hash_cache.h"
#include "tests/support/two_feature_fire.h"
#include "tests/support/temp_folder.h"

namespace geih::pipeline {
namespace {

namespace fs = std::filesystem;

// 40 x 30 pixels: a = column / 4 + shift, b = row / 3.
void writeStack(const fs::path& path, double shift) {
  testing::writeTwoFeatureStack(path.string(), {40, 30, 4.0, 3.0, shift});
}

TEST(RiskMapJobTest, RemembersTheInputHashUntilTheStackChanges) {
  const testing::TempFolder folder("risk_map_job");
  testing::TwoFeatureFire spec;
  spec.wa = 1.0;
  spec.wb = -1.0;
  spec.bias = 0.0;
  spec.rows = 1000;
  spec.seed = 9;
  const table::Table data = testing::twoFeatureFireTable(spec);
  Progress progress;
  const auto model = ml::makeLearner("logistic")->fit({&data, "fire", {"a", "b"}}, progress);
  std::ofstream(folder / "model.json") << model->toJson().dump();
  const fs::path stack = folder / "stack.tif";
  writeStack(stack, 0.0);

  store::Workspace workspace = store::Workspace::open(folder / "ws");
  RiskMapRequest request;
  request.model = (folder / "model.json").string();
  request.input = stack;
  request.output = folder / "maps" / "one.tif";
  const RiskMapResult first = makeRiskMap(&workspace, request, progress);
  const std::string hash = first.summary.sidecar["input"]["sha256"];
  EXPECT_EQ(hash, sha256File(stack));
  EXPECT_EQ(store::FileHashCache(workspace).find(stack), hash);

  request.output = folder / "maps" / "two.tif";
  const RiskMapResult second = makeRiskMap(&workspace, request, progress);
  EXPECT_EQ(second.summary.sidecar["input"]["sha256"], hash);

  writeStack(stack, 1.0);  // a new stack under the same name
  request.output = folder / "maps" / "three.tif";
  const RiskMapResult third = makeRiskMap(&workspace, request, progress);
  EXPECT_NE(third.summary.sidecar["input"]["sha256"], hash);
  EXPECT_EQ(third.summary.sidecar["input"]["sha256"], sha256File(stack));
}

}  // namespace
}  // namespace geih::pipeline
