#include "core/report/svg_chart.h"

#include <algorithm>
#include <cmath>
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

std::string unitLineChartSvg(const std::string& xLabel, const std::string& yLabel,
                             const std::vector<LineSeries>& series, bool diagonal, int width, int height) {
  const double left = 42, right = 12, top = 12, bottom = 40;
  const double plotWidth = width - left - right;
  const double plotHeight = height - top - bottom;
  const auto px = [&](double x) { return formatNumber(left + std::clamp(x, 0.0, 1.0) * plotWidth, 6); };
  const auto py = [&](double y) { return formatNumber(top + (1.0 - std::clamp(y, 0.0, 1.0)) * plotHeight, 6); };
  std::ostringstream svg;
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height
      << "\" viewBox=\"0 0 " << width << " " << height << "\" role=\"img\">";
  svg << "<rect x=\"" << left << "\" y=\"" << top << "\" width=\"" << plotWidth << "\" height=\"" << plotHeight
      << "\" fill=\"none\" stroke=\"#888\"/>";
  for (double tick : {0.0, 0.5, 1.0}) {
    svg << "<text x=\"" << px(tick) << "\" y=\"" << top + plotHeight + 14
        << "\" font-size=\"10\" text-anchor=\"middle\" fill=\"#555\">" << formatNumber(tick, 2) << "</text>";
    svg << "<text x=\"" << left - 4 << "\" y=\"" << py(tick) << "\" font-size=\"10\" text-anchor=\"end\" "
        << "dominant-baseline=\"middle\" fill=\"#555\">" << formatNumber(tick, 2) << "</text>";
  }
  svg << "<text x=\"" << left + plotWidth / 2 << "\" y=\"" << height - 6
      << "\" font-size=\"11\" text-anchor=\"middle\">" << escapeHtml(xLabel) << "</text>";
  svg << "<text x=\"12\" y=\"" << top + plotHeight / 2 << "\" font-size=\"11\" text-anchor=\"middle\" "
      << "transform=\"rotate(-90 12 " << top + plotHeight / 2 << ")\">" << escapeHtml(yLabel) << "</text>";
  if (diagonal) {
    svg << "<line x1=\"" << px(0) << "\" y1=\"" << py(0) << "\" x2=\"" << px(1) << "\" y2=\"" << py(1)
        << "\" stroke=\"#bbb\" stroke-dasharray=\"4 3\"/>";
  }
  for (std::size_t s = 0; s < series.size(); ++s) {
    const LineSeries& line = series[s];
    svg << "<polyline fill=\"none\" stroke=\"" << escapeHtml(line.colour) << "\" stroke-width=\"2\" points=\"";
    for (std::size_t i = 0; i < std::min(line.x.size(), line.y.size()); ++i) {
      svg << (i ? " " : "") << px(line.x[i]) << "," << py(line.y[i]);
    }
    svg << "\"/>";
    const double ly = top + 14 + 14 * double(s);
    svg << "<line x1=\"" << left + plotWidth - 120 << "\" y1=\"" << ly << "\" x2=\"" << left + plotWidth - 104
        << "\" y2=\"" << ly << "\" stroke=\"" << escapeHtml(line.colour) << "\" stroke-width=\"2\"/>";
    svg << "<text x=\"" << left + plotWidth - 100 << "\" y=\"" << ly + 4 << "\" font-size=\"10\">"
        << escapeHtml(line.name) << "</text>";
  }
  svg << "</svg>";
  return svg.str();
}

std::string horizontalBarsSvg(const std::vector<std::string>& labels, const std::vector<double>& values,
                              const std::vector<double>& spread, int width) {
  const std::size_t n = std::min(labels.size(), values.size());
  const double rowHeight = 18;
  const double labelWidth = 170;
  const double valueWidth = 60;
  const double barSpace = width - labelWidth - valueWidth - 8;
  const int height = int(rowHeight * double(n) + 8);
  double peak = 0;
  for (std::size_t i = 0; i < n; ++i) {
    peak = std::max(peak, std::abs(values[i]) + (i < spread.size() ? spread[i] : 0.0));
  }
  if (peak <= 0) peak = 1;
  std::ostringstream svg;
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height
      << "\" viewBox=\"0 0 " << width << " " << height << "\" role=\"img\">";
  for (std::size_t i = 0; i < n; ++i) {
    const double y = 4 + rowHeight * double(i);
    const double w = barSpace * std::max(0.0, values[i]) / peak;
    svg << "<text x=\"" << labelWidth - 6 << "\" y=\"" << y + 12 << "\" font-size=\"11\" text-anchor=\"end\">"
        << escapeHtml(labels[i]) << "</text>";
    svg << "<rect x=\"" << labelWidth << "\" y=\"" << y + 2 << "\" width=\"" << formatNumber(w, 6)
        << "\" height=\"" << rowHeight - 5 << "\" fill=\"#1565c0\"/>";
    if (i < spread.size() && spread[i] > 0) {
      const double a = labelWidth + barSpace * std::max(0.0, values[i] - spread[i]) / peak;
      const double b = labelWidth + barSpace * (values[i] + spread[i]) / peak;
      svg << "<line x1=\"" << formatNumber(a, 6) << "\" y1=\"" << y + 8 << "\" x2=\"" << formatNumber(b, 6)
          << "\" y2=\"" << y + 8 << "\" stroke=\"#222\"/>";
    }
    svg << "<text x=\"" << labelWidth + barSpace + 6 << "\" y=\"" << y + 12 << "\" font-size=\"10\" fill=\"#555\">"
        << formatNumber(values[i], 3) << "</text>";
  }
  svg << "</svg>";
  return svg.str();
}

}  // namespace geih::report
