// Internal to core/store: RAII over SQLite. Prepared statements only; errors become geih errors
// (busy -> Conflict, not-a-database/corrupt -> Corrupt, the rest -> IoError), naming the file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace geih::store {

class Statement;

class Database {
 public:
  // Opens (creating when `create`) the file with WAL, foreign keys and a busy timeout.
  Database(const std::filesystem::path& file, bool create, int busyTimeoutMs);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs SQL without parameters (schema scripts, pragmas).
  void execute(std::string_view sql);
  Statement prepare(std::string_view sql);
  std::int64_t lastInsertId() const;
  int changes() const;
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
  Statement& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
  Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Statement& bindNull(int index);
  template <typename T>
  Statement& bind(int index, const std::optional<T>& value) {
    return value ? bind(index, *value) : bindNull(index);
  }

  // Advances to the next row; false when done.
  bool step();
  // Runs a statement that returns no rows.
  void run();
  void reset();

  bool isNull(int column) const;
  std::int64_t int64(int column) const;
  double real(int column) const;
  std::string text(int column) const;

 private:
  Database* m_db;
  sqlite3_stmt* m_statement;
};

// BEGIN IMMEDIATE on construction (so concurrent writers queue on the busy timeout instead of
// failing at commit), COMMIT on commit(), ROLLBACK when destroyed uncommitted.
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

}  // namespace geih::store
