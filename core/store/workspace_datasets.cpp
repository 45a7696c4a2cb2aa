// Workspace: dataset versions (content-addressed copies under data/raw) and their links to runs.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <map>
#include <optional>
#include <string_view>
#include <vector>

#include "core/common/error.h"
#include "core/common/sha256.h"
#include "core/common/time_util.h"
#include "core/store/database.h"
#include "core/store/workspace.h"
#include "core/store/workspace_internal.h"

namespace geih::store {
namespace {

namespace fs = std::filesystem;

constexpr const char* kDatasetColumns =
    "id, name, version, sha256, source_path, stored_path, schema_json, profile_json, rows, "
    "created_ms";
// A sha256 reference needs at least this many hex characters.
constexpr std::size_t kMinShaPrefix = 6;

DatasetRecord datasetFrom(const Statement& row) {
  DatasetRecord record;
  record.id = row.int64(0);
  record.name = row.text(1);
  record.version = int(row.int64(2));
  record.sha256 = row.text(3);
  record.sourcePath = row.text(4);
  record.storedPath = row.text(5);
  record.schemaJson = row.text(6);
  record.profileJson = row.text(7);
  record.rows = row.int64(8);
  record.createdMs = row.int64(9);
  return record;
}

// Reads the records `statement` selects and their parent ids (one more query for all of them).
std::vector<DatasetRecord> readDatasets(Database& db, Statement& statement) {
  std::vector<DatasetRecord> out;
  while (statement.step()) out.push_back(datasetFrom(statement));
  if (out.empty()) return out;
  std::map<std::int64_t, DatasetRecord*> byId;
  for (DatasetRecord& record : out) byId[record.id] = &record;
  std::string sql = "SELECT dataset_id, parent_id FROM dataset_parents WHERE dataset_id IN (?";
  for (std::size_t i = 1; i < out.size(); ++i) sql += ",?";
  sql += ") ORDER BY dataset_id, parent_id";
  Statement parents = db.prepare(sql);
  for (std::size_t i = 0; i < out.size(); ++i) parents.bind(int(i + 1), out[i].id);
  while (parents.step()) byId.at(parents.int64(0))->parentIds.push_back(parents.int64(1));
  return out;
}

// The first record matching `where` (a condition with parameters that `bind` binds).
template <typename Bind>
std::optional<DatasetRecord> findDataset(Database& db, const std::string& where, Bind bind) {
  Statement statement =
      db.prepare(std::string("SELECT ") + kDatasetColumns + " FROM datasets WHERE " + where);
  bind(statement);
  std::vector<DatasetRecord> found = readDatasets(db, statement);
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
}

std::optional<DatasetRecord> findDataset(Database& db, const std::string& name,
                                         const std::string& sha) {
  return findDataset(db, "name = ? AND sha256 = ?",
                     [&](Statement& s) { s.bind(1, name).bind(2, sha); });
}

std::string systemError() { return std::strerror(errno); }

// Copies `from` to a temporary file in `folder`, flushed to disk, hashing the bytes on the way.
// Returns the temporary's path and the hash of what was actually copied.
std::pair<fs::path, std::string> copyHashing(const fs::path& from, const fs::path& folder) {
  std::ifstream in(from, std::ios::binary);
  if (!in) throw IoError("cannot open '" + from.string() + "' for reading");
  std::string temp = (folder / ".import.tmp-XXXXXX").string();
  const int fd = ::mkstemp(temp.data());
  if (fd < 0)
    throw IoError("cannot create a temporary file in '" + folder.string() + "': " + systemError());
  const auto fail = [&](const std::string& what) {
    ::close(fd);
    ::unlink(temp.c_str());
    throw IoError(what);
  };
  Sha256 hash;
  std::vector<char> buffer(1 << 20);
  while (in) {
    in.read(buffer.data(), std::streamsize(buffer.size()));
    const std::size_t count = std::size_t(in.gcount());
    hash.update(buffer.data(), count);
    for (std::size_t written = 0; written < count;) {
      const ssize_t n = ::write(fd, buffer.data() + written, count - written);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) fail("cannot write into '" + folder.string() + "': " + systemError());
      written += std::size_t(n);
    }
  }
  if (in.bad()) fail("error while reading '" + from.string() + "'");
  if (::fsync(fd) != 0) fail("cannot flush a copy in '" + folder.string() + "': " + systemError());
  if (::close(fd) != 0) {
    ::unlink(temp.c_str());
    throw IoError("cannot flush a copy in '" + folder.string() + "': " + systemError());
  }
  ::chmod(temp.c_str(), 0644);  // mkstemp creates 0600; stored datasets are ordinary files
  return {fs::path(temp), hash.hexDigest()};
}

// Puts the bytes of `file` (whose SHA-256 is `sha`) at `target` unless already there. The copy is
// written to a temporary file and renamed, so `target` is complete or absent, never partial.
void storeCopy(const fs::path& file, const std::string& sha, const fs::path& target) {
  std::error_code ec;
  if (fs::exists(target, ec)) return;
  auto [temp, copiedSha] = copyHashing(file, target.parent_path());
  if (copiedSha != sha) {
    fs::remove(temp, ec);
    throw InputError("'" + file.string() + "' changed while it was being imported; try again");
  }
  if (::rename(temp.c_str(), target.c_str()) != 0) {
    const std::string why = systemError();
    fs::remove(temp, ec);
    throw IoError("cannot move a copy of '" + file.string() + "' to '" + target.string() +
                  "': " + why);
  }
}

bool isHex(std::string_view text) {
  return !text.empty() && text.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

}  // namespace

DatasetRecord Workspace::registerDataset(const std::string& name, const std::filesystem::path& file,
                                         const std::string& schemaJson,
                                         const std::string& profileJson, std::int64_t rows,
                                         const std::vector<std::int64_t>& parentIds) {
  if (name.empty()) throw InputError("a dataset needs a name");
  if (name.find('@') != std::string::npos || name.find(':') != std::string::npos) {
    throw InputError("dataset name '" + name + "' must not contain '@' or ':'");
  }
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) throw InputError("no such file '" + file.string() + "'");
  for (std::int64_t parent : parentIds) datasetById(parent);  // NotFound before copying anything
  const std::string sha = sha256File(file);
  if (auto same = findDataset(*m_db, name, sha)) return std::move(*same);

