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

}  // namespace geih::report
