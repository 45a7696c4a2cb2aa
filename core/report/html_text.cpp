#include "core/report/html_text.h"

#include <cmath>
#include <cstdint>
#include <sstream>

namespace geih::report {

std::string escapeHtml(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string formatNumber(double value, int precision) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  std::ostringstream out;
  out.precision(precision);
  out << value;
  return out.str();
}

std::string base64(std::string_view bytes) {
  static constexpr char kDigits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned v = (unsigned(std::uint8_t(bytes[i])) << 16) | (unsigned(std::uint8_t(bytes[i + 1])) << 8) |
                       unsigned(std::uint8_t(bytes[i + 2]));
    out += kDigits[(v >> 18) & 63];
    out += kDigits[(v >> 12) & 63];
    out += kDigits[(v >> 6) & 63];
    out += kDigits[v & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest) {
    unsigned v = unsigned(std::uint8_t(bytes[i])) << 16;
    if (rest == 2) v |= unsigned(std::uint8_t(bytes[i + 1])) << 8;
    out += kDigits[(v >> 18) & 63];
    out += kDigits[(v >> 12) & 63];
    out += rest == 2 ? kDigits[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

const char* reportStyle() {
  return "body{font-family:system-ui,sans-serif;max-width:70em;margin:1.5em auto;color:#222;"
         "padding:0 1em}h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.4em}.verdict{padding:.8em 1em;"
         "border-radius:6px;font-size:1.1em;margin:1em 0}.drift{background:#fdecea;border:1px solid #e57373}"
         ".nodrift{background:#e8f5e9;border:1px solid #81c784}table{border-collapse:collapse;width:100%}"
         "td,th{border-bottom:1px solid #ddd;padding:.3em .5em;text-align:left}td.num{text-align:right;"
         "font-variant-numeric:tabular-nums}tr.drifted td{background:#fff3f0}.tag{font-weight:bold;"
         "color:#c62828}.ok{color:#2e7d32}.grid{display:flex;flex-wrap:wrap;gap:1em}.card{border:1px "
         "solid #ddd;border-radius:6px;padding:.5em}.card h3{font-size:1em;margin:.2em 0}.muted{color:#666}"
         ".swatch{font-size:1.3em}code{font-size:.9em}";
}

std::string htmlPageStart(const std::string& title) {
  return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escapeHtml(title) +
         "</title><style>" + reportStyle() + "</style></head><body>\n<h1>" + escapeHtml(title) + "</h1>\n";
}

std::string htmlPageEnd() { return "</body></html>\n"; }

}  // namespace geih::report
