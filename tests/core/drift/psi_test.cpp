// populationStabilityIndex: a hand-computed case, and values recorded with numpy 1.24.2
// (Debian 12, /usr/bin/python3) by this script:
//   import math
//   import numpy as np
//
//   def formula(n, freq, shift, wobble):
//       return np.array([math.sin(i * freq) * 3 + ((i % 7) * 0.01 if wobble else 0.0) + shift
//                        for i in range(n)])
//
//   def psi(ref, cur, bins=10, eps=1e-4):
//       q = np.quantile(ref, np.arange(bins + 1) / bins)  # method='linear'
//       inner = np.unique(q[1:-1])
//       rc = np.bincount(np.searchsorted(inner, ref, side="right"), minlength=len(inner) + 1)
//       cc = np.bincount(np.searchsorted(inner, cur, side="right"), minlength=len(inner) + 1)
//       rs = rc / len(ref)
//       cs = cc / len(cur)
//       rs[rc == 0] = eps
//       cs[cc == 0] = eps
//       return float(np.sum((cs - rs) * np.log(cs / rs))), inner, rs, cs
//
//   ref = formula(5000, 0.37, 0.0, True)
//   cur = formula(4000, 0.41, 0.2, False)
//   for bins in (10, 7):
//       value, inner, rs, cs = psi(ref, cur, bins)
//       print(bins, repr(value), inner.tolist())
//   stepped = np.floor(ref)        # integers -3..2: many duplicate quantiles
//   value, inner, rs, cs = psi(stepped, np.floor(cur) + 1, 10)
//   print("stepped", repr(value), inner.tolist(), rs.tolist(), cs.tolist())
//
// whose output was:
//   10 0.749619051393529 [-2.818814839046026, -2.403729729638221, -1.7400080781071905,
//      -0.8844787624451049, 0.062059276756218036, 0.9668844953189905, 1.7984869288251768,
//      2.449739463693358, 2.875161754011216]
//   7 0.030679748582532775 [-2.660413192994458, -1.8270481813615014, -0.6397163952490397,
//      0.6854760103654914, 1.9150033936174093, 2.740374829528142]
//   stepped 2.18512907049064 [-3.0, -2.0, -1.0, 0.0, 1.0, 2.0]
//      [0.0001, 0.2606, 0.1256, 0.1086, 0.1088, 0.1226, 0.2738]
//      [0.0001, 0.0001, 0.238, 0.131, 0.11, 0.107, 0.414]
#include "core/drift/psi.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "core/common/error.h"

