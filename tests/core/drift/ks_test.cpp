// ksTwoSample against recorded SciPy outputs (tests/data/drift_ks_cases.json).
//
// Recorded with SciPy 1.10.1 / numpy 1.24.2 (Debian 12, /usr/bin/python3) by this script:
//   import json, math
//   import numpy as np, scipy
//   from scipy.stats import ks_2samp
//
//   def formula(n, freq, shift, wobble):
//       return [math.sin(i * freq) * 3 + ((i % 7) * 0.01 if wobble else 0.0) + shift
//               for i in range(n)]
//
//   def weyl(n, alpha, offset, power):
//       return [math.pow((i * alpha + offset) % 1.0, power) for i in range(n)]
//
//   rng = np.random.default_rng(7)
//   data_cases = {
//       "ties_small": ([1, 2, 2, 3, 3, 3, 4], [2, 3, 3, 5, 5]),
//       "ties_equal_n": ([0, 1, 1, 2, 2, 3, 4, 4], [1, 2, 2, 2, 3, 5, 6, 6]),
//       "n30_n45_rounded": (np.round(rng.normal(0, 1, 30), 1).tolist(),
//                           np.round(rng.normal(0.3, 1, 45), 1).tolist()),
//       "n200_n300_shifted": (rng.normal(0, 1, 200).tolist(), rng.normal(0.25, 1, 300).tolist()),
//       "n100_n100_shifted": (rng.normal(0, 1, 100).tolist(), rng.normal(0.4, 1.2, 100).tolist()),
//       "identical": (rng.normal(0, 1, 50).tolist(),) * 2,
//       "single_values": ([1.0], [2.0]),
//       "negative_zero": ([-0.0, 1.0, 2.0, -1.0], [0.0, 0.0, 3.0]),
//   }
//   out = {"scipy": scipy.__version__, "numpy": np.__version__, "data_cases": [], "formula_cases":
//   [], "weyl_cases": []} for name, (a, b) in data_cases.items():
//       r = ks_2samp(a, b, alternative="two-sided", method="auto")
//       out["data_cases"].append({"name": name, "reference": list(map(float, a)),
//                                 "current": list(map(float, b)),
//                                 "statistic": float(r.statistic), "pvalue": float(r.pvalue)})
//   # (name, n_ref, n_cur, shift): reference = formula(n_ref, 0.37, 0, wobble), current =
//   formula(n_cur, 0.41, shift, no wobble) for name, n1, n2, shift in [("asymp_12000_15000", 12000,
//   15000, 0.1),
//                               ("asymp_12000_15000_far", 12000, 15000, 0.4),
//                               ("asymp_12000_15000_near", 12000, 15000, 0.0),
//                               ("asymp_60_12000", 60, 12000, 0.2),
//                               ("asymp_300000_300000", 300000, 300000, 0.005),
//                               ("asymp_60_12000_pomeranz", 60, 12000, 0.5),
//                               ("asymp_60_12000_pomeranz2", 60, 12000, 0.8),
//                               ("asymp_60_12000_smirnov", 60, 12000, 1.0),
//                               ("exact_10000_9000", 10000, 9000, 0.05)]:
//       a = formula(n1, 0.37, 0.0, True)
//       b = formula(n2, 0.41, shift, False)
//       r = ks_2samp(a, b, alternative="two-sided", method="auto")
//       out["formula_cases"].append({"name": name, "n_reference": n1, "n_current": n2, "shift":
//       shift,
//                                    "statistic": float(r.statistic), "pvalue": float(r.pvalue)})
//       print(name, repr(r.statistic), repr(r.pvalue),
//       min(n1,n2)*max(n1,n2)/(n1+n2)*r.statistic**2)
//   # (name, n_ref, n_cur, power): reference = weyl(n_ref, golden, 0, 1), current = weyl(n_cur,
//   sqrt2 - 1, 0.1, power) for name, n1, n2, power in [("weyl_durbin_12000_15000", 12000,
//   15000, 1.002),
//                               ("weyl_pelzgood_300000", 300000, 300000, 1.005),
//                               ("weyl_pelzgood_200000_150001", 200000, 150001, 1.004)]:
//       a = weyl(n1, 0.6180339887498949, 0.0, 1.0)
//       b = weyl(n2, 0.41421356237309503, 0.1, power)
//       r = ks_2samp(a, b, alternative="two-sided", method="auto")
//       out["weyl_cases"].append({"name": name, "n_reference": n1, "n_current": n2, "power": power,
//                                 "statistic": float(r.statistic), "pvalue": float(r.pvalue)})
//   json.dump(out, open("/work/main/tests/data/drift_ks_cases.json", "w"), indent=1)
//
// "data_cases" carry their samples; the formula and Weyl cases are recomputed here with the same
// formulas (glibc's sin/pow on both sides) and only the expected statistic and p-value are stored.
#include "core/drift/ks_test.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/common/error.h"

