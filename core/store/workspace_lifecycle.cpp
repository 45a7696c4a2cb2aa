// Workspace: the run lifecycle — rename, note, untag, trash, restore and purge.
#include <set>

#include "core/common/error.h"
#include "core/common/time_util.h"
#include "core/store/database.h"
#include "core/store/workspace.h"
#include "core/store/workspace_internal.h"

namespace geih::store {

namespace {

// The run and every run below it (children, grandchildren, ...), parents first.
std::vector<std::string> withDescendants(Database& db, const std::string& runId) {
  std::vector<std::string> out = {runId};
  Statement children = db.prepare("SELECT id FROM runs WHERE parent_run_id = ? ORDER BY start_ms, rowid");
  for (std::size_t i = 0; i < out.size(); ++i) {
    children.reset();
    children.bind(1, out[i]);
    while (children.step()) out.push_back(children.text(0));
  }
  return out;
}

bool inTrash(Database& db, const std::string& runId) {
  Statement statement = db.prepare("SELECT deleted_ms IS NOT NULL FROM runs WHERE id = ?");
  statement.bind(1, runId);
  if (!statement.step()) throw NotFound("run '" + runId + "' not found");
  return statement.int64(0) != 0;
}

}  // namespace

void Workspace::renameRun(const std::string& runId, const std::string& name) {
  Transaction transaction(*m_db);
  requireRun(*m_db, runId);
  Statement update = m_db->prepare("UPDATE runs SET name = ? WHERE id = ?");
  update.bind(1, name).bind(2, runId).run();
  transaction.commit();
}

void Workspace::setRunNote(const std::string& runId, const std::string& note) {
  Transaction transaction(*m_db);
  requireRun(*m_db, runId);
  Statement update = m_db->prepare("UPDATE runs SET note = ? WHERE id = ?");
  update.bind(1, note).bind(2, runId).run();
  transaction.commit();
}

void Workspace::removeTag(const std::string& runId, const std::string& key) {
  Transaction transaction(*m_db);
  requireRun(*m_db, runId);
  Statement remove = m_db->prepare("DELETE FROM tags WHERE run_id = ? AND key = ?");
  remove.bind(1, runId).bind(2, key).run();
  if (m_db->changes() == 0) throw NotFound("run '" + runId + "' has no tag '" + key + "'");
  transaction.commit();
}

std::vector<std::string> Workspace::deleteRun(const std::string& runId) {
  Transaction transaction(*m_db);
  if (inTrash(*m_db, runId)) throw Conflict("run '" + runId + "' is in the trash already");
  const std::vector<std::string> runs = withDescendants(*m_db, runId);
  Statement trash = m_db->prepare("UPDATE runs SET deleted_ms = ? WHERE id = ? AND deleted_ms IS NULL");
  const std::int64_t now = nowMillis();
  for (const std::string& id : runs) {
    trash.reset();
    trash.bind(1, now).bind(2, id).run();
  }
  transaction.commit();
  return runs;
}

std::vector<std::string> Workspace::restoreRun(const std::string& runId) {
  Transaction transaction(*m_db);
  if (!inTrash(*m_db, runId)) throw Conflict("run '" + runId + "' is not in the trash");
  std::vector<std::string> restored;
  Statement restore = m_db->prepare("UPDATE runs SET deleted_ms = NULL WHERE id = ? AND deleted_ms IS NOT NULL");
  for (const std::string& id : withDescendants(*m_db, runId)) {
    restore.reset();
    restore.bind(1, id).run();
    if (m_db->changes() > 0) restored.push_back(id);
  }
  transaction.commit();
  return restored;
}

std::vector<std::string> Workspace::purgeRun(const std::string& runId) {
  std::vector<std::string> runs;
  std::set<std::string> orphans;
  {
    Transaction transaction(*m_db);
    if (!inTrash(*m_db, runId)) {
      throw Conflict("run '" + runId + "' is not in the trash; delete it first, then purge");
    }
    runs = withDescendants(*m_db, runId);
    Statement registered = m_db->prepare(
        "SELECT m.name, v.version FROM model_versions v JOIN registered_models m "
        "ON m.id = v.model_id WHERE v.run_id = ?");
    Statement hashes = m_db->prepare("SELECT DISTINCT sha256 FROM artifacts WHERE run_id = ?");
    for (const std::string& id : runs) {
      registered.reset();
      registered.bind(1, id);
      if (registered.step()) {
        throw Conflict("run '" + id + "' is registered as model '" + registered.text(0) +
                       "' version " + std::to_string(registered.int64(1)) +
                       "; a registered model's run cannot be purged");
      }
      hashes.reset();
      hashes.bind(1, id);
      while (hashes.step()) orphans.insert(hashes.text(0));
    }
    Statement remove = m_db->prepare("DELETE FROM runs WHERE id = ?");
    for (auto it = runs.rbegin(); it != runs.rend(); ++it) {  // children first
      remove.reset();
      remove.bind(1, *it).run();
    }
    // Keep the files another run still holds.
    Statement shared = m_db->prepare("SELECT 1 FROM artifacts WHERE sha256 = ? LIMIT 1");
    for (auto it = orphans.begin(); it != orphans.end();) {
      shared.reset();
      shared.bind(1, *it);
      it = shared.step() ? orphans.erase(it) : std::next(it);
    }
    transaction.commit();
  }
  // After the commit: a crash here leaves unreferenced files, never a row without its file.
  for (const std::string& sha : orphans) {
    std::error_code ec;
    std::filesystem::remove(artifactFile(sha), ec);
  }
  return runs;
}

}  // namespace geih::store
