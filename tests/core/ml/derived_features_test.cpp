#include "core/ml/derived_features.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/common/error.h"
#include "core/ml/learner_registry.h"

namespace geih::ml {
namespace {

using table::Column;
using table::Table;

double at(const Table& t, const std::string& name, std::size_t row) {
  return t.column(name).numberAt(row);
}

TEST(DerivedFeaturesTest, LagsAndRollingMeansFollowTheOrderWithinGroups) {
  // Two cells, days out of order in the table.
  Table data;
  data.addColumn(Column::numeric("day", {3, 1, 2, 1, 2, 3}));
  data.addColumn(Column::categoricalFromStrings("cell", {"a", "a", "a", "b", "b", "b"}));
  data.addColumn(Column::numeric("rain", {30, 10, 20, 1, NAN, 3}));
  DerivedFeatures derived;
  derived.orderBy = "day";
  derived.groupBy = "cell";
  derived.lags = {{"rain", 1}, {"rain", 2}};
  derived.rollingMeans = {{"rain", 2}};
  const Table out = derived.apply(data);
  ASSERT_EQ(out.columnCount(), 6u);
  // Cell a: day 1 = 10, day 2 = 20, day 3 = 30 (rows 1, 2, 0).
  EXPECT_EQ(at(out, "rain_lag1", 0), 20.0);
  EXPECT_EQ(at(out, "rain_lag1", 2), 10.0);
  EXPECT_TRUE(std::isnan(at(out, "rain_lag1", 1)));
  EXPECT_EQ(at(out, "rain_lag2", 0), 10.0);
  EXPECT_EQ(at(out, "rain_mean2", 0), 15.0);  // (20 + 10) / 2, today excluded
  EXPECT_EQ(at(out, "rain_mean2", 2), 10.0);
  // Cell b: day 1 = 1, day 2 = missing, day 3 = 3; never reaches into cell a.
  EXPECT_TRUE(std::isnan(at(out, "rain_lag1", 3)));
  EXPECT_EQ(at(out, "rain_lag1", 4), 1.0);
  EXPECT_TRUE(std::isnan(at(out, "rain_lag1", 5)));  // the value a lag copies is missing
  EXPECT_EQ(at(out, "rain_mean2", 5), 1.0);           // the missing day is skipped
  derived.orderBy.clear();
  EXPECT_THROW(derived.apply(data), InputError);
}

TEST(DerivedFeaturesTest, SeasonalityFromIsoDatesAndInteractions) {
  Table data;
  // 2024-01-01 was a Monday; 2024-07-01 is day 183 of the leap year 2024; 2023-12-31 a Sunday.
  data.addColumn(Column::categoricalFromStrings("date", {"2024-01-01", "2024-07-01", "2023-12-31"}));
  data.addColumn(Column::numeric("t", {2, 3, 4}));
  data.addColumn(Column::numeric("h", {0.5, 0.25, 1}));
  DerivedFeatures derived;
  derived.seasonalityFrom = "date";
  derived.interactions = {{"t", "h"}};
  const Table out = derived.apply(data);
  EXPECT_DOUBLE_EQ(at(out, "doy_sin", 0), 0.0);
  EXPECT_DOUBLE_EQ(at(out, "doy_cos", 0), 1.0);
  EXPECT_NEAR(at(out, "doy_sin", 1), std::sin(6.283185307179586 * 182 / 365.25), 1e-15);
  EXPECT_EQ(at(out, "month", 1), 7.0);
  EXPECT_EQ(at(out, "weekday", 0), 0.0);
  EXPECT_EQ(at(out, "weekday", 2), 6.0);
  EXPECT_EQ(at(out, "t_x_h", 0), 1.0);
  EXPECT_EQ(at(out, "t_x_h", 2), 4.0);
  Table bad = data;
  bad.addColumn(Column::categoricalFromStrings("when", {"2024-02-30", "x", "y"}));
  derived.seasonalityFrom = "when";
  try {
    derived.apply(bad);
    FAIL() << "accepted February 30";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("data row 1"), std::string::npos) << error.what();
  }
}

TEST(DerivedFeaturesTest, AModelDerivesItsFeaturesWhenScoringRawRows) {
  Table data;
  std::vector<double> day, x, y;
  for (int i = 0; i < 200; ++i) {
    day.push_back(i);
    x.push_back(std::sin(i * 0.3));
    y.push_back(i == 0 ? 0.0 : 2.0 * std::sin((i - 1) * 0.3));  // y follows yesterday's x
  }
  data.addColumn(Column::numeric("day", day));
  data.addColumn(Column::numeric("x", x));
  data.addColumn(Column::numeric("y", y));
  DerivedFeatures derived;
  derived.orderBy = "day";
  derived.lags = {{"x", 1}};
  // Day 0 has no yesterday: train on the days after it.
  std::vector<std::size_t> rows;
  for (std::size_t i = 1; i < 200; ++i) rows.push_back(i);
  const Table prepared = derived.apply(data).selectRows(rows);
  auto model = makeLearner("linear", {{"penalty", "none"}})
                   ->fit({&prepared, "y", {"x", "x_lag1"}, Task::Regression}, Progress::none());
  model->setDerivedFeatures(derived);
  const auto loaded = loadModelText(model->toJson().dump(), "m.json");
  EXPECT_EQ(loaded->derivedFeatures().lags.size(), 1u);
  const std::vector<double> predicted = loaded->predict(data);  // raw rows: no x_lag1 column
  for (std::size_t i = 1; i < predicted.size(); ++i) EXPECT_NEAR(predicted[i], y[i], 1e-9);
  EXPECT_THROW(parseColumnCounts("rain"), InputError);
  EXPECT_THROW(parseColumnCounts("rain:0"), InputError);
  EXPECT_EQ(parseColumnCounts("rain:1,7").size(), 2u);
  EXPECT_THROW(parseInteraction("a*"), InputError);
}

}  // namespace
}  // namespace geih::ml
