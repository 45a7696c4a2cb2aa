#include "core/table/csv_reader.h"

#include <algorithm>
#include <bitset>
#include <charconv>
#include <cmath>
#include <cstring>
#include <deque>
#include <limits>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include <omp.h>

#include "core/common/error.h"
#include "core/common/huge_pages.h"
#include "core/common/mapped_file.h"
#include "core/table/csv_tokenizer.h"

namespace geih::table {
namespace {

constexpr double kMissingNumber = std::numeric_limits<double>::quiet_NaN();

// Missing-value tokens, checked before any number parsing.
class MissingTokens {
 public:
  explicit MissingTokens(const std::vector<std::string>& tokens) : m_tokens(tokens) {
    for (const auto& token : tokens) {
      if (!token.empty())
        m_firstChars.set(static_cast<unsigned char>(token.front()));
      else
        m_emptyIsMissing = true;
    }
  }
  bool matches(std::string_view text) const {
    if (text.empty()) return m_emptyIsMissing;
    if (!m_firstChars.test(static_cast<unsigned char>(text.front()))) return false;
    return std::find(m_tokens.begin(), m_tokens.end(), text) != m_tokens.end();
  }
  // True when a token such as "-999" reads as a number: the numeric fast path would take it for
  // a value, so it must not run.
  bool anyIsNumber() const;

 private:
  std::vector<std::string> m_tokens;
  std::bitset<256> m_firstChars;
  bool m_emptyIsMissing = false;
};

// std::from_chars with an optional leading '+' (which it does not accept itself); "+-1" is text.
std::from_chars_result readDouble(const char* begin, const char* end, double& value) {
  if (begin < end && *begin == '+') {
    ++begin;
    if (begin < end && *begin == '-') return {begin, std::errc::invalid_argument};
  }
  return std::from_chars(begin, end, value);
}

bool parseNumber(std::string_view text, double& value) {
  const char* end = text.data() + text.size();
  if (text.empty()) return false;
  const auto result = readDouble(text.data(), end, value);
  return result.ec == std::errc() && result.ptr == end;
}

bool MissingTokens::anyIsNumber() const {
  double value = 0;
  return std::any_of(m_tokens.begin(), m_tokens.end(), [&](const std::string& token) {
    return parseNumber(token, value) && !std::isnan(value);
  });
}

// What one chunk of rows produced. Numbers are written straight into the final columns, at the
// chunk's slot (`firstRow`, room for `capacity` rows: the chunk's line count bounds its records).
struct ChunkResult {
  std::size_t firstRow = 0;
  std::size_t capacity = 0;
  std::size_t rows = 0;
  std::size_t lines = 0;             // physical lines consumed (for line numbers of later chunks)
  std::vector<bool> numeric;         // per column: every present value parsed as a number
  std::vector<Diagnostic> warnings;  // line numbers relative to the chunk start
};

// Fast path for a record of plain fields: parses the fields of still-numeric columns in place,
// steps over the others, and returns the position after the record, or nullptr when anything
// needs the general tokenizer (quotes, missing tokens, spaces, text in a numeric column, a wrong
// field count).
const char* parsePlainRecord(const char* p, const char* end, std::size_t columns, char delimiter,
                             const std::vector<bool>& numeric, double* values) {
  for (std::size_t c = 0; c < columns; ++c) {
    if (numeric[c]) {
      const auto result = readDouble(p, end, values[c]);
      if (result.ec != std::errc() || result.ptr == p) return nullptr;
      p = result.ptr;
    } else {
      const char* start = p;
      while (p < end && *p != delimiter && *p != '\n') {
        if (*p == '"') return nullptr;
        ++p;
      }
      if (p == start) return nullptr;  // empty: missing, or a blank line the tokenizer skips
    }
    const bool last = c + 1 == columns;
    if (!last) {
      if (p >= end || *p != delimiter) return nullptr;
      ++p;
    } else {
      if (p < end && *p == '\r') ++p;
      if (p < end) {
        if (*p != '\n') return nullptr;
        ++p;
      }
    }
  }
  return p;
}

// Parses rows of [begin, end), which starts at a record boundary, into `columnsData`.
void parseChunk(const char* begin, const char* end, std::size_t columns,
                const std::vector<bool>& textColumns, const MissingTokens& missing,
                const CsvOptions& options, const std::vector<double*>& columnsData,
                ChunkResult& out) {
  out.numeric.assign(columns, true);
  for (std::size_t c = 0; c < columns; ++c) out.numeric[c] = !textColumns[c];
  const bool fastPath = !missing.anyIsNumber();
  std::vector<double> row(columns);
  std::vector<CsvField> fields;
  const char* p = begin;
  std::size_t lines = 0;
  auto store = [&](const double* values) {
    const std::size_t at = out.firstRow + out.rows;
    for (std::size_t c = 0; c < columns; ++c) {
      if (out.numeric[c]) columnsData[c][at] = values[c];
    }
    ++out.rows;
  };
  while (p < end) {
    if (fastPath) {
      if (const char* next =
              parsePlainRecord(p, end, columns, options.delimiter, out.numeric, row.data())) {
        if (out.rows >= out.capacity) break;  // cannot happen: records <= lines + 1
        store(row.data());
        ++lines;
        p = next;
        continue;
      }
    }
    CsvTokenizer tokenizer(p, end, options.delimiter);
    try {
      tokenizer.nextRecord(fields);
    } catch (const CsvSyntaxError& error) {
      throw CsvSyntaxError(error.what(), lines + error.line);
    }
    const std::size_t recordLine = lines + 1;
    lines += tokenizer.linesConsumed();
    p = tokenizer.position();
    if (fields.size() == 1 && fields[0].text.empty() && !fields[0].quoted) continue;  // blank line
    if (fields.size() != columns) {
      out.warnings.push_back({"", recordLine, 0, "",
                              "expected " + std::to_string(columns) + " fields, found " +
                                  std::to_string(fields.size()) + "; row skipped"});
      continue;
    }
    for (std::size_t c = 0; c < columns; ++c) {
      if (!out.numeric[c]) continue;
      const std::string_view text = fields[c].quoted ? fields[c].text : trimSpaces(fields[c].text);
      if (missing.matches(text)) {
        row[c] = kMissingNumber;
      } else if (!parseNumber(text, row[c])) {
        out.numeric[c] = false;
      }
    }
    if (out.rows >= out.capacity) break;
    store(row.data());
  }
  out.lines = lines;
}

// Dictionary-encodes one text column as it is read, without a string per cell: codes in row
// order, dictionary in first-seen order (a deque, so the index's views stay valid).
class TextColumnBuilder {
 public:
  void reserve(std::size_t rows) { m_codes.reserve(rows); }
  void addMissing() { m_codes.push_back(kMissingCode); }
  void add(std::string_view value) {
    auto it = m_index.find(value);
    if (it == m_index.end()) {
      m_dictionary.emplace_back(value);
      it = m_index.emplace(m_dictionary.back(), std::int32_t(m_dictionary.size() - 1)).first;
    }
    m_codes.push_back(it->second);
  }

