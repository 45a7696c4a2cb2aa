#include "core/store/file_hash_cache.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "core/common/error.h"
#include "core/common/time_util.h"
#include "core/store/database.h"
#include "core/store/workspace.h"

namespace geih::store {
namespace {

std::string keyOf(const std::filesystem::path& path) {
  return std::filesystem::absolute(path).lexically_normal().string();
}

std::int64_t nanoseconds(const timespec& time) {
  return std::int64_t(time.tv_sec) * 1'000'000'000 + std::int64_t(time.tv_nsec);
}

}  // namespace

FileStamp stampOf(const std::filesystem::path& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    throw IoError("cannot read '" + path.string() + "': " + std::strerror(errno));
  }
  return {std::int64_t(info.st_size), nanoseconds(info.st_mtim), nanoseconds(info.st_ctim),
          std::int64_t(info.st_ino), std::int64_t(info.st_dev)};
}

FileHashCache::FileHashCache(Workspace& workspace) : m_workspace(workspace) {}

std::optional<std::string> FileHashCache::find(const std::filesystem::path& path) const {
  FileStamp now;
  try {
    now = stampOf(path);
  } catch (const IoError&) {
    return std::nullopt;
  }
  Statement lookup = m_workspace.m_db->prepare(
      "SELECT size, mtime_ns, ctime_ns, inode, device, sha256 FROM file_hashes WHERE path = ?");
  lookup.bind(1, keyOf(path));
  if (!lookup.step()) return std::nullopt;
  const FileStamp then{lookup.int64(0), lookup.int64(1), lookup.int64(2), lookup.int64(3),
                       lookup.int64(4)};
  if (then != now) return std::nullopt;
  return lookup.text(5);
}

void FileHashCache::remember(const std::filesystem::path& path, const FileStamp& stamp,
                             const std::string& sha256) {
  if (sha256.size() != 64) throw InputError("'" + sha256 + "' is not a SHA-256 in hex");
  Transaction transaction(*m_workspace.m_db);
  m_workspace.m_db
      ->prepare(
          "INSERT INTO file_hashes (path, size, mtime_ns, ctime_ns, inode, device, sha256, "
          "hashed_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (path) DO UPDATE SET "
          "size = excluded.size, mtime_ns = excluded.mtime_ns, ctime_ns = excluded.ctime_ns, "
          "inode = excluded.inode, device = excluded.device, sha256 = excluded.sha256, "
          "hashed_ms = excluded.hashed_ms")
      .bind(1, keyOf(path))
      .bind(2, stamp.size)
      .bind(3, stamp.mtimeNs)
      .bind(4, stamp.ctimeNs)
      .bind(5, stamp.inode)
      .bind(6, stamp.device)
      .bind(7, sha256)
      .bind(8, nowMillis())
      .run();
  transaction.commit();
}

}  // namespace geih::store
