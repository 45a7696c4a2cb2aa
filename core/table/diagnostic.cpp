#include "core/table/diagnostic.h"

namespace geih::table {

std::string Diagnostic::toString() const {
  std::string text = file;
  if (line > 0) text += ":" + std::to_string(line);
  if (column > 0) text += ":" + std::to_string(column);
  if (!field.empty()) text += " (" + field + ")";
  return text + ": " + message;
}

}  // namespace geih::table
