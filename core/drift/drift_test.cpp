#include "core/drift/drift_test.h"

#include "core/common/error.h"
#include "core/drift/categorical_tests.h"
#include "core/drift/distribution_distances.h"
#include "core/drift/ks_test.h"
#include "core/drift/psi.h"

namespace geih::drift {

namespace {

void requireValues(const ColumnPair& column, bool numbers, const std::string& test) {
  if (numbers && (!column.hasNumbers || column.reference.empty() || column.current.empty())) {
    throw InputError("column '" + column.name + "': " + test +
                     " needs numeric values on both sides");
  }
  if (!numbers && !column.hasCounts) {
    throw InputError("column '" + column.name + "': " + test +
                     " needs a categorical column or one with few distinct values");
  }
}

class KsTest : public DriftTest {
 public:
  std::string name() const override { return "ks"; }
  bool usesPValue() const override { return true; }
  double defaultThreshold() const override { return 0.05; }
  bool applicable(const ColumnPair& c) const override { return c.hasNumbers; }
  DriftStatistic compute(const ColumnPair& c) const override {
    requireValues(c, true, name());
    const KsResult result = ksTwoSample(c.reference, c.current);
    return {result.statistic, result.pValue};
  }
};

class ChiSquare : public DriftTest {
 public:
  std::string name() const override { return "chisquare"; }
  bool usesPValue() const override { return true; }
  double defaultThreshold() const override { return 0.05; }
  bool applicable(const ColumnPair& c) const override { return c.hasCounts; }
  DriftStatistic compute(const ColumnPair& c) const override {
    requireValues(c, false, name());
    const PValueResult result = chiSquareTest(c.referenceCounts, c.currentCounts);
    return {result.statistic, result.pValue};
  }
};

class ZTest : public DriftTest {
 public:
  std::string name() const override { return "z"; }
  bool usesPValue() const override { return true; }
  double defaultThreshold() const override { return 0.05; }
  bool applicable(const ColumnPair& c) const override { return c.hasCounts && c.keys.size() <= 2; }
  DriftStatistic compute(const ColumnPair& c) const override {
    requireValues(c, false, name());
    if (c.keys.size() > 2) {
      throw InputError("column '" + c.name + "': the z-test compares two values; it has " +
                       std::to_string(c.keys.size()));
    }
    double nRef = 0;
    double nCur = 0;
    for (std::size_t k = 0; k < c.keys.size(); ++k) {
      nRef += c.referenceCounts[k];
      nCur += c.currentCounts[k];
    }
    // The share of the first key (sorted) on each side; the other key is the complement.
    const PValueResult result = proportionsZTest(c.referenceCounts.empty() ? 0 : c.referenceCounts[0],
                                                 nRef, c.currentCounts.empty() ? 0 : c.currentCounts[0],
                                                 nCur);
    return {result.statistic, result.pValue};
  }
};

class Wasserstein : public DriftTest {
 public:
  std::string name() const override { return "wasserstein"; }
  bool usesPValue() const override { return false; }
  double defaultThreshold() const override { return 0.1; }
  bool applicable(const ColumnPair& c) const override { return c.hasNumbers; }
  DriftStatistic compute(const ColumnPair& c) const override {
    requireValues(c, true, name());
    return {normalizedWasserstein(c.reference, c.current), std::nullopt};
  }
};

class JensenShannon : public DriftTest {
 public:
  std::string name() const override { return "jensenshannon"; }
  bool usesPValue() const override { return false; }
  double defaultThreshold() const override { return 0.1; }
  bool applicable(const ColumnPair& c) const override { return c.hasCounts || c.hasNumbers; }
  DriftStatistic compute(const ColumnPair& c) const override {
    if (c.hasCounts) return {jensenShannonDistance(c.referenceCounts, c.currentCounts), std::nullopt};
    requireValues(c, true, name());
    const BinnedShares shares = sturgesShares(c.reference, c.current);
    return {jensenShannonDistance(shares.reference, shares.current), std::nullopt};
  }
};

class Psi : public DriftTest {
 public:
  std::string name() const override { return "psi"; }
  bool usesPValue() const override { return false; }
  double defaultThreshold() const override { return 0.1; }
  bool applicable(const ColumnPair& c) const override { return c.hasNumbers; }
  DriftStatistic compute(const ColumnPair& c) const override {
    requireValues(c, true, name());
    return {populationStabilityIndex(c.reference, c.current).psi, std::nullopt};
  }
};

}  // namespace

std::vector<std::string> driftTestNames() {
  return {"ks", "chisquare", "z", "wasserstein", "jensenshannon", "psi"};
}

std::unique_ptr<DriftTest> makeDriftTest(const std::string& name) {
  if (name == "ks") return std::make_unique<KsTest>();
  if (name == "chisquare") return std::make_unique<ChiSquare>();
  if (name == "z") return std::make_unique<ZTest>();
  if (name == "wasserstein") return std::make_unique<Wasserstein>();
  if (name == "jensenshannon") return std::make_unique<JensenShannon>();
  if (name == "psi") return std::make_unique<Psi>();
  std::string known;
  for (const std::string& test : driftTestNames()) known += (known.empty() ? "" : ", ") + test;
  throw InputError("unknown drift test '" + name + "' (known: " + known + ")");
}

std::string defaultDriftTest(const ColumnPair& column) {
  const bool numeric = column.type == table::ColumnType::Numeric && column.referenceDistinct > 5;
  const std::size_t referenceValues = column.referenceRows - column.referenceMissing;
  if (referenceValues <= 1000) {
    if (numeric) return "ks";
    return column.referenceDistinct <= 2 ? "z" : "chisquare";
  }
  return numeric ? "wasserstein" : "jensenshannon";
}

}  // namespace geih::drift
