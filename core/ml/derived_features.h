// Features derived from the input columns before the FeaturePipeline, stored inside the model so
// scoring derives exactly what training did:
//   lags          <col>_lag<k>: the value k rows earlier, rows ordered by `orderBy` (within
//                 `groupBy` when given); missing when there is no such row
//   rolling means <col>_mean<k>: the mean of the k previous rows' values (the row itself
//                 excluded, so no label leaks into a same-day feature); missing values skipped,
//                 missing when none of the k rows has a value
//   seasonality   from a date column: doy_sin, doy_cos (day of year on the unit circle, period
//                 365.25), month (1-12) and weekday (0 = Monday) for ISO dates "YYYY-MM-DD...";
//                 a numeric column is read as the day of year and gives doy_sin and doy_cos
//   interactions  <a>_x_<b>: the product of two numeric columns
// apply() keeps the table's row order and columns and appends the derived ones.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/table/table.h"

namespace geih::ml {

struct DerivedFeatures {
  std::string orderBy;
  std::string groupBy;
  std::vector<std::pair<std::string, int>> lags;
  std::vector<std::pair<std::string, int>> rollingMeans;
  std::string seasonalityFrom;
  std::vector<std::pair<std::string, std::string>> interactions;

  bool empty() const {
    return lags.empty() && rollingMeans.empty() && seasonalityFrom.empty() && interactions.empty();
  }
  // Names of the columns apply() appends, in order.
  std::vector<std::string> outputNames() const;
  // Throws InputError naming a missing column, a text column where a number is needed, lags or
  // rolling means without an order column, a date that does not parse (with its row).
  table::Table apply(const table::Table& data) const;

  // {"order_by", "group_by", "lags": [[col, k]...], "rolling_means": [[col, k]...],
  //  "seasonality": col, "interactions": [[a, b]...]}; fromJson throws Corrupt naming the field.
  nlohmann::json toJson() const;
  static DerivedFeatures fromJson(const nlohmann::json& json);
};

// CLI forms: "temp:1,7" (a column and its lags or windows), "temp*humidity" (an interaction).
// Throw InputError naming the text.
std::vector<std::pair<std::string, int>> parseColumnCounts(const std::string& text);
std::pair<std::string, std::string> parseInteraction(const std::string& text);

}  // namespace geih::ml
