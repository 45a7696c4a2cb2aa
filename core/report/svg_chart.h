// Inline SVG charts for the HTML reports: no scripts, no external resources.
#pragma once

#include <string>
#include <vector>

namespace geih::report {

// Reference and current shares per bin as overlaid bars (reference grey, current orange), with
// the first and last bin labels under the axis and a legend. Labels are escaped.
std::string histogramOverlaySvg(const std::vector<std::string>& labels,
                                const std::vector<double>& reference,
                                const std::vector<double>& current, int width = 360,
                                int height = 140);

struct LineSeries {
  std::string name;
  std::vector<double> x, y;
  std::string colour = "#1565c0";
};

// Line chart over [0, 1] x [0, 1] (ROC, PR): axes with ticks at 0, 0.5, 1, the axis labels, each
// series as a polyline with its name in a legend, and the chance diagonal when `diagonal`.
std::string unitLineChartSvg(const std::string& xLabel, const std::string& yLabel,
                             const std::vector<LineSeries>& series, bool diagonal, int width = 320,
                             int height = 300);

// Horizontal bars (feature importance), largest first as given, with each value and, when
// `spread` is not empty, a whisker of ± spread.
std::string horizontalBarsSvg(const std::vector<std::string>& labels, const std::vector<double>& values,
                              const std::vector<double>& spread = {}, int width = 520);

}  // namespace geih::report
