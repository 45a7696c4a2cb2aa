#include "core/table/csv_tokenizer.h"

namespace geih::table {

std::string CsvField::unescaped() const {
  if (!hasDoubledQuotes) return std::string(text);
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    out.push_back(text[i]);
    if (text[i] == '"' && i + 1 < text.size() && text[i + 1] == '"') ++i;
  }
  return out;
}

std::string_view trimSpaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool CsvTokenizer::nextRecord(std::vector<CsvField>& fields) {
  fields.clear();
  if (m_position >= m_end) return false;
  m_recordLine = m_lines + 1;
  const char* p = m_position;
  while (true) {
    CsvField field;
    const char* start = p;
    while (start < m_end && *start == ' ') ++start;  // spaces before an opening quote
    if (start < m_end && *start == '"') {
      const std::size_t openedOn = m_lines + 1;
      const char* q = start + 1;
      const char* contentBegin = q;
      while (true) {
        while (q < m_end && *q != '"') {
          if (*q == '\n') ++m_lines;
          ++q;
        }
        if (q >= m_end) {
          throw CsvSyntaxError("unterminated quoted field (the quote opens on line " +
                               std::to_string(openedOn) + ")", openedOn);
        }
        if (q + 1 < m_end && q[1] == '"') {
          field.hasDoubledQuotes = true;
          q += 2;
          continue;
        }
        break;
      }
      field.text = std::string_view(contentBegin, std::size_t(q - contentBegin));
      field.quoted = true;
      p = q + 1;
      while (p < m_end && (*p == ' ' || *p == '\t')) ++p;
      if (p < m_end && *p == '\r' && p + 1 < m_end && p[1] == '\n') ++p;
      if (p < m_end && *p != m_delimiter && *p != '\n' && *p != '\r') {
        throw CsvSyntaxError("unexpected text after a closing quote", m_lines + 1);
      }
    } else {
      const char* q = p;
      while (q < m_end && *q != m_delimiter && *q != '\n') ++q;
      const char* fieldEnd = q;
      if (fieldEnd > p && fieldEnd[-1] == '\r' && (q == m_end || *q == '\n')) --fieldEnd;
      field.text = std::string_view(p, std::size_t(fieldEnd - p));
      p = q;
    }
    fields.push_back(field);
    if (p >= m_end) break;
    if (*p == m_delimiter) {
      ++p;
      continue;
    }
    if (*p == '\r') ++p;
    if (p < m_end && *p == '\n') {
      ++p;
      ++m_lines;
    }
    break;
  }
  m_position = p;
  return true;
}

}  // namespace geih::table
