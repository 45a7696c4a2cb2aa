// Internal to core/table: splits CSV text into records and fields without copying (RFC 4180:
// quoted fields may hold delimiters, doubled quotes and newlines; CRLF or LF line ends).
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace geih::table {

struct CsvField {
  std::string_view text;  // inside the quotes for a quoted field, still with doubled quotes
  bool quoted = false;
  bool hasDoubledQuotes = false;
  std::string unescaped() const;
};

// A syntax error at a 1-based line relative to where the tokenizer started.
struct CsvSyntaxError : std::runtime_error {
  CsvSyntaxError(const std::string& message, std::size_t errorLine)
      : std::runtime_error(message), line(errorLine) {}
  std::size_t line;
};

std::string_view trimSpaces(std::string_view text);

class CsvTokenizer {
 public:
  CsvTokenizer(const char* begin, const char* end, char delimiter)
      : m_position(begin), m_end(end), m_delimiter(delimiter) {}

  // Reads the next record into `fields`; false at the end of the text. Throws CsvSyntaxError on
  // an unterminated quote or text after a closing quote.
  bool nextRecord(std::vector<CsvField>& fields);

  // 1-based line (relative to the start) on which the last record began.
  std::size_t recordFirstLine() const { return m_recordLine; }
  // Newlines consumed so far.
  std::size_t linesConsumed() const { return m_lines; }
  const char* position() const { return m_position; }

 private:
  const char* m_position;
  const char* m_end;
  char m_delimiter;
  std::size_t m_lines = 0;
  std::size_t m_recordLine = 0;
};

}  // namespace geih::table
