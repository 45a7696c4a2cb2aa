// Writes a report's HTML to FILE.html (as is) or FILE.pdf (through Qt's PDF writer, offscreen);
// InputError for any other extension, or for .pdf in a build without Qt.
#pragma once

#include <filesystem>
#include <string>

namespace geih::cli {

void writeReport(const std::string& html, const std::filesystem::path& output, const std::string& title);

}  // namespace geih::cli
