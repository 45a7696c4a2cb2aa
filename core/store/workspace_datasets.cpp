// Workspace: dataset versions (content-addressed copies under data/raw) and their links to runs.
#include <charconv>

#include "core/common/error.h"
#include "core/common/sha256.h"
#include "core/common/time_util.h"
#include "core/store/database.h"
#include "core/store/workspace.h"
#include "core/store/workspace_internal.h"

namespace geih::store {
namespace {

constexpr const char* kDatasetColumns =
    "id, name, version, sha256, source_path, stored_path, schema_json, profile_json, rows, created_ms";

DatasetRecord datasetFrom(Database& db, Statement& row) {
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
  Statement parents = db.prepare("SELECT parent_id FROM dataset_parents WHERE dataset_id = ? ORDER BY parent_id");
  parents.bind(1, record.id);
  while (parents.step()) record.parentIds.push_back(parents.int64(0));
  return record;
}

void copyFileAtomic(const std::filesystem::path& from, const std::filesystem::path& to) {
  std::error_code ec;
  const std::filesystem::path temp = to.parent_path() / ("." + to.filename().string() + ".tmp");
  std::filesystem::copy_file(from, temp, std::filesystem::copy_options::overwrite_existing, ec);
  if (!ec) std::filesystem::rename(temp, to, ec);
  if (ec) {
    std::filesystem::remove(temp);
    throw IoError("cannot copy '" + from.string() + "' into the workspace: " + ec.message());
  }
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
  const std::string sha = sha256File(file);
  {
    Statement same = m_db->prepare(std::string("SELECT ") + kDatasetColumns +
                                   " FROM datasets WHERE name = ? AND sha256 = ?");
    same.bind(1, name).bind(2, sha);
    if (same.step()) return datasetFrom(*m_db, same);
  }
  const std::string extension = file.has_extension() ? file.extension().string() : ".csv";
  const std::string stored = "data/raw/" + sha + extension;
  std::error_code ec;
  if (!std::filesystem::exists(m_root / stored, ec)) copyFileAtomic(file, m_root / stored);

  Transaction transaction(*m_db);
  Statement next = m_db->prepare("SELECT COALESCE(MAX(version), 0) + 1 FROM datasets WHERE name = ?");
  next.bind(1, name);
  next.step();
  const int version = int(next.int64(0));
  m_db->prepare(
        "INSERT INTO datasets (name, version, sha256, source_path, stored_path, schema_json, "
        "profile_json, rows, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(1, name).bind(2, version).bind(3, sha)
      .bind(4, std::filesystem::absolute(file).string()).bind(5, stored)
      .bind(6, schemaJson).bind(7, profileJson).bind(8, rows).bind(9, nowMillis())
      .run();
  const std::int64_t id = m_db->lastInsertId();
  for (std::int64_t parent : parentIds) {
    datasetById(parent);  // NotFound for an unknown parent
    m_db->prepare("INSERT OR IGNORE INTO dataset_parents (dataset_id, parent_id) VALUES (?, ?)")
        .bind(1, id).bind(2, parent)
        .run();
  }
  transaction.commit();
  return datasetById(id);
}

std::vector<DatasetRecord> Workspace::listDatasets() const {
  Statement statement = m_db->prepare(std::string("SELECT ") + kDatasetColumns +
                                      " FROM datasets ORDER BY created_ms DESC, id DESC");
  std::vector<DatasetRecord> out;
  while (statement.step()) out.push_back(datasetFrom(*m_db, statement));
  return out;
}

DatasetRecord Workspace::dataset(const std::string& reference) const {
  const std::size_t separator = reference.find_last_of("@:");
  std::string name = reference;
  std::optional<int> version;
  if (separator != std::string::npos) {
    name = reference.substr(0, separator);
    int parsed = 0;
    const std::string text = reference.substr(separator + 1);
    const auto result = std::from_chars(text.data(), text.data() + text.size(), parsed);
    if (result.ec != std::errc() || result.ptr != text.data() + text.size() || parsed < 1) {
      throw InputError("dataset reference '" + reference + "': the version must be a number >= 1");
    }
    version = parsed;
  }
  Statement statement = m_db->prepare(
      std::string("SELECT ") + kDatasetColumns + " FROM datasets WHERE name = ? " +
      (version ? "AND version = ?" : "ORDER BY version DESC LIMIT 1"));
  statement.bind(1, name);
  if (version) statement.bind(2, *version);
  if (statement.step()) return datasetFrom(*m_db, statement);
  // A bare number is a dataset id.
  if (!version && !name.empty() && name.find_first_not_of("0123456789") == std::string::npos) {
    return datasetById(std::stoll(name));
  }
  throw NotFound("dataset '" + reference + "' not found (see `geih data list`)");
}

DatasetRecord Workspace::datasetById(std::int64_t id) const {
  Statement statement =
      m_db->prepare(std::string("SELECT ") + kDatasetColumns + " FROM datasets WHERE id = ?");
  statement.bind(1, id);
  if (!statement.step()) throw NotFound("dataset " + std::to_string(id) + " not found");
  return datasetFrom(*m_db, statement);
}

void Workspace::linkDataset(const std::string& runId, std::int64_t datasetId, const std::string& role) {
  if (role.empty()) throw InputError("a dataset link needs a role (train, test, ...)");
  Transaction transaction(*m_db);
  requireRun(*m_db, runId);
  datasetById(datasetId);
  m_db->prepare("INSERT OR IGNORE INTO run_datasets (run_id, dataset_id, role) VALUES (?, ?, ?)")
      .bind(1, runId).bind(2, datasetId).bind(3, role)
      .run();
  transaction.commit();
}

}  // namespace geih::store