  // Boolean when every present value is true/false in any case (and not forced categorical).
  Column build(const std::string& name, bool forcedCategorical) {
    const bool boolean = !forcedCategorical && !m_dictionary.empty() &&
                         std::all_of(m_dictionary.begin(), m_dictionary.end(), isBooleanText);
    if (boolean) {
      std::vector<std::int8_t> truth(m_dictionary.size());
      for (std::size_t k = 0; k < truth.size(); ++k) {
        truth[k] = std::tolower(static_cast<unsigned char>(m_dictionary[k][0])) == 't';
      }
      std::vector<std::int8_t> values(m_codes.size(), kMissingBool);
      for (std::size_t i = 0; i < m_codes.size(); ++i) {
        if (m_codes[i] != kMissingCode) values[i] = truth[std::size_t(m_codes[i])];
      }
      return Column::boolean(name, std::move(values));
    }
    return Column::categorical(
        name, std::move(m_codes),
        std::vector<std::string>(std::make_move_iterator(m_dictionary.begin()),
                                 std::make_move_iterator(m_dictionary.end())));
  }

 private:
  static bool isBooleanText(const std::string& text) {
    if (text.size() != 4 && text.size() != 5) return false;
    std::string lower(text);
    for (char& ch : lower) ch = char(std::tolower(static_cast<unsigned char>(ch)));
    return lower == "true" || lower == "false";
  }