namespace {

using geih::drift::ksTwoSample;

nlohmann::json loadCases() {
  std::ifstream file(std::string(GEIH_TEST_DATA_DIR) + "/drift_ks_cases.json");
  EXPECT_TRUE(file.good());
  return nlohmann::json::parse(file);
}

std::vector<double> formula(int n, double freq, double shift, bool wobble) {
  std::vector<double> values(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    values[std::size_t(i)] = std::sin(i * freq) * 3 + (wobble ? (i % 7) * 0.01 : 0.0) + shift;
  }
  return values;
}

std::vector<double> weyl(int n, double alpha, double offset, double power) {
  std::vector<double> values(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    values[std::size_t(i)] = std::pow(std::fmod(i * alpha + offset, 1.0), power);
  }
  return values;
}

void expectMatches(const geih::drift::KsResult& got, const nlohmann::json& c) {
  const double statistic = c["statistic"].get<double>();
  const double pValue = c["pvalue"].get<double>();
  const std::string name = c["name"].get<std::string>();
  EXPECT_NEAR(got.statistic, statistic, 1e-9) << name;
  const double tolerance = std::max(1e-12, 1e-9 * std::abs(pValue));
  EXPECT_NEAR(got.pValue, pValue, tolerance) << name << " method " << got.method;
}

TEST(KsTwoSample, MatchesScipyOnRecordedSamples) {
  const nlohmann::json cases = loadCases();
  ASSERT_GE(cases["data_cases"].size(), 8u);
  for (const auto& c : cases["data_cases"]) {
    const auto reference = c["reference"].get<std::vector<double>>();
    const auto current = c["current"].get<std::vector<double>>();
    const auto got = ksTwoSample(reference, current);
    expectMatches(got, c);
    EXPECT_EQ(got.method, "exact") << c["name"];
  }
}

TEST(KsTwoSample, MatchesScipyOnFormulaSamples) {
  const nlohmann::json cases = loadCases();
  ASSERT_GE(cases["formula_cases"].size(), 9u);
  for (const auto& c : cases["formula_cases"]) {
    const int n1 = c["n_reference"].get<int>(), n2 = c["n_current"].get<int>();
    const auto reference = formula(n1, 0.37, 0.0, true);
    const auto current = formula(n2, 0.41, c["shift"].get<double>(), false);
    const auto got = ksTwoSample(reference, current);
    expectMatches(got, c);
    EXPECT_EQ(got.method, std::max(n1, n2) <= 10000 ? "exact" : "asymp") << c["name"];
  }
}

TEST(KsTwoSample, MatchesScipyOnWeylSamples) {
  const nlohmann::json cases = loadCases();
  ASSERT_GE(cases["weyl_cases"].size(), 3u);
  for (const auto& c : cases["weyl_cases"]) {
    const auto reference = weyl(c["n_reference"].get<int>(), 0.6180339887498949, 0.0, 1.0);
    const auto current =
        weyl(c["n_current"].get<int>(), 0.41421356237309503, 0.1, c["power"].get<double>());
    const auto got = ksTwoSample(reference, current);
    expectMatches(got, c);
    EXPECT_EQ(got.method, "asymp");
  }
}

TEST(KsTwoSample, IsSymmetricAndOrderFree) {
  const auto a = formula(5000, 0.37, 0.0, true);
  const auto b = formula(7000, 0.41, 0.05, false);
  const auto ab = ksTwoSample(a, b);
  const auto ba = ksTwoSample(b, a);
  EXPECT_DOUBLE_EQ(ab.statistic, ba.statistic);
  EXPECT_DOUBLE_EQ(ab.pValue, ba.pValue);
  std::vector<double> reversed(a.rbegin(), a.rend());
  EXPECT_DOUBLE_EQ(ksTwoSample(reversed, b).statistic, ab.statistic);
}

TEST(KsTwoSample, IdenticalLargeSamplesGivePValueOne) {
  const auto a = formula(20000, 0.37, 0.0, true);
  const auto got = ksTwoSample(a, a);
  EXPECT_EQ(got.statistic, 0.0);
  EXPECT_EQ(got.pValue, 1.0);
  EXPECT_EQ(got.method, "asymp");
}

TEST(KsTwoSample, RejectsNaNAndEmptySamples) {
  const std::vector<double> good{1.0, 2.0, 3.0};
  const std::vector<double> bad{1.0, std::numeric_limits<double>::quiet_NaN()};
  std::vector<double> bigBad = formula(300000, 0.37, 0.0, false);
  bigBad[123456] = std::numeric_limits<double>::quiet_NaN();
  try {
    ksTwoSample(good, bad);
    FAIL() << "expected InputError";
  } catch (const geih::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("current"), std::string::npos) << e.what();
  }
  try {
    ksTwoSample(bigBad, good);
    FAIL() << "expected InputError";
  } catch (const geih::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("reference"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("123456"), std::string::npos) << e.what();
  }
  EXPECT_THROW(ksTwoSample({}, good), geih::InputError);
  EXPECT_THROW(ksTwoSample(good, {}), geih::InputError);
}

