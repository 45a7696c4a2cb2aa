#include "core/store/database.h"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "core/common/error.h"

namespace geih::store {

namespace {

constexpr const char* kRowSetType = "geih::store::RowSet";

// geih_in_set(set, rowid): 1 when the bound RowSet holds rowid; 0 for an unbound set or a NULL.
void inRowSet(sqlite3_context* context, int, sqlite3_value** arguments) {
  const auto* rows = static_cast<const RowSet*>(sqlite3_value_pointer(arguments[0], kRowSetType));
  const bool member = rows && sqlite3_value_type(arguments[1]) == SQLITE_INTEGER &&
                      rows->contains(sqlite3_value_int64(arguments[1]));
  sqlite3_result_int(context, member ? 1 : 0);
}

}  // namespace

std::size_t RowSet::size() const {
  std::size_t count = 0;
  for (std::uint64_t word : m_words) count += std::size_t(__builtin_popcountll(word));
  return count;
}

Database::Database(const std::filesystem::path& file, bool create, int busyTimeoutMs)
    : m_file(file) {
  const int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
  const int code = sqlite3_open_v2(file.c_str(), &m_db, flags, nullptr);
  if (code != SQLITE_OK) {
    const std::string message = m_db ? sqlite3_errmsg(m_db) : sqlite3_errstr(code);
    sqlite3_close(m_db);
    m_db = nullptr;
    throw IoError("cannot open workspace database '" + file.string() + "': " + message);
  }
  // The destructor does not run when the constructor throws, so close the handle here.
  try {
    sqlite3_extended_result_codes(m_db, 1);
    sqlite3_busy_timeout(m_db, busyTimeoutMs);
    sqlite3_create_function_v2(m_db, "geih_in_set", 2,
                               SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY, nullptr,
                               inRowSet, nullptr, nullptr, nullptr);
    execute("PRAGMA foreign_keys = ON");
    // Switching the journal mode is the first real read: a non-SQLite file fails here (NOTADB).
    // It needs an exclusive lock and SQLite answers BUSY at once instead of calling the busy
    // handler, so processes creating one workspace together retry within the busy timeout.
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(busyTimeoutMs);
    for (int attempt = 0;; ++attempt) {
      try {
        Statement mode = prepare("PRAGMA journal_mode = WAL");
        mode.step();
        break;
      } catch (const Conflict&) {
        if (std::chrono::steady_clock::now() >= deadline) throw;
        std::this_thread::sleep_for(std::chrono::milliseconds(std::min(2 + attempt, 20)));
      }
    }
    execute("PRAGMA synchronous = NORMAL");
    // Run queries look values up per run; with SQLite's 2 MiB default most lookups of a
    // 100k-run workspace miss the cache (a page of 500 runs: 62 ms at 2 MiB, 16 ms at 64 MiB).
    // The cache grows only as pages are read, so small workspaces use little of it.
    execute("PRAGMA cache_size = -65536");
  } catch (...) {
    sqlite3_close_v2(m_db);
    m_db = nullptr;
    throw;
  }
}

Database::~Database() { sqlite3_close_v2(m_db); }

void Database::fail(int code, const std::string& what) const {
  const std::string message = m_db ? sqlite3_errmsg(m_db) : sqlite3_errstr(code);
  const int primary = code & 0xff;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    throw Conflict("workspace '" + m_file.parent_path().string() +
                   "' is busy: another process is writing; try again (" + message + ", " + what + ")");
  }
  if (primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT) {
    throw Corrupt("'" + m_file.string() + "' is not a valid workspace database (" + message + ")");
  }
  if (primary == SQLITE_CONSTRAINT) {
    throw Conflict("workspace database '" + m_file.string() + "': " + what + ": " + message);
  }
  throw IoError("workspace database '" + m_file.string() + "': " + what + ": " + message);
}

void Database::execute(std::string_view sql) {
  const std::string text(sql);
  const int code = sqlite3_exec(m_db, text.c_str(), nullptr, nullptr, nullptr);
  if (code != SQLITE_OK) fail(code, "executing '" + text.substr(0, 60) + "'");
}

Statement Database::prepare(std::string_view sql) {
  sqlite3_stmt* statement = nullptr;
  const int code = sqlite3_prepare_v2(m_db, sql.data(), int(sql.size()), &statement, nullptr);
  if (code != SQLITE_OK) fail(code, "preparing '" + std::string(sql.substr(0, 60)) + "'");
  return Statement(*this, statement);
}

