// geih report run|model|map and geih drift --output as HTML and PDF on the demo workspace. A PDF
// is checked as a PDF (header, pages, the end-of-file marker) and by its size; the HTML by what
// it must say. Bad subjects and extensions exit 2 and write nothing.
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/cli/cli_runner.h"

namespace geih::cli::testing {
namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::size_t pages(const std::string& pdf) {
  std::size_t n = 0;
  for (std::size_t at = pdf.find("/Type /Page\n"); at != std::string::npos; at = pdf.find("/Type /Page\n", at + 1)) ++n;
  return n;
}

void expectPdf(const std::string& path, std::size_t minPages) {
  const std::string pdf = slurp(path);
  ASSERT_GT(pdf.size(), 2000u) << path;
  EXPECT_EQ(pdf.substr(0, 5), "%PDF-") << path;
  EXPECT_NE(pdf.rfind("%%EOF"), std::string::npos) << path;
  EXPECT_GE(pages(pdf), minPages) << path;
}

TEST(CliReportTest, RunModelMapAndDriftAsHtmlAndPdf) {
  TempDir dir("geih_cli_report");
  const std::string ws = dir / "ws";
  Result r = runGeih({"demo", "--workspace", ws, "--rows", "3000", "--format", "json", "--quiet"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const auto demo = nlohmann::json::parse(r.out);
  const std::string best = demo["best_run_id"];

  r = runGeih({"report", "run", best.substr(0, 8), "-o", dir / "run.html", "-w", ws, "-q"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const std::string runHtml = slurp(dir / "run.html");
  EXPECT_NE(runHtml.find("ROC curve"), std::string::npos);
  EXPECT_NE(runHtml.find("Confusion matrix"), std::string::npos);
  EXPECT_NE(runHtml.find("fire_demo"), std::string::npos);
  r = runGeih({"report", "run", best, "-o", dir / "run.pdf", "-w", ws, "-q"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_TRUE(r.err.empty()) << "no Qt chatter on stderr: " << r.err;
  expectPdf(dir / "run.pdf", 2);

  r = runGeih({"report", "model", "fire-risk@champion", "-o", dir / "card.pdf", "-w", ws, "-q"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  expectPdf(dir / "card.pdf", 3);
  r = runGeih({"report", "model", "fire-risk@production", "-o", dir / "card.html", "-w", ws, "-q"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(slurp(dir / "card.html").find("Model card: fire-risk version 2"), std::string::npos);

  const std::string map = demo["risk_map"];
  // The preview carries its legend: a strip under the 400 x 400 map (PNG IHDR: width, height).
  const std::filesystem::path mapPath(map);
  const std::string png = slurp((mapPath.parent_path() / (mapPath.stem().string() + "_classes.png")).string());
  ASSERT_GT(png.size(), 24u);
  const auto be32 = [&](std::size_t at) {
    return (std::uint32_t(std::uint8_t(png[at])) << 24) | (std::uint32_t(std::uint8_t(png[at + 1])) << 16) |
           (std::uint32_t(std::uint8_t(png[at + 2])) << 8) | std::uint32_t(std::uint8_t(png[at + 3]));
  };
  EXPECT_EQ(be32(16), 400u);
  EXPECT_GT(be32(20), 400u + 5 * 15);
  r = runGeih({"report", "map", map, "-o", dir / "map.html", "-q"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const std::string mapHtml = slurp(dir / "map.html");
  EXPECT_NE(mapHtml.find("data:image/png;base64,iVBORw0KGgo"), std::string::npos) << "the preview PNG is embedded";
  EXPECT_NE(mapHtml.find("critical"), std::string::npos);
  r = runGeih({"report", "map", map, "-o", dir / "map.pdf", "-q"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  expectPdf(dir / "map.pdf", 1);

  const std::string external = (std::filesystem::path(std::string(demo["data"])).parent_path()).string();
  r = runGeih({"drift", "--reference", demo["data"], "--current", external + "/fire_current.csv", "--output",
               dir / "drift.pdf", "-q"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  expectPdf(dir / "drift.pdf", 2);
}

TEST(CliReportTest, BadSubjectsAndExtensionsExitTwo) {
  TempDir dir("geih_cli_report_bad");
  const std::string ws = dir / "ws";
  ASSERT_EQ(runGeih({"demo", "--workspace", ws, "--rows", "2000", "--quiet"}).exitCode, 0);
  Result r = runGeih({"report", "run", "ffffffffffff", "-o", dir / "a.html", "-w", ws});
  EXPECT_EQ(r.exitCode, 2);
  r = runGeih({"report", "model", "fire-risk@9", "-o", dir / "b.pdf", "-w", ws});
  EXPECT_EQ(r.exitCode, 2);
  r = runGeih({"report", "model", "fire-risk@production", "-o", dir / "c.docx", "-w", ws});
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_NE(r.err.find(".html or .pdf"), std::string::npos) << r.err;
  r = runGeih({"report", "map", dir / "nothing.tif", "-o", dir / "d.html"});
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_NE(r.err.find("sidecar"), std::string::npos) << r.err;
  for (const char* name : {"a.html", "b.pdf", "c.docx", "d.html"}) EXPECT_FALSE(std::filesystem::exists(dir / name)) << name;
}

}  // namespace
}  // namespace geih::cli::testing