// Recorded with SciPy 1.10.1:
//   from scipy.stats import kstwo
//   for n, d in [(500000, 0.016558), (500000, 0.01), (200000, 0.006), (999999, 0.003),
//                (141, 0.2), (141, 0.13), (1000, 0.05), (60, 0.1), (3000000, 0.001)]:
//       print(n, d, repr(kstwo.sf(d, n)))
TEST(KolmogorovSurvival, MatchesScipyKstwo) {
  struct Case {
    std::int64_t n;
    double d;
    double expected;
  };
  const Case cases[] = {
      {500000, 0.016558, 1.6582869081513246e-119}, {500000, 0.01, 7.374635645083527e-44},
      {200000, 0.006, 1.110220331461174e-06},      {999999, 0.003, 3.039867469170693e-08},
      {141, 0.2, 2.0276784223976912e-05},          {141, 0.13, 0.015449346308454497},
      {1000, 0.05, 0.013012074781090332},          {60, 0.1, 0.5521961259289287},
      {3000000, 0.001, 0.0049542003601089}};
  for (const Case& c : cases) {
    EXPECT_NEAR(geih::drift::kolmogorovSurvival(c.n, c.d), c.expected,
                std::max(1e-12, 1e-9 * c.expected))
        << c.n << " " << c.d;
  }
}

TEST(KolmogorovSurvival, EdgesOfTheSupport) {
  EXPECT_EQ(geih::drift::kolmogorovSurvival(10, 0.0), 1.0);
  EXPECT_EQ(geih::drift::kolmogorovSurvival(10, 0.05), 1.0);
  EXPECT_EQ(geih::drift::kolmogorovSurvival(10, 1.0), 0.0);
  // t >= n - 1: 2 (1 - x)^n.
  EXPECT_NEAR(geih::drift::kolmogorovSurvival(10, 0.95), 2 * std::pow(0.05, 10), 1e-25);
}

}  // namespace
