// The drift report on tables with known shifts: the test chosen per column as Evidently chooses
// it, verdicts, data quality, schema differences, overrides and multiple-testing corrections.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/common/error.h"
#include "core/common/rng.h"
#include "core/drift/column_pair.h"
#include "core/drift/drift_report.h"
#include "core/drift/drift_test.h"
#include "core/drift/ks_test.h"

namespace geih::drift {
namespace {

using table::Column;
using table::Table;

std::vector<double> normals(std::size_t n, double mean, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<double> values(n);
  for (double& v : values) v = mean + rng.normal();
  return values;
}

Column categories(const std::string& name, std::size_t n, const std::vector<std::string>& levels,
                  std::uint64_t seed) {
  Rng rng(seed);
  std::vector<std::string> values(n);
  for (std::string& v : values) v = levels[rng.below(levels.size())];
  return Column::categoricalFromStrings(name, values);
}

const ColumnDrift& find(const DriftReport& report, const std::string& name) {
  for (const ColumnDrift& column : report.columns) {
    if (column.name == name) return column;
  }
  throw NotFound(name);
}

TEST(DriftTestSelectionTest, ChoosesAsEvidentlyDoes) {
  const auto pairOf = [](const Column& a, const Column& b) { return makeColumnPair(a, b); };
  EXPECT_EQ(defaultDriftTest(pairOf(Column::numeric("x", normals(500, 0, 1)),
                                    Column::numeric("x", normals(500, 0, 2)))),
            "ks");
  EXPECT_EQ(defaultDriftTest(pairOf(Column::numeric("x", normals(2000, 0, 1)),
                                    Column::numeric("x", normals(100, 0, 2)))),
            "wasserstein");
  EXPECT_EQ(defaultDriftTest(pairOf(categories("c", 800, {"a", "b", "c"}, 1),
                                    categories("c", 800, {"a", "b", "c"}, 2))),
            "chisquare");
  EXPECT_EQ(defaultDriftTest(pairOf(categories("c", 800, {"a", "b"}, 1),
                                    categories("c", 800, {"a", "b"}, 2))),
            "z");
  EXPECT_EQ(defaultDriftTest(pairOf(categories("c", 5000, {"a", "b", "c"}, 1),
                                    categories("c", 50, {"a", "b", "c"}, 2))),
            "jensenshannon");
  // A number with three distinct values counts as categorical.
  std::vector<double> levels(3000);
  for (std::size_t i = 0; i < levels.size(); ++i) levels[i] = double(i % 3);
  EXPECT_EQ(defaultDriftTest(pairOf(Column::numeric("n", levels), Column::numeric("n", levels))),
            "jensenshannon");
}

TEST(DriftReportTest, FindsTheShiftedColumnsAndReportsQuality) {
  Table reference;
  reference.addColumn(Column::numeric("temperature", normals(3000, 20, 11)));
  reference.addColumn(Column::numeric("humidity", normals(3000, 60, 12)));
  reference.addColumn(categories("land_cover", 3000, {"forest", "savanna", "crop"}, 13));
  reference.addColumn(Column::numeric("only_before", normals(3000, 0, 14)));
  Table current;
  current.addColumn(Column::numeric("temperature", normals(3000, 21, 21)));  // +1 std
  current.addColumn(Column::numeric("humidity", normals(3000, 60, 22)));     // same law
  current.addColumn(categories("land_cover", 3000, {"forest", "savanna", "crop", "burnt", "burnt"}, 23));
  current.addColumn(categories("only_before", 3000, {"x"}, 24));  // now text: a type change

  Progress progress;
  const DriftReport report = computeDriftReport(reference, current, {}, progress);
  ASSERT_EQ(report.columns.size(), 3u);
  const ColumnDrift& temperature = find(report, "temperature");
  EXPECT_EQ(temperature.test, "wasserstein");
  EXPECT_NEAR(temperature.statistic, 1.0, 0.1);  // a one-std shift, in reference stds
  EXPECT_TRUE(temperature.drifted);
  EXPECT_GT(temperature.quality.outOfRangeShare, 0.0);
  const ColumnDrift& humidity = find(report, "humidity");
  EXPECT_LT(humidity.statistic, 0.1);
  EXPECT_FALSE(humidity.drifted);
  const ColumnDrift& cover = find(report, "land_cover");
  EXPECT_EQ(cover.test, "jensenshannon");
  EXPECT_TRUE(cover.drifted);
  EXPECT_EQ(cover.quality.newCategories, std::vector<std::string>{"burnt"});
  EXPECT_EQ(report.typeChanges, std::vector<std::string>{"only_before: numeric -> categorical"});

  EXPECT_EQ(report.testedCount, 3u);
  EXPECT_EQ(report.driftedCount, 2u);
  EXPECT_DOUBLE_EQ(report.shareDrifted, 2.0 / 3.0);
  EXPECT_TRUE(report.datasetDrift);

  // Histograms share bins: shares of each side sum to 1.
  double sum = 0;
  for (double share : temperature.histogram.reference) sum += share;
  EXPECT_NEAR(sum, 1.0, 1e-12);
  EXPECT_EQ(temperature.histogram.labels.size(), 20u);

  const nlohmann::json json = toJson(report);
  EXPECT_EQ(json["features"].size(), 3u);
  EXPECT_EQ(json["dataset_drift"], true);
  EXPECT_DOUBLE_EQ(json["share_drifted"].get<double>(), 2.0 / 3.0);
  EXPECT_TRUE(json["features"][0]["p_value"].is_null());  // distances have no p-value
}

TEST(DriftReportTest, OverridesThresholdsAndErrors) {
  Table reference;
  reference.addColumn(Column::numeric("x", normals(400, 0, 1)));
  reference.addColumn(Column::numeric("y", normals(400, 0, 2)));
  Table current;
  current.addColumn(Column::numeric("x", normals(300, 0.3, 3)));
  current.addColumn(Column::numeric("y", normals(300, 0, 4)));
  Progress progress;
  DriftOptions options;
  options.tests["x"] = "psi";
  options.thresholds["y"] = 0.5;
  const DriftReport report = computeDriftReport(reference, current, options, progress);
  EXPECT_EQ(find(report, "x").test, "psi");
  EXPECT_EQ(find(report, "y").test, "ks");  // small reference
  EXPECT_EQ(find(report, "y").threshold, 0.5);
  // ks on y equals the KS test itself.
  const KsResult ks = ksTwoSample(reference.column("y").numbers(), current.column("y").numbers());
  EXPECT_DOUBLE_EQ(find(report, "y").statistic, ks.statistic);
  EXPECT_DOUBLE_EQ(*find(report, "y").pValue, ks.pValue);
  EXPECT_EQ(find(report, "y").drifted, ks.pValue < 0.5);

  DriftOptions unknownTest;
  unknownTest.tests["x"] = "magic";
  EXPECT_THROW(computeDriftReport(reference, current, unknownTest, progress), InputError);
  DriftOptions unknownColumn;
  unknownColumn.columns = {"z"};
  EXPECT_THROW(computeDriftReport(reference, current, unknownColumn, progress), InputError);
  DriftOptions badShare;
  badShare.driftShare = 0;
  EXPECT_THROW(computeDriftReport(reference, current, badShare, progress), InputError);
  EXPECT_THROW(computeDriftReport(Table{}, current, {}, progress), InputError);

  Progress cancelled;
  cancelled.cancel();
  EXPECT_THROW(computeDriftReport(reference, current, {}, cancelled), Cancelled);
}

TEST(DriftReportTest, BonferroniAndBenjaminiHochbergOnKnownPValues) {
  // Four small numeric columns with shifts 0, 0.15, 0.3, 0.6: their KS p-values are computed
  // here and the corrected verdicts derived by hand from them.
  Table reference;
  Table current;
  const double shifts[] = {0.0, 0.15, 0.3, 0.6};
  std::vector<double> pValues;
  for (int i = 0; i < 4; ++i) {
    const std::string name = "c" + std::to_string(i);
    const auto a = normals(300, 0, 100 + i);
    const auto b = normals(300, shifts[i], 200 + i);
    reference.addColumn(Column::numeric(name, a));
    current.addColumn(Column::numeric(name, b));
    pValues.push_back(ksTwoSample(a, b).pValue);
  }
  Progress progress;
  DriftOptions bonferroni;
  bonferroni.correction = Correction::Bonferroni;
  const DriftReport b = computeDriftReport(reference, current, bonferroni, progress);
  for (int i = 0; i < 4; ++i) {
    const ColumnDrift& column = find(b, "c" + std::to_string(i));
    EXPECT_DOUBLE_EQ(column.threshold, 0.05 / 4);
    EXPECT_EQ(column.drifted, pValues[i] < 0.05 / 4) << i;
  }

  DriftOptions bh;
  bh.correction = Correction::BenjaminiHochberg;
  const DriftReport h = computeDriftReport(reference, current, bh, progress);
  std::vector<int> order = {0, 1, 2, 3};
  std::sort(order.begin(), order.end(), [&](int x, int y) { return pValues[x] < pValues[y]; });
  std::size_t discoveries = 0;
  for (std::size_t rank = 0; rank < 4; ++rank) {
    if (pValues[order[rank]] <= double(rank + 1) / 4 * 0.05) discoveries = rank + 1;
  }
  for (std::size_t rank = 0; rank < 4; ++rank) {
    EXPECT_EQ(find(h, "c" + std::to_string(order[rank])).drifted, rank < discoveries) << rank;
  }
  // The strongest shift is found whatever the correction.
  EXPECT_TRUE(find(h, "c3").drifted);
  EXPECT_FALSE(find(b, "c0").drifted);
}

}  // namespace
}  // namespace geih::drift
