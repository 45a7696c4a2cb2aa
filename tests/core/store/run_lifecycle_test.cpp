// The run lifecycle: rename, note, untag, trash with child runs, restore, purge (artifacts shared
// with another run stay), and the refusals.
#include <gtest/gtest.h>

#include "core/common/error.h"
#include "core/store/registry.h"
#include "core/store/workspace.h"
#include "tests/core/store/store_test_util.h"

namespace geih::store {
namespace {

using testing::TempFolder;

std::vector<std::string> namesOf(const std::vector<RunSummary>& runs) {
  std::vector<std::string> names;
  for (const auto& run : runs) names.push_back(run.name);
  std::sort(names.begin(), names.end());
  return names;
}

TEST(RunLifecycleTest, RenameNoteTagsTrashRestorePurge) {
  TempFolder folder;
  Workspace workspace = Workspace::open(folder.path());
  const auto experiment = workspace.createExperiment("search");
  const std::string parent = workspace.createRun(experiment, NewRun{"parent", {}, {}, {}, {}});
  NewRun childSpec{"child", {}, {}, parent, {}};
  const std::string child = workspace.createRun(experiment, childSpec);
  const std::string other = workspace.createRun(experiment, NewRun{"other", {}, {}, {}, {}});
  workspace.logArtifact(child, "model.json", "shared bytes");
  workspace.logArtifact(other, "model.json", "shared bytes");
  workspace.logArtifact(child, "own.txt", "only the child's");
  for (const auto& id : {parent, child, other}) workspace.finishRun(id, RunStatus::Finished);

  workspace.renameRun(parent, "search parent");
  workspace.setRunNote(parent, "C sweep, 5 folds");
  workspace.setTag(parent, "stage", "dev");
  workspace.removeTag(parent, "stage");
  EXPECT_THROW(workspace.removeTag(parent, "stage"), NotFound);
  const RunSummary summary = workspace.runSummary(parent);
  EXPECT_EQ(summary.name, "search parent");
  EXPECT_EQ(summary.note, "C sweep, 5 folds");
  EXPECT_TRUE(summary.tags.empty());
  EXPECT_EQ(workspace.runSummary(child).parentRunId, parent);

  // Deleting the parent takes its child to the trash; listing leaves both out.
  EXPECT_EQ(workspace.deleteRun(parent), (std::vector<std::string>{parent, child}));
  EXPECT_THROW(workspace.deleteRun(parent), Conflict);
  EXPECT_EQ(namesOf(workspace.listRuns()), std::vector<std::string>{"other"});
  RunQuery trash;
  trash.lifecycle = RunLifecycle::Deleted;
  EXPECT_EQ(namesOf(workspace.listRuns(trash)), (std::vector<std::string>{"child", "search parent"}));
  EXPECT_EQ(workspace.countRuns(trash), 2u);
  RunQuery deletedByFilter;
  deletedByFilter.lifecycle = RunLifecycle::All;
  deletedByFilter.filter = "attributes.lifecycle_stage = 'deleted' and attributes.note LIKE 'C sweep%'";
  EXPECT_EQ(namesOf(workspace.listRuns(deletedByFilter)), std::vector<std::string>{"search parent"});
  EXPECT_TRUE(workspace.runSummary(child).deletedMs.has_value());

  EXPECT_EQ(workspace.restoreRun(parent), (std::vector<std::string>{parent, child}));
  EXPECT_THROW(workspace.restoreRun(parent), Conflict);
  EXPECT_EQ(workspace.listRuns().size(), 3u);
  EXPECT_THROW(workspace.purgeRun(parent), Conflict);  // not in the trash

  workspace.deleteRun(parent);
  const std::string sharedSha = workspace.runDetail(other).artifacts[0].sha256;
  std::string ownSha;
  for (const auto& artifact : workspace.runDetail(child).artifacts) {
    if (artifact.path == "own.txt") ownSha = artifact.sha256;
  }
  EXPECT_EQ(workspace.purgeRun(parent), (std::vector<std::string>{parent, child}));
  EXPECT_THROW(workspace.runSummary(child), NotFound);
  EXPECT_FALSE(std::filesystem::exists(workspace.artifactFile(ownSha)));
  EXPECT_TRUE(std::filesystem::exists(workspace.artifactFile(sharedSha)));  // "other" holds it
  EXPECT_EQ(workspace.readArtifact(other, "model.json"), "shared bytes");
}

TEST(RunLifecycleTest, ARegisteredRunCannotBePurged) {
  TempFolder folder;
  Workspace workspace = Workspace::open(folder.path());
  const auto experiment = workspace.createExperiment("e");
  const std::string id = workspace.createRun(experiment, NewRun{"r", {}, {}, {}, {}});
  workspace.logArtifact(id, "model.json", "{}");
  workspace.finishRun(id, RunStatus::Finished);
  Registry(workspace).registerVersion("fire", id);
  workspace.deleteRun(id);
  try {
    workspace.purgeRun(id);
    FAIL() << "expected Conflict";
  } catch (const Conflict& error) {
    EXPECT_NE(std::string(error.what()).find("model 'fire' version 1"), std::string::npos);
  }
  EXPECT_EQ(workspace.runSummary(id).name, "r");  // still there, in the trash
  EXPECT_THROW(workspace.renameRun("0123456789abcdef0123456789abcdef", "x"), NotFound);
}

}  // namespace
}  // namespace geih::store
