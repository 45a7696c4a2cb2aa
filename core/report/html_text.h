// Text helpers for the self-contained HTML reports.
#pragma once

#include <string>

namespace geih::report {

// Escapes & < > " ' for HTML text and attribute values.
std::string escapeHtml(const std::string& text);
// A number in at most `precision` significant digits ("inf" and "NaN" spelled out).
std::string formatNumber(double value, int precision = 4);

}  // namespace geih::report
