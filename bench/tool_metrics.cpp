// Times ROC AUC and average precision on labels/scores that bench/compare/metrics_vs_sklearn.py
// wrote as raw float64 arrays (numpy .tofile), best of N runs, and prints one JSON object.
//   tool_metrics LABELS.f64 SCORES.f64 [REPEATS]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/eval/binary_metrics.h"

namespace {

std::vector<double> readDoubles(const char* path) {
  std::ifstream file(path, std::ios::binary | std::ios::ate);
  if (!file) throw std::runtime_error(std::string("cannot open ") + path);
  const std::streamsize bytes = file.tellg();
  std::vector<double> values(std::size_t(bytes) / sizeof(double));
  file.seekg(0);
  file.read(reinterpret_cast<char*>(values.data()),
            std::streamsize(values.size() * sizeof(double)));
  return values;
}

template <typename F>
double bestSeconds(int repeats, double& result, F&& run) {
  double best = 1e300;
  for (int i = 0; i < repeats; ++i) {
    const auto start = std::chrono::steady_clock::now();
    result = run();
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    best = std::min(best, elapsed.count());
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: tool_metrics LABELS.f64 SCORES.f64 [REPEATS]\n";
    return 2;
  }
  try {
    const std::vector<double> labels = readDoubles(argv[1]);
    const std::vector<double> scores = readDoubles(argv[2]);
    const int repeats = argc > 3 ? std::stoi(argv[3]) : 3;
    double auc = 0, ap = 0;
    const double aucSeconds =
        bestSeconds(repeats, auc, [&] { return geih::eval::rocAuc(labels, scores); });
    const double apSeconds =
        bestSeconds(repeats, ap, [&] { return geih::eval::averagePrecision(labels, scores); });
    std::cout << nlohmann::json{{"n", labels.size()},
                                {"roc_auc", auc},
                                {"roc_auc_seconds", aucSeconds},
                                {"average_precision", ap},
                                {"average_precision_seconds", apSeconds}}
                     .dump()
              << "\n";
  } catch (const std::exception& error) {
    std::cerr << "tool_metrics: " << error.what() << "\n";
    return 1;
  }
  return 0;
}