  // The file is in place before the row that points to it: a crash in between leaves at worst an
  // unreferenced copy, never a row without its bytes.
  const std::string extension = file.has_extension() ? file.extension().string() : ".csv";
  const std::string stored = "data/raw/" + sha + extension;
  storeCopy(file, sha, m_root / stored);

  Transaction transaction(*m_db);
  // Another process may have registered the same bytes while this one was copying.
  if (auto same = findDataset(*m_db, name, sha)) return std::move(*same);
  Statement next =
      m_db->prepare("SELECT COALESCE(MAX(version), 0) + 1 FROM datasets WHERE name = ?");
  next.bind(1, name);
  next.step();
  const int version = int(next.int64(0));
  m_db->prepare(
          "INSERT INTO datasets (name, version, sha256, source_path, stored_path, schema_json, "
          "profile_json, rows, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(1, name)
      .bind(2, version)
      .bind(3, sha)
      .bind(4, fs::absolute(file, ec).string())
      .bind(5, stored)
      .bind(6, schemaJson)
      .bind(7, profileJson)
      .bind(8, rows)
      .bind(9, nowMillis())
      .run();
  const std::int64_t id = m_db->lastInsertId();
  Statement parent =
      m_db->prepare("INSERT OR IGNORE INTO dataset_parents (dataset_id, parent_id) VALUES (?, ?)");
  for (std::int64_t parentId : parentIds) {
    parent.reset();
    parent.bind(1, id).bind(2, parentId).run();
  }
  DatasetRecord record = datasetById(id);
  transaction.commit();
  return record;
}

std::vector<DatasetRecord> Workspace::listDatasets() const {
  ReadTransaction snapshot(*m_db);
  Statement statement = m_db->prepare(std::string("SELECT ") + kDatasetColumns +
                                      " FROM datasets ORDER BY created_ms DESC, id DESC");
  return readDatasets(*m_db, statement);
}

DatasetRecord Workspace::dataset(const std::string& reference) const {
  ReadTransaction snapshot(*m_db);
  const std::size_t separator = reference.find_last_of("@:");
  if (separator != std::string::npos) {
    const std::string name = reference.substr(0, separator);
    const std::string_view text = std::string_view(reference).substr(separator + 1);
    int version = 0;
    const auto result = std::from_chars(text.data(), text.data() + text.size(), version);
    if (result.ec != std::errc() || result.ptr != text.data() + text.size() || version < 1) {
      throw InputError("dataset reference '" + reference + "': the version must be a number >= 1");
    }
    if (auto found = findDataset(*m_db, "name = ? AND version = ?",
                                 [&](Statement& s) { s.bind(1, name).bind(2, version); })) {
      return std::move(*found);
    }
    throw NotFound("dataset '" + reference + "' not found (see `geih data list`)");
  }
  if (auto found = findDataset(*m_db, "name = ? ORDER BY version DESC LIMIT 1",
                               [&](Statement& s) { s.bind(1, reference); })) {
    return std::move(*found);
  }
  // A bare number is a dataset id.
  std::int64_t id = 0;
  const char* end = reference.data() + reference.size();
  if (const auto result = std::from_chars(reference.data(), end, id);
      result.ec == std::errc() && result.ptr == end) {
    if (auto found = findDataset(*m_db, "id = ?", [&](Statement& s) { s.bind(1, id); })) {
      return std::move(*found);
    }
  }
  // Six or more hex characters may be (a prefix of) the content hash.
  std::string prefix = reference;
  for (char& c : prefix) c = char(std::tolower(static_cast<unsigned char>(c)));
  if (prefix.size() >= kMinShaPrefix && isHex(prefix)) {
    Statement statement = m_db->prepare(
        std::string("SELECT ") + kDatasetColumns +
        " FROM datasets WHERE sha256 >= ? AND sha256 < ? ORDER BY created_ms DESC, id DESC");
    statement.bind(1, prefix).bind(2, prefix + "g");  // hex sorts below 'g'
    std::vector<DatasetRecord> found = readDatasets(*m_db, statement);
    if (found.size() == 1) return std::move(found.front());
    if (found.size() > 1) {
      std::string list;
      for (const DatasetRecord& record : found) {
        list += (list.empty() ? "" : ", ") + record.name + "@" + std::to_string(record.version);
      }
      throw InputError("dataset hash prefix '" + reference + "' is ambiguous: it matches " + list);
    }
  }
  throw NotFound("dataset '" + reference + "' not found (see `geih data list`)");
}

DatasetRecord Workspace::datasetById(std::int64_t id) const {
  if (auto found = findDataset(*m_db, "id = ?", [&](Statement& s) { s.bind(1, id); })) {
    return std::move(*found);
  }
  throw NotFound("dataset " + std::to_string(id) + " not found");
}

void Workspace::linkDataset(const std::string& runId, std::int64_t datasetId,
                            const std::string& role) {
  if (role.empty()) throw InputError("a dataset link needs a role (train, test, ...)");
  Transaction transaction(*m_db);
  requireRun(*m_db, runId);
  datasetById(datasetId);
  m_db->prepare("INSERT OR IGNORE INTO run_datasets (run_id, dataset_id, role) VALUES (?, ?, ?)")
      .bind(1, runId)
      .bind(2, datasetId)
      .bind(3, role)
      .run();
  transaction.commit();
}

}  // namespace geih::store
