#include "core/ml/derived_features.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>

#include "core/common/error.h"

namespace geih::ml {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kTwoPi = 6.283185307179586;

const table::Column& column(const table::Table& data, const std::string& name, const char* role) {
  if (!data.hasColumn(name)) {
    throw InputError(std::string(role) + " column '" + name + "' not found");
  }
  return data.column(name);
}

std::vector<double> numbersOf(const table::Table& data, const std::string& name,
                              const char* role) {
  const table::Column& source = column(data, name, role);
  if (source.type() == table::ColumnType::Categorical) {
    throw InputError(std::string(role) + " column '" + name + "' is text; it must be numeric");
  }
  std::vector<double> values(source.size());
  for (std::size_t row = 0; row < values.size(); ++row) values[row] = source.numberAt(row);
  return values;
}

// Days from 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's civil-from-days inverse).
long long daysFromCivil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = unsigned(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return (long long)era * 146097 + (long long)doe - 719468;
}

struct Date {
  int year;
  unsigned month, day;
};

bool parseIsoDate(const std::string& text, Date& date) {
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') return false;
  for (const int i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (text[std::size_t(i)] < '0' || text[std::size_t(i)] > '9') return false;
  }
  date.year = std::stoi(text.substr(0, 4));
  date.month = unsigned(std::stoi(text.substr(5, 2)));
  date.day = unsigned(std::stoi(text.substr(8, 2)));
  static const unsigned kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return date.month >= 1 && date.month <= 12 && date.day >= 1 && date.day <= kDays[date.month - 1];
}

// Row order for lags and rolling means: by group, then by the order column, then by row.
std::vector<std::size_t> orderedRows(const table::Table& data, const std::string& orderBy,
                                     const std::string& groupBy) {
  const table::Column& order = column(data, orderBy, "order");
  std::vector<std::size_t> rows(data.rowCount());
  std::iota(rows.begin(), rows.end(), 0);
  auto key = [&](std::size_t row) {
    return order.type() == table::ColumnType::Categorical ? order.textAt(row)
                                                          : std::string();
  };
  auto before = [&](std::size_t a, std::size_t b) {
    if (order.type() == table::ColumnType::Categorical) return key(a) < key(b);
    return order.numberAt(a) < order.numberAt(b);
  };
  if (groupBy.empty()) {
    std::stable_sort(rows.begin(), rows.end(), before);
  } else {
    const table::Column& group = column(data, groupBy, "group");
    std::stable_sort(rows.begin(), rows.end(), [&](std::size_t a, std::size_t b) {
      const std::string ga = group.textAt(a), gb = group.textAt(b);
      if (ga != gb) return ga < gb;
      return before(a, b);
    });
  }
  return rows;
}

std::string groupOf(const table::Table& data, const std::string& groupBy, std::size_t row) {
  return groupBy.empty() ? std::string() : data.column(groupBy).textAt(row);
}

}  // namespace

std::vector<std::string> DerivedFeatures::outputNames() const {
  std::vector<std::string> names;
  for (const auto& [name, k] : lags) names.push_back(name + "_lag" + std::to_string(k));
  for (const auto& [name, k] : rollingMeans) names.push_back(name + "_mean" + std::to_string(k));
  if (!seasonalityFrom.empty()) names.insert(names.end(), {"doy_sin", "doy_cos"});
  for (const auto& [a, b] : interactions) names.push_back(a + "_x_" + b);
  return names;
}

table::Table DerivedFeatures::apply(const table::Table& data) const {
  table::Table out = data;
  const std::size_t n = data.rowCount();
  if (!lags.empty() || !rollingMeans.empty()) {
    if (orderBy.empty()) {
      throw InputError("lags and rolling means need an order column (--order-by), e.g. a date");
    }
    const std::vector<std::size_t> rows = orderedRows(data, orderBy, groupBy);
    for (const auto& [name, k] : lags) {
      const std::vector<double> values = numbersOf(data, name, "lag");
      std::vector<double> lagged(n, kNaN);
      for (std::size_t i = std::size_t(k); i < rows.size(); ++i) {
        if (groupOf(data, groupBy, rows[i]) == groupOf(data, groupBy, rows[i - std::size_t(k)])) {
          lagged[rows[i]] = values[rows[i - std::size_t(k)]];
        }
      }
      out.addColumn(table::Column::numeric(name + "_lag" + std::to_string(k), std::move(lagged)));
    }
    for (const auto& [name, k] : rollingMeans) {
      const std::vector<double> values = numbersOf(data, name, "rolling");
      std::vector<double> means(n, kNaN);
      for (std::size_t i = 0; i < rows.size(); ++i) {
        double sum = 0;
        int count = 0;
        for (std::size_t back = 1; back <= std::size_t(k) && back <= i; ++back) {
          const std::size_t row = rows[i - back];
          if (groupOf(data, groupBy, row) != groupOf(data, groupBy, rows[i])) break;
          if (std::isnan(values[row])) continue;
          sum += values[row];
          ++count;
        }
        if (count > 0) means[rows[i]] = sum / count;
      }
      out.addColumn(table::Column::numeric(name + "_mean" + std::to_string(k), std::move(means)));
    }
  }
  if (!seasonalityFrom.empty()) {
    const table::Column& dates = column(data, seasonalityFrom, "date");
    std::vector<double> sine(n, kNaN), cosine(n, kNaN), month(n, kNaN), weekday(n, kNaN);
    const bool text = dates.type() == table::ColumnType::Categorical;
    for (std::size_t row = 0; row < n; ++row) {
      if (dates.isMissing(row)) continue;
      double dayOfYear;
      if (text) {
        Date date{};
        if (!parseIsoDate(dates.textAt(row), date)) {
          throw InputError("date column '" + seasonalityFrom + "': '" + dates.textAt(row) +
                           "' at data row " + std::to_string(row + 1) +
                           " is not an ISO date (YYYY-MM-DD)");
        }
        const long long days = daysFromCivil(date.year, date.month, date.day);
        dayOfYear = double(days - daysFromCivil(date.year, 1, 1) + 1);
        month[row] = date.month;
        weekday[row] = double(((days % 7) + 7 + 3) % 7);  // 1970-01-01 was a Thursday
      } else {
        dayOfYear = dates.numberAt(row);
      }
      sine[row] = std::sin(kTwoPi * (dayOfYear - 1) / 365.25);
      cosine[row] = std::cos(kTwoPi * (dayOfYear - 1) / 365.25);
    }
    out.addColumn(table::Column::numeric("doy_sin", std::move(sine)));
    out.addColumn(table::Column::numeric("doy_cos", std::move(cosine)));
    if (text) {
      out.addColumn(table::Column::numeric("month", std::move(month)));
      out.addColumn(table::Column::numeric("weekday", std::move(weekday)));
    }
  }
  for (const auto& [a, b] : interactions) {
    const std::vector<double> left = numbersOf(data, a, "interaction");
    const std::vector<double> right = numbersOf(data, b, "interaction");
    std::vector<double> product(n);
    for (std::size_t row = 0; row < n; ++row) product[row] = left[row] * right[row];
    out.addColumn(table::Column::numeric(a + "_x_" + b, std::move(product)));
  }
  return out;
}

