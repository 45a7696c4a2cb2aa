#include "core/table/profile.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_set>

namespace geih::table {
namespace {

constexpr std::size_t kTopValues = 10;

// numpy.quantile's default ("linear"): position q * (n - 1) in the sorted values.
double quantileOfSorted(const std::vector<double>& sorted, double q) {
  const double position = q * double(sorted.size() - 1);
  const std::size_t below = std::size_t(std::floor(position));
  const std::size_t above = std::min(below + 1, sorted.size() - 1);
  const double weight = position - double(below);
  return sorted[below] + weight * (sorted[above] - sorted[below]);
}

void profileNumbers(const Column& column, ColumnProfile& profile) {
  std::vector<double> values;
  values.reserve(column.size());
  for (std::size_t row = 0; row < column.size(); ++row) {
    const double v = column.numberAt(row);
    if (!std::isnan(v)) values.push_back(v);
  }
  profile.count = values.size();
  if (values.empty()) return;
  double sum = 0;
  for (double v : values) sum += v;
  const double mean = sum / double(values.size());
  double squares = 0;
  for (double v : values) squares += (v - mean) * (v - mean);
  profile.mean = mean;
  if (values.size() > 1) profile.stddev = std::sqrt(squares / double(values.size() - 1));
  std::sort(values.begin(), values.end());
  profile.min = values.front();
  profile.max = values.back();
  for (double q : kProfileQuantiles) profile.quantiles.push_back(quantileOfSorted(values, q));
  profile.distinct = std::size_t(std::unique(values.begin(), values.end()) - values.begin());
}

void profileCategories(const Column& column, ColumnProfile& profile) {
  std::map<std::string, std::size_t> counts;
  for (std::size_t row = 0; row < column.size(); ++row) {
    if (!column.isMissing(row)) ++counts[column.textAt(row)];
  }
  for (const auto& [value, count] : counts) profile.count += count;
  profile.distinct = counts.size();
  std::vector<std::pair<std::string, std::size_t>> top(counts.begin(), counts.end());
  std::stable_sort(top.begin(), top.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  if (top.size() > kTopValues) top.resize(kTopValues);
  profile.topValues = std::move(top);
}

}  // namespace

std::vector<ColumnProfile> profileTable(const Table& table) {
  std::vector<ColumnProfile> profiles;
  for (const Column& column : table.columns()) {
    ColumnProfile profile;
    profile.name = column.name();
    profile.type = column.type();
    profile.missing = column.missingCount();
    if (column.type() != ColumnType::Categorical) profileNumbers(column, profile);
    if (column.type() != ColumnType::Numeric) {
      const std::size_t distinctNumbers = profile.distinct;
      const std::size_t count = profile.count;
      profile.count = 0;
      profileCategories(column, profile);
      if (column.type() == ColumnType::Boolean) {
        profile.distinct = distinctNumbers;
        profile.count = count;
      }
    }
    profiles.push_back(std::move(profile));
  }
  return profiles;
}

nlohmann::json toJson(const ColumnProfile& profile) {
  auto optional = [](const std::optional<double>& v) {
    return v ? nlohmann::json(*v) : nlohmann::json();
  };
  nlohmann::json json = {{"name", profile.name},
                         {"type", columnTypeName(profile.type)},
                         {"count", profile.count},
                         {"missing", profile.missing},
                         {"distinct", profile.distinct},
                         {"mean", optional(profile.mean)},
                         {"std", optional(profile.stddev)},
                         {"min", optional(profile.min)},
                         {"max", optional(profile.max)},
                         {"quantiles", profile.quantiles}};
  json["quantile_levels"] = std::vector<double>(std::begin(kProfileQuantiles), std::end(kProfileQuantiles));
  nlohmann::json top = nlohmann::json::array();
  for (const auto& [value, count] : profile.topValues) top.push_back({value, count});
  json["top_values"] = top;
  return json;
}

nlohmann::json schemaJson(const Table& table) {
  nlohmann::json schema = nlohmann::json::array();
  for (const Column& column : table.columns()) {
    schema.push_back({{"name", column.name()}, {"type", columnTypeName(column.type())}});
  }
  return schema;
}

}  // namespace geih::table