namespace {

using geih::drift::populationStabilityIndex;

std::vector<double> formula(int n, double freq, double shift, bool wobble) {
  std::vector<double> values(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    values[std::size_t(i)] = std::sin(i * freq) * 3 + (wobble ? (i % 7) * 0.01 : 0.0) + shift;
  }
  return values;
}

constexpr double kInf = std::numeric_limits<double>::infinity();

TEST(PopulationStabilityIndex, HandComputedTwoBins) {
  const std::vector<double> reference{1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  const std::vector<double> current{1, 2, 3, 7, 8, 9, 10, 11};
  const auto result = populationStabilityIndex(reference, current, 2);
  // Median of 1..10 at virtual index 4.5: 5.5. Reference 5|5, current 3|5.
  EXPECT_EQ(result.edges, (std::vector<double>{-kInf, 5.5, kInf}));
  EXPECT_EQ(result.referenceShares, (std::vector<double>{0.5, 0.5}));
  EXPECT_EQ(result.currentShares, (std::vector<double>{0.375, 0.625}));
  const double expected = (0.375 - 0.5) * std::log(0.75) + (0.625 - 0.5) * std::log(1.25);
  EXPECT_NEAR(result.psi, expected, 1e-15);
  EXPECT_NEAR(result.psi, 0.0638532029707488, 1e-13);
  EXPECT_STREQ(geih::drift::psiVerdict(result.psi), "none");
}

TEST(PopulationStabilityIndex, EmptyBinGetsEpsilon) {
  const std::vector<double> reference{1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  const std::vector<double> current{1, 2, 5.5 - 1e-9};  // 5.5 itself would go right
  const auto result = populationStabilityIndex(reference, current, 2, 1e-4);
  EXPECT_EQ(result.currentShares, (std::vector<double>{1.0, 1e-4}));
  const double expected = (1.0 - 0.5) * std::log(2.0) + (1e-4 - 0.5) * std::log(1e-4 / 0.5);
  EXPECT_NEAR(result.psi, expected, 1e-14);
  EXPECT_STREQ(geih::drift::psiVerdict(result.psi), "significant");
  const std::vector<double> onEdge{5.5};
  EXPECT_EQ(populationStabilityIndex(reference, onEdge, 2).currentShares,
            (std::vector<double>{1e-4, 1.0}));
}

TEST(PopulationStabilityIndex, MatchesNumpyRecordedValues) {
  const auto reference = formula(5000, 0.37, 0.0, true);
  const auto current = formula(4000, 0.41, 0.2, false);
  const auto ten = populationStabilityIndex(reference, current, 10);
  EXPECT_NEAR(ten.psi, 0.749619051393529, 1e-9);
  const std::vector<double> tenEdges{-kInf,
                                     -2.818814839046026,
                                     -2.403729729638221,
                                     -1.7400080781071905,
                                     -0.8844787624451049,
                                     0.062059276756218036,
                                     0.9668844953189905,
                                     1.7984869288251768,
                                     2.449739463693358,
                                     2.875161754011216,
                                     kInf};
  ASSERT_EQ(ten.edges.size(), tenEdges.size());
  for (std::size_t i = 0; i < tenEdges.size(); ++i) EXPECT_DOUBLE_EQ(ten.edges[i], tenEdges[i]);
  const auto seven = populationStabilityIndex(reference, current, 7);
  EXPECT_NEAR(seven.psi, 0.030679748582532775, 1e-9);
  EXPECT_EQ(seven.edges.size(), 8u);
  EXPECT_STREQ(geih::drift::psiVerdict(seven.psi), "none");
  EXPECT_STREQ(geih::drift::psiVerdict(0.2), "moderate");
}

TEST(PopulationStabilityIndex, CollapsesDuplicateEdges) {
  auto reference = formula(5000, 0.37, 0.0, true);
  auto current = formula(4000, 0.41, 0.2, false);
  for (double& v : reference) v = std::floor(v);
  for (double& v : current) v = std::floor(v) + 1;
  const auto result = populationStabilityIndex(reference, current, 10);
  EXPECT_EQ(result.edges, (std::vector<double>{-kInf, -3, -2, -1, 0, 1, 2, kInf}));
  const std::vector<double> refShares{0.0001, 0.2606, 0.1256, 0.1086, 0.1088, 0.1226, 0.2738};
  const std::vector<double> curShares{0.0001, 0.0001, 0.238, 0.131, 0.11, 0.107, 0.414};
  ASSERT_EQ(result.referenceShares.size(), refShares.size());
  for (std::size_t i = 0; i < refShares.size(); ++i) {
    EXPECT_NEAR(result.referenceShares[i], refShares[i], 1e-15);
    EXPECT_NEAR(result.currentShares[i], curShares[i], 1e-15);
  }
  EXPECT_NEAR(result.psi, 2.18512907049064, 1e-9);
}

TEST(PopulationStabilityIndex, LargeInputsUseTheParallelPathConsistently) {
  const auto reference = formula(400000, 0.37, 0.0, true);
  const auto current = formula(300000, 0.37, 0.0, true);
  const auto result = populationStabilityIndex(reference, current, 10);
  double sum = 0;
  for (double s : result.referenceShares) sum += s;
  EXPECT_NEAR(sum, 1.0, 1e-12);
  EXPECT_LT(result.psi, 1e-3);
}

TEST(PopulationStabilityIndex, RejectsBadInput) {
  const std::vector<double> good{1.0, 2.0, 3.0};
  const std::vector<double> bad{1.0, std::numeric_limits<double>::quiet_NaN()};
  try {
    populationStabilityIndex(good, bad);
    FAIL() << "expected InputError";
  } catch (const geih::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("current"), std::string::npos) << e.what();
  }
  EXPECT_THROW(populationStabilityIndex(bad, good), geih::InputError);
  EXPECT_THROW(populationStabilityIndex({}, good), geih::InputError);
  EXPECT_THROW(populationStabilityIndex(good, {}), geih::InputError);
  EXPECT_THROW(populationStabilityIndex(good, good, 0), geih::InputError);
  EXPECT_THROW(populationStabilityIndex(good, good, 10, 0.0), geih::InputError);
}

}  // namespace
