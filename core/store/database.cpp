#include "core/store/database.h"

#include <sqlite3.h>

#include "core/common/error.h"

namespace geih::store {

Database::Database(const std::filesystem::path& file, bool create, int busyTimeoutMs) : m_file(file) {
  const int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
  const int code = sqlite3_open_v2(file.c_str(), &m_db, flags, nullptr);
  if (code != SQLITE_OK) {
    const std::string message = m_db ? sqlite3_errmsg(m_db) : sqlite3_errstr(code);
    sqlite3_close(m_db);
    m_db = nullptr;
    if (code == SQLITE_CANTOPEN) {
      throw IoError("cannot open workspace database '" + file.string() + "': " + message);
    }
    throw IoError("cannot open '" + file.string() + "': " + message);
  }
  sqlite3_extended_result_codes(m_db, 1);
  sqlite3_busy_timeout(m_db, busyTimeoutMs);
  execute("PRAGMA foreign_keys = ON");
  // Reading journal_mode is the first real access: a non-SQLite file fails here with NOTADB.
  Statement mode = prepare("PRAGMA journal_mode = WAL");
  mode.step();
  execute("PRAGMA synchronous = NORMAL");
}

Database::~Database() { sqlite3_close_v2(m_db); }

void Database::fail(int code, const std::string& what) const {
  const std::string message = m_db ? sqlite3_errmsg(m_db) : sqlite3_errstr(code);
  const int primary = code & 0xff;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    throw Conflict("workspace database '" + m_file.string() +
                   "' is busy: another process is writing to it; try again (" + message + ")");
  }
  if (primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT) {
    throw Corrupt("'" + m_file.string() + "' is not a valid workspace database (" + message + ")");
  }
  if (primary == SQLITE_CONSTRAINT) {
    throw Conflict(what + ": " + message);
  }
  if (primary == SQLITE_READONLY || primary == SQLITE_CANTOPEN || primary == SQLITE_IOERR ||
      primary == SQLITE_FULL || primary == SQLITE_PERM) {
    throw IoError("workspace database '" + m_file.string() + "': " + what + ": " + message);
  }
  throw Error("workspace database '" + m_file.string() + "': " + what + ": " + message);
}

void Database::execute(std::string_view sql) {
  char* error = nullptr;
  const int code = sqlite3_exec(m_db, std::string(sql).c_str(), nullptr, nullptr, &error);
  if (code != SQLITE_OK) {
    sqlite3_free(error);
    fail(code, "executing SQL");
  }
}

Statement Database::prepare(std::string_view sql) {
  sqlite3_stmt* statement = nullptr;
  const int code = sqlite3_prepare_v2(m_db, sql.data(), int(sql.size()), &statement, nullptr);
  if (code != SQLITE_OK) fail(code, "preparing '" + std::string(sql.substr(0, 60)) + "'");
  return Statement(*this, statement);
}

std::int64_t Database::lastInsertId() const { return sqlite3_last_insert_rowid(m_db); }
int Database::changes() const { return sqlite3_changes(m_db); }

Statement::Statement(Statement&& other) noexcept
    : m_db(other.m_db), m_statement(other.m_statement) {
  other.m_statement = nullptr;
}

Statement::~Statement() { sqlite3_finalize(m_statement); }

Statement& Statement::bind(int index, std::int64_t value) {
  const int code = sqlite3_bind_int64(m_statement, index, value);
  if (code != SQLITE_OK) m_db->fail(code, "binding a parameter");
  return *this;
}

Statement& Statement::bind(int index, double value) {
  const int code = sqlite3_bind_double(m_statement, index, value);
  if (code != SQLITE_OK) m_db->fail(code, "binding a parameter");
  return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
  const int code = sqlite3_bind_text(m_statement, index, value.data(), int(value.size()), SQLITE_TRANSIENT);
  if (code != SQLITE_OK) m_db->fail(code, "binding a parameter");
  return *this;
}

Statement& Statement::bindNull(int index) {
  const int code = sqlite3_bind_null(m_statement, index);
  if (code != SQLITE_OK) m_db->fail(code, "binding a parameter");
  return *this;
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

bool Statement::isNull(int column) const {
  return sqlite3_column_type(m_statement, column) == SQLITE_NULL;
}
std::int64_t Statement::int64(int column) const { return sqlite3_column_int64(m_statement, column); }
double Statement::real(int column) const { return sqlite3_column_double(m_statement, column); }
std::string Statement::text(int column) const {
  const auto* bytes = sqlite3_column_text(m_statement, column);
  return bytes ? std::string(reinterpret_cast<const char*>(bytes),
                             std::size_t(sqlite3_column_bytes(m_statement, column)))
               : std::string();
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

}  // namespace geih::store
