// A recoverable data problem, reported like a compiler diagnostic: where (file, 1-based line and
// column) and what. Fatal problems throw instead.
#pragma once

#include <cstddef>
#include <string>

namespace geih::table {

struct Diagnostic {
  std::string file;
  std::size_t line = 0;    // 1-based physical line in the file; 0 when not tied to a line
  std::size_t column = 0;  // 1-based field index; 0 when the whole row is concerned
  std::string field;       // column name when known
  std::string message;

  // "data.csv:12:3 (temperature): not a number 'abc'"
  std::string toString() const;
};

}  // namespace geih::table