std::int64_t Database::lastInsertId() const { return sqlite3_last_insert_rowid(m_db); }
int Database::changes() const { return sqlite3_changes(m_db); }
bool Database::inTransaction() const { return sqlite3_get_autocommit(m_db) == 0; }

Statement::Statement(Statement&& other) noexcept
    : m_db(other.m_db), m_statement(other.m_statement) {
  other.m_statement = nullptr;
}

Statement::~Statement() { sqlite3_finalize(m_statement); }

Statement& Statement::bind(int index, std::int64_t value) {
  const int code = sqlite3_bind_int64(m_statement, index, value);
  if (code != SQLITE_OK) m_db->fail(code, "binding parameter " + std::to_string(index));
  return *this;
}

Statement& Statement::bind(int index, double value) {
  const int code = sqlite3_bind_double(m_statement, index, value);
  if (code != SQLITE_OK) m_db->fail(code, "binding parameter " + std::to_string(index));
  return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
  const int code = sqlite3_bind_text64(m_statement, index, value.data(), value.size(),
                                       SQLITE_TRANSIENT, SQLITE_UTF8);
  if (code != SQLITE_OK) m_db->fail(code, "binding parameter " + std::to_string(index));
  return *this;
}

Statement& Statement::bindNull(int index) {
  const int code = sqlite3_bind_null(m_statement, index);
  if (code != SQLITE_OK) m_db->fail(code, "binding parameter " + std::to_string(index));
  return *this;
}

Statement& Statement::bindRowSet(int index, const RowSet& rows) {
  const int code = sqlite3_bind_pointer(m_statement, index, const_cast<RowSet*>(&rows), kRowSetType,
                                        nullptr);
  if (code != SQLITE_OK) m_db->fail(code, "binding parameter " + std::to_string(index));
  return *this;
}

int Statement::parameterIndex(std::string_view name) const {
  const int index = sqlite3_bind_parameter_index(m_statement, std::string(name).c_str());
  if (index == 0) {
    throw Error("SQL parameter '" + std::string(name) + "' not found in '" +
                std::string(sqlite3_sql(m_statement)).substr(0, 60) + "'");
  }
  return index;
}

bool Statement::step() {
  const int code = sqlite3_step(m_statement);
  if (code == SQLITE_ROW) return true;
  if (code == SQLITE_DONE) return false;
  m_db->fail(code, "running '" + std::string(sqlite3_sql(m_statement)).substr(0, 60) + "'");
}

void Statement::run() {
  while (step()) {
  }
}

void Statement::reset() {
  sqlite3_reset(m_statement);
  sqlite3_clear_bindings(m_statement);
}

int Statement::columnCount() const { return sqlite3_column_count(m_statement); }

bool Statement::isNull(int column) const {
  return sqlite3_column_type(m_statement, column) == SQLITE_NULL;
}
std::int64_t Statement::int64(int column) const {
  return sqlite3_column_int64(m_statement, column);
}
double Statement::real(int column) const { return sqlite3_column_double(m_statement, column); }
std::string Statement::text(int column) const { return std::string(textView(column)); }
std::string_view Statement::textView(int column) const {
  const auto* bytes = sqlite3_column_text(m_statement, column);
  return bytes ? std::string_view(reinterpret_cast<const char*>(bytes),
                                  std::size_t(sqlite3_column_bytes(m_statement, column)))
               : std::string_view();
}

Transaction::Transaction(Database& db) : m_db(db) { m_db.execute("BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
  if (!m_done) {
    try {
      m_db.execute("ROLLBACK");
    } catch (...) {
      // The transaction is gone either way; a destructor must not throw.
    }
  }
}

void Transaction::commit() {
  m_db.execute("COMMIT");
  m_done = true;
}

ReadTransaction::ReadTransaction(Database& db) : m_db(db) {
  if (!m_db.inTransaction()) {
    m_db.execute("BEGIN");
    m_owner = true;
  }
}

ReadTransaction::~ReadTransaction() {
  if (m_owner) {
    try {
      m_db.execute("COMMIT");
    } catch (...) {
      // Nothing was written, so rolling back instead loses nothing; a destructor must not throw.
      try {
        m_db.execute("ROLLBACK");
      } catch (...) {
      }
    }
  }
}

}  // namespace geih::store
