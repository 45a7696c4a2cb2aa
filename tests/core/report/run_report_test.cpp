// Run reports, model cards and risk-map reports on a real workspace: what they must say (the
// data's hash, params, metrics, confusion counts, gate results, open alerts, class areas), the
// charts they must draw, and base64 on RFC 4648's test vectors.
#include <gtest/gtest.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "core/common/error.h"
#include "core/report/html_text.h"
#include "core/report/map_report.h"
#include "core/report/run_report.h"
#include "core/store/monitoring_alerts.h"
#include "core/store/monitoring_log.h"
#include "core/store/registry.h"
#include "core/store/workspace.h"
#include "tests/core/store/store_test_util.h"

namespace geih::report {
namespace {

namespace fs = std::filesystem;

TEST(Base64, Rfc4648Vectors) {
  EXPECT_EQ(base64(""), "");
  EXPECT_EQ(base64("f"), "Zg==");
  EXPECT_EQ(base64("fo"), "Zm8=");
  EXPECT_EQ(base64("foo"), "Zm9v");
  EXPECT_EQ(base64("foob"), "Zm9vYg==");
  EXPECT_EQ(base64("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64(std::string("\xff\x00\x80", 3)), "/wCA");
}

std::size_t count(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

class RunReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    m_workspace = std::make_unique<store::Workspace>(store::Workspace::open(m_folder.path()));
    const std::int64_t experiment = m_workspace->createExperiment("fire");
    const fs::path data = m_folder.path() / "fire.csv";
    std::ofstream(data) << "x,y\n1,0\n2,1\n";
    const auto dataset = m_workspace->registerDataset("fire_2024", data, "{}", "{}", 2);
    m_sha = dataset.sha256;
    m_run = m_workspace->createRun(experiment, store::NewRun{"gbdt <best>", 7, "abc123", {}, {}});
    m_workspace->logParam(m_run, "learning_rate", "0.1");
    m_workspace->logMetric(m_run, "roc_auc", 0.875);
    m_workspace->logMetric(m_run, "cv_roc_auc_mean", 0.86);
    m_workspace->logMetric(m_run, "cv_roc_auc_std", 0.01);
    m_workspace->linkDataset(m_run, dataset.id, "train");
    m_workspace->logCurve(m_run, "roc", R"({"kind":"roc","x_label":"false_positive_rate","y_label":"true_positive_rate",
                                           "x":[0,0.2,1],"y":[0,0.8,1],"threshold":[null,0.5,0]})");
    m_workspace->logCurve(m_run, "confusion_matrix", R"({"threshold":0.5,"tp":41,"fp":7,"tn":930,"fn":22})");
    m_workspace->logCurve(m_run, "importance_permutation",
                          R"({"features":["ndvi","temperature"],"importance":[0.01,0.2],"std":[0.001,0.02]})");
    m_workspace->logArtifact(m_run, "model.json", "{}", "application/json");
    m_workspace->finishRun(m_run, store::RunStatus::Finished);
  }

  store::testing::TempFolder m_folder;
  std::unique_ptr<store::Workspace> m_workspace;
  std::string m_run, m_sha;
};

TEST_F(RunReportTest, RunReportSaysWhatWasTrainedOnWhatAndHowWell) {
  const std::string html = runReportHtml(*m_workspace, m_run.substr(0, 8));
  EXPECT_NE(html.find("gbdt &lt;best&gt;"), std::string::npos) << "names are escaped";
  EXPECT_NE(html.find(m_sha), std::string::npos);
  EXPECT_NE(html.find("abc123"), std::string::npos);
  EXPECT_NE(html.find("learning_rate"), std::string::npos);
  EXPECT_NE(html.find("0.875"), std::string::npos);
  EXPECT_EQ(count(html, "<svg"), 2u);  // ROC and importance (no PR curve was logged)
  EXPECT_NE(html.find("AUC 0.875"), std::string::npos);
  EXPECT_NE(html.find(">41<"), std::string::npos);
  EXPECT_NE(html.find(">930<"), std::string::npos);
  EXPECT_LT(html.find(">temperature<"), html.find(">ndvi<")) << "importance largest first";
  EXPECT_NE(html.find("Cross-validation"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("http://"), html.find("http://www.w3.org/2000/svg")) << "no network resource";
  EXPECT_THROW(runReportHtml(*m_workspace, "ffffffffffff"), NotFound);
}

TEST_F(RunReportTest, ModelCardPutsTheRegistryFirst) {
  store::Registry registry(*m_workspace);
  registry.registerVersion("fire-risk", m_run, "model.json", "first model");
  registry.setGates("fire-risk", R"({"rules": ["metrics.roc_auc >= 0.9"]})");
  registry.transition("fire-risk", 1, store::Stage::Production, "needed a map", true);
  store::MonitoringEvent failed;
  failed.modelName = "fire-risk";
  failed.modelVersion = 1;
  failed.kind = "predict";
  failed.ok = false;
  store::MonitoringLog(*m_workspace).log(failed);
  store::MonitoringAlerts alerts(*m_workspace);
  alerts.setRules("fire-risk", R"([{"max_error_rate": 0.5}])");
  alerts.check("fire-risk", 1);

  const std::string html = modelCardHtml(*m_workspace, "fire-risk@production");
  EXPECT_NE(html.find("Model card: fire-risk version 1"), std::string::npos);
  EXPECT_NE(html.find("Production"), std::string::npos);
  EXPECT_NE(html.find("metrics.roc_auc &gt;= 0.9"), std::string::npos);
  EXPECT_NE(html.find(">fail<"), std::string::npos);  // 0.875 < 0.9: forced in
  EXPECT_NE(html.find("Needs retraining"), std::string::npos);
  EXPECT_NE(html.find("needed a map"), std::string::npos);
  EXPECT_LT(html.find("Registry history"), html.find("Training run"));
  EXPECT_NE(html.find(m_sha), std::string::npos);
  EXPECT_THROW(modelCardHtml(*m_workspace, "fire-risk@7"), NotFound);
}

TEST(RiskMapReport, ReadsTheSidecarAndEmbedsThePreview) {
  store::testing::TempFolder folder;
  fs::create_directories(folder.path());
  const fs::path sidecar = folder.path() / "risk.json";
  std::ofstream(folder.path() / "risk.png", std::ios::binary) << "foobar";
  nlohmann::json info = {
      {"model", "fire-risk version 2 (Production)"}, {"model_sha256", "abc"}, {"run_id", "r1"},
      {"input", {{"path", "/data/stack.tif"}, {"sha256", "feed"}}},
      {"bands", {{{"feature", "ndvi"}, {"band", 3}}}},
      {"grid", {{"width", 10}, {"height", 20}, {"crs_wkt", "PROJCRS[\"SIRGAS 2000 / UTM zone 25S\",BASEGEOGCRS[]]"}}},
      {"outputs", {{"probability", "risk.tif"}, {"classes", "risk_classes.tif"}, {"preview", "risk.png"}, {"qgis_style", "risk.qml"}}},
      {"classes", {{{"name", "low"}, {"upper", 0.5}, {"rgb", {26, 150, 65}}, {"area_km2", 12.5}, {"share", 0.25}},
                   {{"name", "critical"}, {"upper", 1.0}, {"rgb", {215, 25, 28}}, {"area_km2", 37.5}, {"share", 0.75}}}},
      {"valid_pixels", 200}, {"nodata_pixels", 0}, {"mean_probability", 0.6}, {"created", "2026-11-30T00:00:00Z"}};
  std::ofstream(sidecar) << info.dump();
  const std::string html = riskMapReportHtml(folder.path() / "risk.tif");
  EXPECT_NE(html.find("data:image/png;base64,Zm9vYmFy"), std::string::npos);
  EXPECT_NE(html.find("rgb(215,25,28)"), std::string::npos);
  EXPECT_NE(html.find("37.5"), std::string::npos);
  EXPECT_NE(html.find("75 %"), std::string::npos);
  EXPECT_NE(html.find("0.5 – 1"), std::string::npos);
  EXPECT_NE(html.find("SIRGAS 2000 / UTM zone 25S"), std::string::npos);
  EXPECT_NE(html.find("feed"), std::string::npos);
  EXPECT_THROW(riskMapReportHtml(folder.path() / "other.tif"), InputError);
  std::ofstream(folder.path() / "bad.json") << R"({"model": "x"})";
  try {
    riskMapReportHtml(folder.path() / "bad.json");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("\"classes\""), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace geih::report
