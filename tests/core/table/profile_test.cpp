#include <gtest/gtest.h>

#include <cmath>

#include "core/table/profile.h"

namespace geih::table {
namespace {

ColumnProfile profileOf(Column column) {
  Table t;
  t.addColumn(std::move(column));
  return profileTable(t).front();
}

TEST(ProfileTest, OneToFive) {
  const ColumnProfile p = profileOf(Column::numeric("v", {3, 1, 5, 2, 4}));
  EXPECT_EQ(p.count, 5u);
  EXPECT_EQ(p.missing, 0u);
  EXPECT_EQ(p.distinct, 5u);
  EXPECT_DOUBLE_EQ(*p.mean, 3.0);
  EXPECT_DOUBLE_EQ(*p.stddev, std::sqrt(2.5));  // sample std: 10 / 4
  EXPECT_EQ(*p.min, 1.0);
  EXPECT_EQ(*p.max, 5.0);
  // numpy.quantile([1,2,3,4,5], [.05,.25,.5,.75,.95]) = [1.2, 2, 3, 4, 4.8]
  ASSERT_EQ(p.quantiles.size(), 5u);
  EXPECT_DOUBLE_EQ(p.quantiles[0], 1.2);
  EXPECT_DOUBLE_EQ(p.quantiles[1], 2.0);
  EXPECT_DOUBLE_EQ(p.quantiles[2], 3.0);
  EXPECT_DOUBLE_EQ(p.quantiles[3], 4.0);
  EXPECT_DOUBLE_EQ(p.quantiles[4], 4.8);
  EXPECT_TRUE(p.topValues.empty());
}

TEST(ProfileTest, NumericWithMissingAndTies) {
  const ColumnProfile p = profileOf(Column::numeric("v", {4, 1, std::nan(""), 3, 2, 5, 5}));
  EXPECT_EQ(p.count, 6u);
  EXPECT_EQ(p.missing, 1u);
  EXPECT_EQ(p.distinct, 5u);
  EXPECT_DOUBLE_EQ(*p.mean, 20.0 / 6.0);
  // Sample variance: sum (x - 10/3)^2 / 5 = (40/3) / 5
  EXPECT_NEAR(*p.stddev, std::sqrt((40.0 / 3.0) / 5.0), 1e-12);
  // numpy.quantile([1,2,3,4,5,5], [.05,.25,.5,.75,.95]) = [1.25, 2.25, 3.5, 4.75, 5.0]
  ASSERT_EQ(p.quantiles.size(), 5u);
  EXPECT_DOUBLE_EQ(p.quantiles[0], 1.25);
  EXPECT_DOUBLE_EQ(p.quantiles[1], 2.25);
  EXPECT_DOUBLE_EQ(p.quantiles[2], 3.5);
  EXPECT_DOUBLE_EQ(p.quantiles[3], 4.75);
  EXPECT_DOUBLE_EQ(p.quantiles[4], 5.0);
}

TEST(ProfileTest, SingleValueHasNoStdAndAllMissingHasNoStatistics) {
  const ColumnProfile one = profileOf(Column::numeric("v", {7}));
  EXPECT_DOUBLE_EQ(*one.mean, 7.0);
  EXPECT_FALSE(one.stddev.has_value());
  EXPECT_EQ(one.quantiles, (std::vector<double>(5, 7.0)));

  const ColumnProfile none = profileOf(Column::numeric("v", {std::nan(""), std::nan("")}));
  EXPECT_EQ(none.count, 0u);
  EXPECT_EQ(none.missing, 2u);
  EXPECT_FALSE(none.mean.has_value());
  EXPECT_FALSE(none.min.has_value());
  EXPECT_TRUE(none.quantiles.empty());
  EXPECT_TRUE(toJson(none)["mean"].is_null());
}

TEST(ProfileTest, CategoricalTopValuesMostFrequentFirstTiesByValue) {
  const ColumnProfile p = profileOf(Column::categoricalFromStrings(
      "c", {"b", "a", "b", "c", "a", "d", ""}, {false, false, false, false, false, false, true}));
  EXPECT_EQ(p.count, 6u);
  EXPECT_EQ(p.missing, 1u);
  EXPECT_EQ(p.distinct, 4u);
  EXPECT_FALSE(p.mean.has_value());
  const std::vector<std::pair<std::string, std::size_t>> expected = {
      {"a", 2}, {"b", 2}, {"c", 1}, {"d", 1}};
  EXPECT_EQ(p.topValues, expected);
  const auto json = toJson(p);
  EXPECT_EQ(json["type"], "categorical");
  EXPECT_TRUE(json["mean"].is_null());
  EXPECT_EQ(json["top_values"][0][0], "a");
  EXPECT_EQ(json["top_values"][0][1], 2);
}

TEST(ProfileTest, TopValuesKeepsAtMostTen) {
  std::vector<std::string> values;
  for (int i = 0; i < 12; ++i) values.push_back("v" + std::to_string(i));
  EXPECT_EQ(profileOf(Column::categoricalFromStrings("c", values)).topValues.size(), 10u);
}

TEST(ProfileTest, BooleanHasShareAsMeanAndTopValues) {
  const ColumnProfile p = profileOf(Column::boolean("b", {1, 0, 1, kMissingBool, 1}));
  EXPECT_EQ(p.type, ColumnType::Boolean);
  EXPECT_EQ(p.count, 4u);
  EXPECT_EQ(p.missing, 1u);
  EXPECT_EQ(p.distinct, 2u);
  EXPECT_DOUBLE_EQ(*p.mean, 0.75);
  EXPECT_DOUBLE_EQ(*p.stddev, 0.5);  // sqrt((3 * 0.0625 + 0.5625) / 3)
  // numpy.quantile([0,1,1,1], [.05,.25,.5,.75,.95]) = [0.15, 0.75, 1, 1, 1]
  EXPECT_DOUBLE_EQ(p.quantiles[0], 0.15);
  EXPECT_DOUBLE_EQ(p.quantiles[1], 0.75);
  EXPECT_DOUBLE_EQ(p.quantiles[2], 1.0);
  const std::vector<std::pair<std::string, std::size_t>> expected = {{"true", 3}, {"false", 1}};
  EXPECT_EQ(p.topValues, expected);
}

TEST(ProfileTest, SchemaJsonListsNamesAndTypes) {
  Table t;
  t.addColumn(Column::numeric("x", {1}));
  t.addColumn(Column::boolean("b", {1}));
  const auto schema = schemaJson(t);
  ASSERT_EQ(schema.size(), 2u);
  EXPECT_EQ(schema[0]["name"], "x");
  EXPECT_EQ(schema[0]["type"], "numeric");
  EXPECT_EQ(schema[1]["type"], "boolean");
}

}  // namespace
}  // namespace geih::table
