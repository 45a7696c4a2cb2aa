// Text helpers for the self-contained HTML reports.
#pragma once

#include <string>
#include <string_view>

namespace geih::report {

// Escapes & < > " ' for HTML text and attribute values.
std::string escapeHtml(const std::string& text);
// A number in at most `precision` significant digits ("inf" and "NaN" spelled out).
std::string formatNumber(double value, int precision = 4);
// Standard base64 (RFC 4648, with padding), for images embedded as data: URIs.
std::string base64(std::string_view bytes);
// The reports' shared CSS (no external resources).
const char* reportStyle();
// "<!DOCTYPE html>...<body>" with the title and the shared style; close with htmlPageEnd().
std::string htmlPageStart(const std::string& title);
std::string htmlPageEnd();

}  // namespace geih::report
