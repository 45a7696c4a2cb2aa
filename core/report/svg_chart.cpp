#include "core/report/svg_chart.h"

#include <algorithm>
#include <sstream>

#include "core/report/html_text.h"

namespace geih::report {

std::string histogramOverlaySvg(const std::vector<std::string>& labels,
                                const std::vector<double>& reference,
                                const std::vector<double>& current, int width, int height) {
  const std::size_t bins = std::min(reference.size(), current.size());
  std::ostringstream svg;
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height
      << "\" viewBox=\"0 0 " << width << " " << height << "\" role=\"img\">";
  const double left = 8;
  const double top = 18;
  const double plotWidth = width - 16;
  const double plotHeight = height - 40;
  double peak = 0;
  for (std::size_t k = 0; k < bins; ++k) peak = std::max({peak, reference[k], current[k]});
  if (peak <= 0) peak = 1;
  svg << "<line x1=\"" << left << "\" y1=\"" << top + plotHeight << "\" x2=\"" << left + plotWidth
      << "\" y2=\"" << top + plotHeight << "\" stroke=\"#888\"/>";
  const double slot = bins ? plotWidth / double(bins) : plotWidth;
  for (std::size_t k = 0; k < bins; ++k) {
    const double x = left + slot * double(k);
    const double hr = plotHeight * reference[k] / peak;
    const double hc = plotHeight * current[k] / peak;
    svg << "<rect x=\"" << formatNumber(x + slot * 0.08, 6) << "\" y=\""
        << formatNumber(top + plotHeight - hr, 6) << "\" width=\"" << formatNumber(slot * 0.84, 6)
        << "\" height=\"" << formatNumber(hr, 6) << "\" fill=\"#9aa5b1\" fill-opacity=\"0.8\"><title>"
        << escapeHtml(k < labels.size() ? labels[k] : "") << ": reference "
        << formatNumber(reference[k] * 100, 3) << "%</title></rect>";
    svg << "<rect x=\"" << formatNumber(x + slot * 0.25, 6) << "\" y=\""
        << formatNumber(top + plotHeight - hc, 6) << "\" width=\"" << formatNumber(slot * 0.5, 6)
        << "\" height=\"" << formatNumber(hc, 6) << "\" fill=\"#e8710a\" fill-opacity=\"0.85\"><title>"
        << escapeHtml(k < labels.size() ? labels[k] : "") << ": current "
        << formatNumber(current[k] * 100, 3) << "%</title></rect>";
  }
  if (!labels.empty()) {
    svg << "<text x=\"" << left << "\" y=\"" << height - 6
        << "\" font-size=\"10\" fill=\"#555\">" << escapeHtml(labels.front()) << "</text>";
    svg << "<text x=\"" << left + plotWidth << "\" y=\"" << height - 6
        << "\" font-size=\"10\" fill=\"#555\" text-anchor=\"end\">" << escapeHtml(labels.back())
        << "</text>";
  }
  svg << "<rect x=\"" << left << "\" y=\"3\" width=\"10\" height=\"10\" fill=\"#9aa5b1\"/>"
      << "<text x=\"" << left + 14 << "\" y=\"12\" font-size=\"10\">reference</text>"
      << "<rect x=\"" << left + 80 << "\" y=\"3\" width=\"10\" height=\"10\" fill=\"#e8710a\"/>"
      << "<text x=\"" << left + 94 << "\" y=\"12\" font-size=\"10\">current</text>";
  svg << "</svg>";
  return svg.str();
}

}  // namespace geih::report
