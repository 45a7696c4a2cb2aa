// Times the two-sample KS test and the PSI (10 bins) on reference/current samples that
// bench/compare/drift_vs_scipy.py wrote as raw float64 arrays (numpy .tofile), best of N runs,
// and prints one JSON object.
//   tool_drift REFERENCE.f64 CURRENT.f64 [REPEATS]
#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/drift/ks_test.h"
#include "core/drift/psi.h"

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
double bestSeconds(int repeats, F&& run) {
  double best = 1e300;
  for (int i = 0; i < repeats; ++i) {
    const auto start = std::chrono::steady_clock::now();
    run();
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    best = std::min(best, elapsed.count());
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: tool_drift REFERENCE.f64 CURRENT.f64 [REPEATS]\n";
    return 2;
  }
  try {
    const std::vector<double> reference = readDoubles(argv[1]);
    const std::vector<double> current = readDoubles(argv[2]);
    const int repeats = argc > 3 ? std::stoi(argv[3]) : 3;
    geih::drift::KsResult ks;
    geih::drift::PsiResult psi;
    const double ksSeconds =
        bestSeconds(repeats, [&] { ks = geih::drift::ksTwoSample(reference, current); });
    const double psiSeconds = bestSeconds(
        repeats, [&] { psi = geih::drift::populationStabilityIndex(reference, current, 10); });
    std::cout << nlohmann::json{{"n_reference", reference.size()},
                                {"n_current", current.size()},
                                {"ks_statistic", ks.statistic},
                                {"ks_pvalue", ks.pValue},
                                {"ks_method", ks.method},
                                {"ks_seconds", ksSeconds},
                                {"psi", psi.psi},
                                {"psi_seconds", psiSeconds}}
                     .dump()
              << "\n";
  } catch (const std::exception& error) {
    std::cerr << "tool_drift: " << error.what() << "\n";
    return 1;
  }
  return 0;
}
