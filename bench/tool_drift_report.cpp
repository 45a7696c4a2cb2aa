// Times a full drift report (core/drift/drift_report.h, default tests) on two tables of C numeric
// columns x N rows that bench/compare/drift_report_vs_scipy.py wrote as raw float64 files
// (column-major, numpy .tofile of a C x N array), best of REPEATS, and prints JSON with the time
// and every column's test and statistic.
//   tool_drift_report REFERENCE.f64 CURRENT.f64 COLUMNS [REPEATS]
#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/common/progress.h"
#include "core/drift/drift_report.h"

namespace {

geih::table::Table readTable(const char* path, std::size_t columns) {
  std::ifstream file(path, std::ios::binary | std::ios::ate);
  if (!file) throw std::runtime_error(std::string("cannot open ") + path);
  const std::size_t values = std::size_t(file.tellg()) / sizeof(double);
  const std::size_t rows = values / columns;
  file.seekg(0);
  geih::table::Table table;
  for (std::size_t c = 0; c < columns; ++c) {
    std::vector<double> column(rows);
    file.read(reinterpret_cast<char*>(column.data()), std::streamsize(rows * sizeof(double)));
    table.addColumn(geih::table::Column::numeric("f" + std::to_string(c), std::move(column)));
  }
  return table;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: tool_drift_report REFERENCE.f64 CURRENT.f64 COLUMNS [REPEATS]\n";
    return 2;
  }
  const std::size_t columns = std::stoul(argv[3]);
  const int repeats = argc > 4 ? std::stoi(argv[4]) : 3;
  const geih::table::Table reference = readTable(argv[1], columns);
  const geih::table::Table current = readTable(argv[2], columns);
  double best = 1e300;
  geih::drift::DriftReport report;
  for (int i = 0; i < repeats; ++i) {
    geih::Progress progress;
    const auto start = std::chrono::steady_clock::now();
    report = geih::drift::computeDriftReport(reference, current, {}, progress);
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    best = std::min(best, elapsed.count());
  }
  nlohmann::json out = {{"seconds", best}, {"share_drifted", report.shareDrifted}};
  for (const auto& column : report.columns) {
    out["columns"].push_back({{"name", column.name}, {"test", column.test},
                              {"statistic", column.statistic}, {"drifted", column.drifted}});
  }
  std::cout << out.dump() << "\n";
  return 0;
}
