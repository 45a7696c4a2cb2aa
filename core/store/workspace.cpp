#include "core/store/workspace.h"

#include <unistd.h>

#include <cstdlib>
#include <optional>

#include "core/common/error.h"
#include "core/common/time_util.h"
#include "core/store/database.h"
#include "core/store/run_owner.h"
#include "core/store/schema.h"
#include "core/store/workspace_internal.h"

namespace geih::store {

namespace fs = std::filesystem;

namespace {

constexpr const char* kDatabaseFile = "geih.db";
const char* const kFolders[] = {"artifacts", "data/raw", "data/processed", "data/features",
                                "data/external"};

std::unique_ptr<Database> openDatabase(const fs::path& root, OpenMode mode, int busyTimeoutMs) {
  std::error_code ec;
  const fs::path file = root / kDatabaseFile;
  const bool exists = fs::exists(file, ec);
  if (!exists && mode == OpenMode::MustExist) {
    throw NotFound("no workspace at '" + root.string() +
                   "' (geih.db missing); create one with `geih demo --workspace " + root.string() +
                   "` or `geih data import FILE --workspace " + root.string() + "`");
  }
  if (fs::exists(root, ec) && !fs::is_directory(root, ec)) {
    throw IoError("workspace path '" + root.string() + "' is a file, not a folder");
  }
  if (!exists) {
    fs::create_directories(root, ec);
    if (ec) throw IoError("cannot create workspace folder '" + root.string() + "': " + ec.message());
  }
  // SQLite needs to create geih.db-wal and geih.db-shm next to the database even to read it.
  if (::access(root.c_str(), W_OK | X_OK) != 0) {
    throw IoError("workspace folder '" + root.string() + "' is not writable");
  }
  for (const char* folder : kFolders) {
    fs::create_directories(root / folder, ec);
    if (ec) throw IoError("cannot create '" + (root / folder).string() + "': " + ec.message());
  }
  return std::make_unique<Database>(file, !exists, busyTimeoutMs);
}

}  // namespace

void requireRun(Database& db, const std::string& runId) {
  Statement statement = db.prepare("SELECT 1 FROM runs WHERE id = ?");
  statement.bind(1, runId);
  if (!statement.step()) throw NotFound("run '" + runId + "' not found");
}

int Workspace::schemaVersion() { return int(migrations().size()); }

Workspace Workspace::open(const fs::path& root, OpenMode mode, int busyTimeoutMs) {
  auto db = openDatabase(root, mode, busyTimeoutMs);
  migrate(*db, schemaVersion());
  failAbandonedRuns(*db);
  return Workspace(root, std::move(db));
}

Workspace Workspace::openAtVersion(const fs::path& root, int version) {
  auto db = openDatabase(root, OpenMode::CreateIfMissing, 5000);
  migrate(*db, version);
  return Workspace(root, std::move(db));
}

Workspace::Workspace(fs::path root, std::unique_ptr<Database> db)
    : m_root(std::move(root)), m_db(std::move(db)) {}
Workspace::Workspace(Workspace&&) noexcept = default;
Workspace& Workspace::operator=(Workspace&&) noexcept = default;
Workspace::~Workspace() = default;

int Workspace::userVersion() const { return readUserVersion(*m_db); }

std::int64_t Workspace::createExperiment(const std::string& name, const std::string& description) {
  if (name.empty()) throw InputError("an experiment needs a name");
  Transaction transaction(*m_db);
  Statement exists = m_db->prepare("SELECT 1 FROM experiments WHERE name = ?");
  exists.bind(1, name);
  if (exists.step()) throw Conflict("experiment '" + name + "' already exists");
  m_db->prepare("INSERT INTO experiments (name, description, created_ms) VALUES (?, ?, ?)")
      .bind(1, name)
      .bind(2, description)
      .bind(3, nowMillis())
      .run();
  const std::int64_t id = m_db->lastInsertId();
  transaction.commit();
  return id;
}

std::int64_t Workspace::experimentIdByName(const std::string& name, bool createIfMissing) {
  auto find = [&]() -> std::optional<std::int64_t> {
    Statement statement = m_db->prepare("SELECT id FROM experiments WHERE name = ?");
    statement.bind(1, name);
    if (statement.step()) return statement.int64(0);
    return std::nullopt;
  };
  // The common case (it exists) takes no write lock.
  if (const auto id = find()) return *id;
  if (!createIfMissing) throw NotFound("experiment '" + name + "' not found");
  if (name.empty()) throw InputError("an experiment needs a name");
  Transaction transaction(*m_db);
  if (const auto id = find()) return *id;  // created by another process meanwhile
  m_db->prepare("INSERT INTO experiments (name, description, created_ms) VALUES (?, '', ?)")
      .bind(1, name)
      .bind(2, nowMillis())
      .run();
  const std::int64_t id = m_db->lastInsertId();
  transaction.commit();
  return id;
}

namespace {

constexpr const char* kExperimentSelect =
    "SELECT e.id, e.name, e.description, e.created_ms, "
    "(SELECT COUNT(*) FROM runs r WHERE r.experiment_id = e.id) FROM experiments e ";

Experiment experimentFrom(const Statement& row) {
  return {row.int64(0), row.text(1), row.text(2), row.int64(3), std::size_t(row.int64(4))};
}

}  // namespace

std::vector<Experiment> Workspace::listExperiments() const {
  Statement statement = m_db->prepare(std::string(kExperimentSelect) + "ORDER BY e.name");
  std::vector<Experiment> out;
  while (statement.step()) out.push_back(experimentFrom(statement));
  return out;
}

Experiment Workspace::experiment(std::int64_t id) const {
  Statement statement = m_db->prepare(std::string(kExperimentSelect) + "WHERE e.id = ?");
  statement.bind(1, id);
  if (!statement.step()) throw NotFound("experiment " + std::to_string(id) + " not found");
  return experimentFrom(statement);
}

fs::path defaultWorkspacePath() {
  if (const char* env = std::getenv("GEIH_WORKSPACE"); env && *env) return env;
  return fs::current_path() / "geih-workspace";
}

}  // namespace geih::store
