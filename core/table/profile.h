// Column profiling: what `geih data show` prints and the dataset record stores as its schema.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/table/table.h"

namespace geih::table {

struct ColumnProfile {
  std::string name;
  ColumnType type = ColumnType::Numeric;
  std::size_t count = 0;    // present (non-missing) values
  std::size_t missing = 0;
  std::size_t distinct = 0;  // distinct present values
  // Numeric and Boolean columns (booleans as 0/1); empty optionals when no value is present.
  std::optional<double> mean, stddev, min, max;  // stddev: sample (n-1)
  // Quantiles at kProfileQuantiles, linear interpolation (numpy's default).
  std::vector<double> quantiles;
  // Categorical and Boolean columns: most frequent values with counts, most frequent first
  // (ties by value), at most 10.
  std::vector<std::pair<std::string, std::size_t>> topValues;
};

inline constexpr double kProfileQuantiles[] = {0.05, 0.25, 0.5, 0.75, 0.95};

std::vector<ColumnProfile> profileTable(const Table& table);

nlohmann::json toJson(const ColumnProfile& profile);

// Dataset schema as JSON: [{"name":..., "type":"numeric|categorical|boolean"}...].
nlohmann::json schemaJson(const Table& table);

}  // namespace geih::table
