// Reads a CSV with geih::table::readCsv REPEATS times and prints JSON with the best wall time,
// for bench/compare/csv_vs_pandas.py.   tool_read_csv FILE [REPEATS]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>

#include "core/table/csv_reader.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: tool_read_csv FILE [REPEATS]\n");
    return 2;
  }
  const int repeats = argc > 2 ? std::atoi(argv[2]) : 3;
  try {
    double best = 1e300;
    std::size_t rows = 0, columns = 0;
    for (int i = 0; i < repeats; ++i) {
      const auto start = std::chrono::steady_clock::now();
      const auto result = geih::table::readCsv(argv[1]);
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      best = std::min(best, seconds);
      rows = result.table.rowCount();
      columns = result.table.columnCount();
    }
    std::printf("{\"seconds\": %.6f, \"rows\": %zu, \"columns\": %zu}\n", best, rows, columns);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "tool_read_csv: %s\n", error.what());
    return 2;
  }
  return 0;
}
