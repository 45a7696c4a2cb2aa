#include "app/cli/report_output.h"

#include "core/common/atomic_file.h"
#include "core/common/error.h"
#ifdef GEIH_WITH_PDF
#include "ui/report/pdf_export.h"
#endif

namespace geih::cli {

void writeReport(const std::string& html, const std::filesystem::path& output, const std::string& title) {
  const std::string extension = output.extension().string();
  if (extension == ".html" || extension == ".htm") {
    writeFileAtomic(output, html);
  } else if (extension == ".pdf") {
#ifdef GEIH_WITH_PDF
    ui::PdfApplicationScope application;
    ui::writeHtmlAsPdf(html, output, title);
#else
    throw InputError("'" + output.string() + "': this geih was built without Qt, so it writes HTML reports only");
#endif
  } else {
    throw InputError("'" + output.string() + "': write a report as .html or .pdf");
  }
}

}  // namespace geih::cli
