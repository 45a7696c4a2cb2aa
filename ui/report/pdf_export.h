// The HTML reports of core/report as PDF, with Qt's PDF writer: QTextDocument lays the page out
// (its HTML subset: headings, tables, lists, colours), each inline <svg> chart is rasterised by
// QSvgRenderer at twice its size and each data:image/png is decoded, both handed to the document
// as image resources, then QTextDocument::print paginates onto A4. The file is written
// atomically (complete or absent).
#pragma once

#include <filesystem>
#include <string>

namespace geih::ui {

// Needs a QGuiApplication (the GUI has one; see PdfApplicationScope for the CLI). Throws
// IoError naming the path when it cannot be written.
void writeHtmlAsPdf(const std::string& html, const std::filesystem::path& pdf, const std::string& title);

// Creates a QGuiApplication for the scope when none exists (offscreen when no platform is set),
// so the CLI can write PDFs without a display.
class PdfApplicationScope {
 public:
  PdfApplicationScope();
  ~PdfApplicationScope();
  PdfApplicationScope(const PdfApplicationScope&) = delete;
  PdfApplicationScope& operator=(const PdfApplicationScope&) = delete;

 private:
  struct State;
  State* m_state = nullptr;
};

}  // namespace geih::ui
