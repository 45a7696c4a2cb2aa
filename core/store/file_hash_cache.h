// SHA-256 of input files remembered in the workspace with the file's stat: size, modification
// and status-change times (nanoseconds), inode and device. A later lookup answers only when all
// of them are unchanged. The status-change time moves on every write and cannot be set back by
// tools that restore modification times (touch -d, rsync -t), so an edited file is hashed again;
// git's index trusts less. Saves reading a multi-GB raster again for each map of it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace geih::store {

class Workspace;

struct FileStamp {
  std::int64_t size = 0;
  std::int64_t mtimeNs = 0;
  std::int64_t ctimeNs = 0;
  std::int64_t inode = 0;
  std::int64_t device = 0;
  bool operator==(const FileStamp&) const = default;
};

// stat() of `path` (following links). Throws IoError naming it.
FileStamp stampOf(const std::filesystem::path& path);

class FileHashCache {
 public:
  explicit FileHashCache(Workspace& workspace);

  // The remembered hash of `path` (made absolute) when the file's stamp is the one remembered.
  std::optional<std::string> find(const std::filesystem::path& path) const;
  // Remembers `sha256` for `path` as it was at `stamp`: take the stamp before hashing begins, so a
  // file written meanwhile never matches it.
  void remember(const std::filesystem::path& path, const FileStamp& stamp, const std::string& sha256);

 private:
  Workspace& m_workspace;
};

}  // namespace geih::store
