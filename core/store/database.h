// Internal to core/store: RAII over SQLite. Prepared statements only; failures become geih errors
// naming the file:
//   SQLITE_BUSY / LOCKED (after the busy timeout)  -> Conflict ("workspace '<folder>' is busy ...")
//   SQLITE_NOTADB / CORRUPT                          -> Corrupt
//   SQLITE_CONSTRAINT                                -> Conflict (a row clashes with existing
//   state) anything else                                    -> IoError with SQLite's message
// sqlite3.h is included only by database.cpp; no other header sees a sqlite3 handle.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace geih::store {

class Statement;

// A set of rowids, one bit each. A statement tests membership with `geih_in_set(?, rowid)` once the
// set is bound with Statement::bindRowSet (SQLite's pointer passing: the SQL text cannot forge it).
class RowSet {
 public:
  explicit RowSet(std::int64_t maxRowid = 0) : m_words(std::size_t(maxRowid / 64 + 1), 0) {}
  void insert(std::int64_t rowid) {
    if (rowid >= 0 && std::size_t(rowid / 64) < m_words.size()) {
      m_words[std::size_t(rowid / 64)] |= std::uint64_t(1) << (rowid % 64);
    }
  }
  bool contains(std::int64_t rowid) const {
    return rowid >= 0 && std::size_t(rowid / 64) < m_words.size() &&
           (m_words[std::size_t(rowid / 64)] >> (rowid % 64) & 1) != 0;
  }
  std::size_t size() const;
  std::vector<std::uint64_t>& words() { return m_words; }
  const std::vector<std::uint64_t>& words() const { return m_words; }

 private:
  std::vector<std::uint64_t> m_words;
};

class Database {
 public:
  // Opens (creating the file when `create`) with journal_mode=WAL, foreign_keys=ON,
  // synchronous=NORMAL and a busy timeout. Throws Corrupt when the file is not a SQLite database.
  Database(const std::filesystem::path& file, bool create, int busyTimeoutMs);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs SQL without parameters (schema scripts, pragmas, BEGIN/COMMIT). May hold several
  // statements.
  void execute(std::string_view sql);
  Statement prepare(std::string_view sql);
  std::int64_t lastInsertId() const;
  int changes() const;
  // True between BEGIN and COMMIT/ROLLBACK on this connection.
  bool inTransaction() const;
  const std::filesystem::path& file() const { return m_file; }

  // Throws the geih error matching SQLite result `code`, with `what` as context.
  [[noreturn]] void fail(int code, const std::string& what) const;

 private:
  sqlite3* m_db = nullptr;
  std::filesystem::path m_file;
};

class Statement {
 public:
  Statement(Database& db, sqlite3_stmt* statement) : m_db(&db), m_statement(statement) {}
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  ~Statement();

  // Binds parameter `index` (1-based); returns *this for chaining.
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, int value) { return bind(index, std::int64_t(value)); }
  Statement& bind(int index, std::size_t value) { return bind(index, std::int64_t(value)); }
  Statement& bind(int index, double value);
  Statement& bind(int index, std::string_view value);
  Statement& bind(int index, const std::string& value) {
    return bind(index, std::string_view(value));
  }
  Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Statement& bindNull(int index);
  // Binds `rows` for `geih_in_set(?, rowid)`; it must outlive the statement's steps.
  Statement& bindRowSet(int index, const RowSet& rows);
  template <typename T>
  Statement& bind(int index, const std::optional<T>& value) {
    return value ? bind(index, *value) : bindNull(index);
  }
  // Binds a named parameter (":name", "@name" or "$name", spelled as in the SQL).
  template <typename T>
  Statement& bind(std::string_view name, const T& value) {
    return bind(parameterIndex(name), value);
  }
  // The 1-based index of a named parameter; throws geih::Error for a name the SQL does not have.
  int parameterIndex(std::string_view name) const;

  // Advances to the next row; false when done.
  bool step();
  // Runs a statement that returns no rows.
  void run();
  // Makes the statement ready to run again and clears its bindings.
  void reset();

  int columnCount() const;
  bool isNull(int column) const;
  std::int64_t int64(int column) const;
  double real(int column) const;
  std::string text(int column) const;
  // Valid until the next step(), reset() or destruction; saves a copy in tight loops.
  std::string_view textView(int column) const;

 private:
  Database* m_db;
  sqlite3_stmt* m_statement;
};

// BEGIN IMMEDIATE on construction (so concurrent writers queue on the busy timeout instead of
// failing at commit), COMMIT on commit(), ROLLBACK when destroyed uncommitted (e.g. on unwind).
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Database& m_db;
  bool m_done = false;
};

// A consistent snapshot for reads made of several statements (WAL readers never block writers, and
// writers never block them). Nests: inside an open transaction it does nothing.
class ReadTransaction {
 public:
  explicit ReadTransaction(Database& db);
  ~ReadTransaction();
  ReadTransaction(const ReadTransaction&) = delete;
  ReadTransaction& operator=(const ReadTransaction&) = delete;

 private:
  Database& m_db;
  bool m_owner = false;
};

}  // namespace geih::store