  std::vector<std::int32_t> m_codes;
  std::deque<std::string> m_dictionary;
  std::unordered_map<std::string_view, std::int32_t> m_index;
};

// Reads the text of `columns` for every good row (the same rows parseChunk kept).
void collectText(const char* begin, const char* end, std::size_t columnCount,
                 const std::vector<std::size_t>& columns, const MissingTokens& missing,
                 const CsvOptions& options, std::vector<TextColumnBuilder>& builders) {
  CsvTokenizer tokenizer(begin, end, options.delimiter);
  std::vector<CsvField> fields;
  std::string unescaped;
  while (tokenizer.nextRecord(fields)) {
    if (fields.size() == 1 && fields[0].text.empty() && !fields[0].quoted) continue;
    if (fields.size() != columnCount) continue;
    for (std::size_t k = 0; k < columns.size(); ++k) {
      // Missing tokens count quoted or not (as in pandas), so both passes agree on what is missing.
      const CsvField& field = fields[columns[k]];
      const std::string_view value = field.quoted ? field.text : trimSpaces(field.text);
      if (missing.matches(value)) {
        builders[k].addMissing();
      } else if (field.hasDoubledQuotes) {
        unescaped = field.unescaped();
        builders[k].add(unescaped);
      } else {
        builders[k].add(value);
      }
    }
  }
}

// Chunk boundaries at line starts. Files with quotes are parsed as one chunk, because a quoted
// field may hold a newline and only a sequential scan knows whether a newline ends a record.
std::vector<const char*> chunkStarts(const char* begin, const char* end, int threads) {
  std::vector<const char*> starts = {begin};
  const std::size_t size = std::size_t(end - begin);
  constexpr std::size_t kMinChunk = 1 << 20;
  if (threads <= 1 || size < 2 * kMinChunk || std::memchr(begin, '"', size) != nullptr) {
    return starts;
  }
  const std::size_t pieces = std::min<std::size_t>(std::size_t(threads) * 4, size / kMinChunk);
  for (std::size_t i = 1; i < pieces; ++i) {
    const char* guess = begin + size * i / pieces;
    if (guess <= starts.back()) continue;
    const void* newline = std::memchr(guess, '\n', std::size_t(end - guess));
    if (!newline) break;
    const char* next = static_cast<const char*>(newline) + 1;
    if (next < end) starts.push_back(next);
  }
  return starts;
}

}  // namespace

CsvReadResult parseCsv(std::string_view text, const std::string& sourceName,
                       const CsvOptions& options, Progress& progress) {
  if (text.size() >= 3 && std::memcmp(text.data(), "\xEF\xBB\xBF", 3) == 0) text.remove_prefix(3);
  if (text.find('\n') == std::string_view::npos && text.find('\r') != std::string_view::npos) {
    // Classic Mac line ends (CR only): rare and small, so a converted copy is fine.
    std::string lines(text);
    std::replace(lines.begin(), lines.end(), '\r', '\n');
    return parseCsv(lines, sourceName, options, progress);
  }
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    throw InputError(sourceName + ": the file is empty (a CSV needs a header row)");
  }

  // ---- header
  CsvTokenizer headerTokenizer(text.data(), text.data() + text.size(), options.delimiter);
  std::vector<CsvField> headerFields;
  try {
    while (headerTokenizer.nextRecord(headerFields)) {
      const bool blank = headerFields.size() == 1 && !headerFields[0].quoted &&
                         trimSpaces(headerFields[0].text).empty();
      if (!blank) break;
    }
  } catch (const CsvSyntaxError& error) {
    throw InputError(sourceName + ":" + std::to_string(error.line) + ": " + error.what());
  }
  std::vector<std::string> names;
  std::unordered_set<std::string> seen;
  for (std::size_t c = 0; c < headerFields.size(); ++c) {
    std::string name = headerFields[c].unescaped();
    if (!headerFields[c].quoted) name = std::string(trimSpaces(name));
    const std::string where = sourceName + ":" + std::to_string(headerTokenizer.recordFirstLine());
    if (name.empty()) {
      throw InputError(where + ": header field " + std::to_string(c + 1) + " is empty");
    }
    if (!seen.insert(name).second) {
      throw InputError(where + ": duplicate column name '" + name + "' in the header");
    }
    names.push_back(std::move(name));
  }
  const std::size_t headerLines = headerTokenizer.linesConsumed();
  const char* bodyBegin = headerTokenizer.position();
  const char* bodyEnd = text.data() + text.size();
  const std::size_t columns = names.size();

  std::vector<bool> textColumns(columns, false);
  for (const std::string& forced : options.categoricalColumns) {
    auto it = std::find(names.begin(), names.end(), forced);
    if (it == names.end()) {
      throw InputError(sourceName + ": column '" + forced +
                       "' (asked to be categorical) is not in the header");
    }
    textColumns[std::size_t(it - names.begin())] = true;
  }
  const MissingTokens missing(options.missingTokens);

