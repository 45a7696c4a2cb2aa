#include "core/store/workspace.h"

#include <unistd.h>

#include <cstdlib>

#include "core/common/error.h"
#include "core/common/time_util.h"
#include "core/store/database.h"
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
  if (::access(root.c_str(), W_OK) != 0 && !exists) {
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
  Statement find = m_db->prepare("SELECT id FROM experiments WHERE name = ?");
  find.bind(1, name);
  if (find.step()) return find.int64(0);
  if (!createIfMissing) throw NotFound("experiment '" + name + "' not found");
  try {
    return createExperiment(name);
  } catch (const Conflict&) {
    // Created by another process between the lookup and the insert.
    return experimentIdByName(name, false);
  }
}

std::vector<Experiment> Workspace::listExperiments() const {
  Statement statement = m_db->prepare(
      "SELECT e.id, e.name, e.description, e.created_ms, "
      "(SELECT COUNT(*) FROM runs r WHERE r.experiment_id = e.id) "
      "FROM experiments e ORDER BY e.name");
  std::vector<Experiment> out;
  while (statement.step()) {
    out.push_back({statement.int64(0), statement.text(1), statement.text(2), statement.int64(3),
                   std::size_t(statement.int64(4))});
  }
  return out;
}

Experiment Workspace::experiment(std::int64_t id) const {
  for (Experiment& experiment : listExperiments()) {
    if (experiment.id == id) return experiment;
  }
  throw NotFound("experiment " + std::to_string(id) + " not found");
}

fs::path defaultWorkspacePath() {
  if (const char* env = std::getenv("GEIH_WORKSPACE"); env && *env) return env;
  return fs::current_path() / "geih-workspace";
}

}  // namespace geih::store
