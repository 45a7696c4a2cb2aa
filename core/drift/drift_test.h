// A per-column drift test: a name, whether it yields a p-value (drift when p < threshold) or a
// distance (drift when distance >= threshold), its default threshold, and what it computes on a
// ColumnPair. Tests are created by name through makeDriftTest (the one explicit registry).
//
//   ks             two-sample Kolmogorov-Smirnov (numbers)               p-value   0.05
//   chisquare      chi-square against reference proportions (counts)      p-value   0.05
//   z              two-proportion z-test (counts of two values)           p-value   0.05
//   wasserstein    Wasserstein distance / reference std (numbers)         distance  0.1
//   jensenshannon  Jensen-Shannon distance (counts, or Sturges bins)      distance  0.1
//   psi            population stability index, 10 reference quantiles    distance  0.1
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/drift/column_pair.h"

namespace geih::drift {

struct DriftStatistic {
  double statistic = 0.0;
  std::optional<double> pValue;  // set by p-value tests
};

class DriftTest {
 public:
  virtual ~DriftTest() = default;
  virtual std::string name() const = 0;
  virtual bool usesPValue() const = 0;
  virtual double defaultThreshold() const = 0;
  // Whether the test can run on this column (e.g. ks needs numbers, z two categories).
  virtual bool applicable(const ColumnPair& column) const = 0;
  // Throws InputError when not applicable or a side has no values.
  virtual DriftStatistic compute(const ColumnPair& column) const = 0;
};

std::vector<std::string> driftTestNames();
// Throws InputError naming the known tests.
std::unique_ptr<DriftTest> makeDriftTest(const std::string& name);

// The test Evidently would pick: reference of at most 1000 values — ks for numbers with more
// than 5 distinct values, z for at most 2 categories, chi-square otherwise; larger references —
// wasserstein for numbers with more than 5 distinct values, jensenshannon otherwise.
std::string defaultDriftTest(const ColumnPair& column);

}  // namespace geih::drift
