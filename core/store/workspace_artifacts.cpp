// Workspace: content-addressed artifacts (artifacts/<first two hex>/<sha256>).
#include "core/common/atomic_file.h"
#include "core/common/error.h"
#include "core/common/sha256.h"
#include "core/store/database.h"
#include "core/store/workspace.h"
#include "core/store/workspace_internal.h"

namespace geih::store {

std::filesystem::path Workspace::artifactFile(const std::string& sha256) const {
  // Only a real digest names a file inside artifacts/ (no "..", no separators).
  if (sha256.size() != 64 || sha256.find_first_not_of("0123456789abcdef") != std::string::npos) {
    throw InputError("'" + sha256 + "' is not a SHA-256 (64 lower-case hex characters)");
  }
  return m_root / "artifacts" / sha256.substr(0, 2) / sha256;
}

ArtifactRecord Workspace::logArtifact(const std::string& runId, const std::string& path,
                                      std::string_view bytes, const std::string& mediaType) {
  if (path.empty()) throw InputError("an artifact needs a path");
  requireRun(*m_db, runId);
  ArtifactRecord record{path, sha256Hex(bytes), std::int64_t(bytes.size()), mediaType};
  // The file is in place before the row that points to it, so a crash between the two leaves at
  // worst an unreferenced file, never a row without its bytes. Identical content is stored once.
  const std::filesystem::path file = artifactFile(record.sha256);
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) writeFileAtomic(file, bytes);
  Transaction transaction(*m_db);
  requireRun(*m_db, runId);
  m_db->prepare(
          "INSERT INTO artifacts (run_id, path, sha256, size, media_type) VALUES (?, ?, ?, ?, ?) "
          "ON CONFLICT (run_id, path) DO UPDATE SET sha256 = excluded.sha256, "
          "size = excluded.size, media_type = excluded.media_type")
      .bind(1, runId)
      .bind(2, path)
      .bind(3, record.sha256)
      .bind(4, record.size)
      .bind(5, mediaType)
      .run();
  transaction.commit();
  return record;
}

std::string Workspace::readArtifact(const std::string& runId, const std::string& path) const {
  Statement statement = m_db->prepare("SELECT sha256 FROM artifacts WHERE run_id = ? AND path = ?");
  statement.bind(1, runId).bind(2, path);
  if (!statement.step()) {
    requireRun(*m_db, runId);
    throw NotFound("run '" + runId + "' has no artifact '" + path + "'");
  }
  const std::string sha = statement.text(0);
  const std::filesystem::path file = artifactFile(sha);
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) {
    throw Corrupt("artifact '" + path + "' of run '" + runId + "' is missing from " +
                  file.string());
  }
  std::string bytes = readFile(file);
  if (sha256Hex(bytes) != sha) {
    throw Corrupt("artifact '" + path + "' of run '" + runId + "' was modified on disk (" +
                  file.string() + " no longer matches its SHA-256)");
  }
  return bytes;
}

}  // namespace geih::store