nlohmann::json DerivedFeatures::toJson() const {
  nlohmann::json json = nlohmann::json::object();
  if (!orderBy.empty()) json["order_by"] = orderBy;
  if (!groupBy.empty()) json["group_by"] = groupBy;
  json["lags"] = nlohmann::json::array();
  for (const auto& [name, k] : lags) json["lags"].push_back({name, k});
  json["rolling_means"] = nlohmann::json::array();
  for (const auto& [name, k] : rollingMeans) json["rolling_means"].push_back({name, k});
  if (!seasonalityFrom.empty()) json["seasonality"] = seasonalityFrom;
  json["interactions"] = nlohmann::json::array();
  for (const auto& [a, b] : interactions) json["interactions"].push_back({a, b});
  return json;
}

DerivedFeatures DerivedFeatures::fromJson(const nlohmann::json& json) {
  if (!json.is_object()) throw Corrupt("derived_features: must be an object");
  DerivedFeatures derived;
  try {
    derived.orderBy = json.value("order_by", std::string());
    derived.groupBy = json.value("group_by", std::string());
    derived.seasonalityFrom = json.value("seasonality", std::string());
    for (const auto& item : json.value("lags", nlohmann::json::array())) {
      derived.lags.emplace_back(item.at(0).get<std::string>(), item.at(1).get<int>());
    }
    for (const auto& item : json.value("rolling_means", nlohmann::json::array())) {
      derived.rollingMeans.emplace_back(item.at(0).get<std::string>(), item.at(1).get<int>());
    }
    for (const auto& item : json.value("interactions", nlohmann::json::array())) {
      derived.interactions.emplace_back(item.at(0).get<std::string>(),
                                        item.at(1).get<std::string>());
    }
  } catch (const nlohmann::json::exception& error) {
    throw Corrupt(std::string("derived_features: ") + error.what());
  }
  for (const auto& [name, k] : derived.lags) {
    if (k < 1) throw Corrupt("derived_features.lags: '" + name + "' needs a lag >= 1");
  }
  for (const auto& [name, k] : derived.rollingMeans) {
    if (k < 1) throw Corrupt("derived_features.rolling_means: '" + name + "' needs a window >= 1");
  }
  return derived;
}

std::vector<std::pair<std::string, int>> parseColumnCounts(const std::string& text) {
  const std::size_t colon = text.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
    throw InputError("'" + text + "': expected COLUMN:N[,N...], e.g. temperature_c:1,7");
  }
  std::vector<std::pair<std::string, int>> out;
  const std::string name = text.substr(0, colon);
  std::size_t start = colon + 1;
  while (start <= text.size()) {
    const std::size_t comma = text.find(',', start);
    const std::string part = text.substr(start, comma == std::string::npos ? std::string::npos
                                                                             : comma - start);
    std::size_t used = 0;
    int k = 0;
    try {
      k = std::stoi(part, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != part.size() || part.empty() || k < 1 || k > 10000) {
      throw InputError("'" + text + "': '" + part + "' is not a count in [1, 10000]");
    }
    out.emplace_back(name, k);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

std::pair<std::string, std::string> parseInteraction(const std::string& text) {
  const std::size_t star = text.find('*');
  if (star == std::string::npos || star == 0 || star + 1 == text.size()) {
    throw InputError("'" + text + "': expected A*B, e.g. temperature_c*relative_humidity");
  }
  return {text.substr(0, star), text.substr(star + 1)};
}

}  // namespace geih::ml