  // ---- body: numeric pass, parallel over chunks when the file allows it
  const int threads = options.threads > 0 ? options.threads : std::max(1, omp_get_max_threads());
  const std::vector<const char*> starts = chunkStarts(bodyBegin, bodyEnd, threads);
  const std::size_t chunkCount = starts.size();
  std::vector<ChunkResult> chunks(chunkCount);
  std::vector<std::string> errors(chunkCount);
  progress.report(0.0, "reading " + sourceName);
  // Each chunk holds at most (its newlines + 1) records, so a slot of that size per chunk lets
  // every thread write its numbers straight into the final columns.
#pragma omp parallel for schedule(static) num_threads(threads) if (chunkCount > 1)
  for (std::size_t i = 0; i < chunkCount; ++i) {
    const char* chunkEnd = i + 1 < chunkCount ? starts[i + 1] : bodyEnd;
    chunks[i].capacity = std::size_t(std::count(starts[i], chunkEnd, '\n')) + 1;
  }
  std::size_t capacity = 0;
  for (ChunkResult& chunk : chunks) {
    chunk.firstRow = capacity;
    capacity += chunk.capacity;
  }
  std::vector<std::vector<double>> numbers(columns);
  std::vector<double*> columnsData(columns, nullptr);
  for (std::size_t c = 0; c < columns; ++c) {
    if (textColumns[c]) continue;
    numbers[c].reserve(capacity);
    adviseHugePages(numbers[c].data(), capacity * sizeof(double));
    numbers[c].resize(capacity);
    columnsData[c] = numbers[c].data();
  }
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads) if (chunkCount > 1)
  for (std::size_t i = 0; i < chunkCount; ++i) {
    const char* chunkEnd = i + 1 < chunkCount ? starts[i + 1] : bodyEnd;
    try {
      parseChunk(starts[i], chunkEnd, columns, textColumns, missing, options, columnsData,
                 chunks[i]);
    } catch (const CsvSyntaxError& error) {
      errors[i] = error.what();
      chunks[i].lines = error.line;
    }
  }
  // Line numbers: chunk-relative -> file lines.
  std::size_t lineOffset = headerLines;
  CsvReadResult result;
  for (std::size_t i = 0; i < chunkCount; ++i) {
    if (!errors[i].empty()) {
      throw InputError(sourceName + ":" + std::to_string(lineOffset + chunks[i].lines) + ": " +
                       errors[i]);
    }
    for (Diagnostic warning : chunks[i].warnings) {
      warning.file = sourceName;
      warning.line += lineOffset;
      if (options.strict)
        throw InputError(sourceName + ":" + std::to_string(warning.line) + ": " +
                         warning.message.substr(0, warning.message.find(';')));
      result.warnings.push_back(std::move(warning));
    }
    lineOffset += chunks[i].lines;
  }
  if (result.warnings.size() > options.maxBadRows) {
    throw InputError(sourceName + ": " + std::to_string(result.warnings.size()) +
                     " rows have the wrong number of fields (first at line " +
                     std::to_string(result.warnings.front().line) + "); is the delimiter right?");
  }
  progress.report(0.7);
  progress.checkCancelled();

  std::vector<bool> numeric(columns, true);
  std::size_t rows = 0;
  for (const ChunkResult& chunk : chunks) {
    rows += chunk.rows;
    for (std::size_t c = 0; c < columns; ++c) numeric[c] = numeric[c] && chunk.numeric[c];
  }

  // ---- text pass for the columns that are not numbers
  std::vector<std::size_t> textIndices;
  for (std::size_t c = 0; c < columns; ++c) {
    if (!numeric[c]) textIndices.push_back(c);
  }
  std::vector<TextColumnBuilder> texts(textIndices.size());
  if (!textIndices.empty()) {
    for (auto& column : texts) column.reserve(rows);
    try {
      collectText(bodyBegin, bodyEnd, columns, textIndices, missing, options, texts);
    } catch (const CsvSyntaxError& error) {  // the numeric pass has already seen the same text
      throw InputError(sourceName + ":" + std::to_string(headerLines + error.line) + ": " +
                       error.what());
    }
  }

  std::size_t nextText = 0;
  for (std::size_t c = 0; c < columns; ++c) {
    if (numeric[c]) {
      std::vector<double>& values = numbers[c];
      std::size_t filled = 0;
      for (const ChunkResult& chunk : chunks) {
        if (chunk.firstRow != filled) {
          std::copy(values.begin() + std::ptrdiff_t(chunk.firstRow),
                    values.begin() + std::ptrdiff_t(chunk.firstRow + chunk.rows),
                    values.begin() + std::ptrdiff_t(filled));
        }
        filled += chunk.rows;
      }
      values.resize(filled);
      result.table.addColumn(Column::numeric(names[c], std::move(values)));
      std::vector<double>().swap(numbers[c]);
    } else {
      result.table.addColumn(texts[nextText].build(names[c], textColumns[c]));
      texts[nextText] = TextColumnBuilder();
      ++nextText;
    }
  }
  progress.report(1.0);
  return result;
}

CsvReadResult readCsv(const std::filesystem::path& path, const CsvOptions& options,
                      Progress& progress) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw InputError("no such file '" + path.string() + "'");
  if (std::filesystem::is_directory(path, ec)) {
    throw InputError("'" + path.string() + "' is a folder, not a CSV file");
  }
  const MappedFile file(path);
  return parseCsv(file.text(), path.string(), options, progress);
}

}  // namespace geih::table
