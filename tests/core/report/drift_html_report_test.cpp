// The HTML drift report: verdict first, every feature in the table, drifted rows marked, one SVG
// histogram per feature, text escaped, tags balanced, nothing fetched from the network.
#include <gtest/gtest.h>

#include <regex>
#include <vector>

#include "core/report/drift_html_report.h"
#include "core/report/html_text.h"
#include "core/report/svg_chart.h"

namespace geih::report {
namespace {

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

drift::DriftReport sampleReport() {
  drift::DriftReport report;
  drift::ColumnDrift shifted;
  shifted.name = "temp<erature>";
  shifted.type = "numeric";
  shifted.test = "wasserstein";
  shifted.statistic = 0.68;
  shifted.threshold = 0.1;
  shifted.drifted = true;
  shifted.histogram = {{"[0, 1)", "[1, 2)"}, {0.75, 0.25}, {0.25, 0.75}};
  shifted.quality.outOfRangeShare = 0.125;
  drift::ColumnDrift stable;
  stable.name = "cover";
  stable.type = "categorical";
  stable.test = "chisquare";
  stable.statistic = 1.5;
  stable.pValue = 0.47;
  stable.threshold = 0.05;
  stable.histogram = {{"forest", "savanna"}, {0.5, 0.5}, {0.5, 0.5}};
  stable.quality.newCategories = {"burnt & bare"};
  report.columns = {shifted, stable};
  report.testedCount = 2;
  report.driftedCount = 1;
  report.shareDrifted = 0.5;
  report.datasetDrift = true;
  report.onlyInReference = {"old_col"};
  report.referenceRows = 100;
  report.currentRows = 80;
  return report;
}

TEST(HtmlTextTest, EscapesMarkupAndFormatsNumbers) {
  EXPECT_EQ(escapeHtml("a<b & \"c\" 'd'>"), "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;");
  EXPECT_EQ(formatNumber(0.123456789), "0.1235");
  EXPECT_EQ(formatNumber(INFINITY), "inf");
}

TEST(DriftHtmlReportTest, VerdictTableHistogramsAndEscaping) {
  DriftReportContext context;
  context.reference = "fire_2023 v1";
  context.current = "fire_2024 v1";
  context.model = "fire version 3 (Production)";
  const std::string html = driftReportHtml(sampleReport(), context);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  // The verdict comes before the feature table.
  const auto verdict = html.find("Dataset drift detected");
  ASSERT_NE(verdict, std::string::npos);
  EXPECT_LT(verdict, html.find("<h2>Features</h2>"));
  EXPECT_NE(html.find("1 of 2 features drifted (50%"), std::string::npos);
  // Escaped names, never raw markup from the data.
  EXPECT_NE(html.find("temp&lt;erature&gt;"), std::string::npos);
  EXPECT_EQ(html.find("temp<erature>"), std::string::npos);
  EXPECT_NE(html.find("new categories: burnt &amp; bare"), std::string::npos);
  EXPECT_NE(html.find("12.5% outside the reference range"), std::string::npos);
  EXPECT_NE(html.find("missing from the current data: old_col"), std::string::npos);
  EXPECT_EQ(count(html, "<tr class=\"drifted\">"), 1u);
  EXPECT_EQ(count(html, "<svg "), 2u);
  EXPECT_EQ(count(html, "<svg "), count(html, "</svg>"));
  EXPECT_EQ(count(html, "<table>"), count(html, "</table>"));
  EXPECT_EQ(count(html, "<tr"), count(html, "</tr>"));
  // Self-contained: no scripts and no external resources.
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("http://www.w3.org/2000/svg"), html.find("http"));  // the SVG namespace only
  EXPECT_EQ(count(html, "http"), count(html, "http://www.w3.org/2000/svg"));
}

TEST(SvgChartTest, BarHeightsFollowTheShares) {
  // Peak share 0.75 fills the plot height (140 - 40 = 100 px); 0.25 is a third of it.
  const std::string svg = histogramOverlaySvg({"a", "b"}, {0.75, 0.25}, {0.25, 0.75});
  EXPECT_NE(svg.find("height=\"100\""), std::string::npos);
  EXPECT_NE(svg.find("height=\"33.3333\""), std::string::npos);
  EXPECT_EQ(count(svg, "<rect"), 4u + 2u);  // 2 bins x 2 series + 2 legend swatches
}

}  // namespace
}  // namespace geih::report
