// Linear models scored band by band (LinearForm): the same scores as predictDense up to the
// rounding of folding the standardisation into the coefficients, missing values filled as in
// training, and the vectorised logistic function equal to the library's within a few ulps across
// the whole range of scores, saturating cleanly far out.
#include "core/ml/linear_form.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "core/common/progress.h"
#include "core/common/rng.h"
#include "core/ml/fast_exp.h"
#include "core/ml/learner_registry.h"
#include "core/ml/model.h"

namespace geih::ml {
namespace {

using table::Column;
using table::Table;

// Features on very different scales (as raster bands are), a label from a known logistic model.
Table bandsTable(std::size_t n, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<double> a(n), b(n), c(n), y(n), value(n);
  for (std::size_t i = 0; i < n; ++i) {
    a[i] = rng.normal(300, 8);      // temperature in K
    b[i] = rng.uniform(0, 0.01);    // a small index
    c[i] = rng.normal(-50, 1000);   // a distance
    const double logit = 0.2 * (a[i] - 300) - 150 * b[i] + 0.0004 * c[i];
    y[i] = rng.uniform() < 1 / (1 + std::exp(-logit)) ? 1.0 : 0.0;
    value[i] = logit + rng.normal(0, 0.1);
  }
  Table table;
  table.addColumn(Column::numeric("a", a));
  table.addColumn(Column::numeric("b", b));
  table.addColumn(Column::numeric("c", c));
  table.addColumn(Column::numeric("fire", y));
  table.addColumn(Column::numeric("value", value));
  return table;
}

void expectColumnsMatchDense(const Model& model, double tolerance) {
  const std::optional<LinearForm> form = model.linearForm();
  ASSERT_TRUE(form.has_value()) << model.kind();
  ASSERT_EQ(form->inputs(), 3u);
  Rng rng(5);
  constexpr std::size_t kRows = 2000;
  std::vector<std::vector<float>> bands(3, std::vector<float>(kRows));
  std::vector<double> rows(kRows * 3);
  for (std::size_t i = 0; i < kRows; ++i) {
    bands[0][i] = float(rng.normal(300, 20));
    bands[1][i] = float(rng.uniform(-0.02, 0.03));
    bands[2][i] = float(rng.normal(0, 3000));
    if (i % 17 == 0) bands[1][i] = std::numeric_limits<float>::quiet_NaN();  // missing: filled
    for (std::size_t j = 0; j < 3; ++j) rows[i * 3 + j] = double(bands[j][i]);
  }
  std::vector<double> dense(kRows), columns(kRows), scratch;
  model.predictDense(rows.data(), kRows, dense.data(), scratch);
  const std::vector<const float*> pointers = {bands[0].data(), bands[1].data(), bands[2].data()};
  form->predictColumns(pointers, kRows, columns.data());
  for (std::size_t i = 0; i < kRows; ++i) {
    ASSERT_FALSE(std::isnan(columns[i])) << i;
    ASSERT_NEAR(columns[i], dense[i], tolerance * std::max(1.0, std::fabs(dense[i]))) << i;
  }
}

TEST(LinearFormTest, LogisticScoresFromBandArraysEqualDenseScoring) {
  const Table table = bandsTable(5000, 1);
  const auto model = makeLearner("logistic", {})->fit(
      {&table, "fire", {"a", "b", "c"}, Task::BinaryClassification, 1}, Progress::none());
  expectColumnsMatchDense(*model, 1e-14);
}

TEST(LinearFormTest, LinearRegressionScoresFromBandArraysEqualDenseScoring) {
  const Table table = bandsTable(5000, 2);
  const auto model = makeLearner("linear", {})->fit(
      {&table, "value", {"a", "b", "c"}, Task::Regression, 1}, Progress::none());
  expectColumnsMatchDense(*model, 1e-12);
}

// The scores have the bits of the plain formula evaluated here, in this file's build for the
// baseline instruction set: the loop is also built for AVX2 and AVX-512 and picked at load time,
// and none of its builds may fuse a multiply and an add (one rounding instead of two), or a map
// would differ from one machine to the next.
TEST(LinearFormTest, ScoresHaveTheBitsOfThePlainFormulaOnEveryInstructionSet) {
  Table table;
  table.addColumn(Column::numeric("a", {-1.0, 1.0, -2.0, 2.0}));
  table.addColumn(Column::numeric("b", {3.0, 1.0, 0.0, 2.0}));
  table.addColumn(Column::numeric("fire", {0.0, 1.0, 1.0, 0.0}));
  FeaturePipeline pipeline = FeaturePipeline::fit(table, {"a", "b"}, false);
  const std::vector<double> coefficients = {0.8123456789, -1.3987654321};
  const LinearForm form(pipeline, coefficients, 0.3141592653, LinearForm::Link::Logistic);
  Rng rng(11);
  constexpr std::size_t kCount = 4099;  // not a multiple of any vector width
  std::vector<float> a(kCount), b(kCount);
  for (std::size_t i = 0; i < kCount; ++i) {
    a[i] = float(rng.normal(0, 4));
    b[i] = i % 29 == 0 ? std::numeric_limits<float>::quiet_NaN() : float(rng.normal(1, 3));
  }
  const std::vector<const float*> columns = {a.data(), b.data()};
  std::vector<double> out(kCount);
  form.predictColumns(columns, kCount, out.data());
  // The same folding as the form: w_j = c_j / scale_j, intercept - sum c_j center_j / scale_j.
  double intercept = 0.3141592653;
  std::vector<double> weights;
  for (std::size_t j = 0; j < 2; ++j) {
    weights.push_back(coefficients[j] / pipeline.scales()[j]);
    intercept -= coefficients[j] * pipeline.centers()[j] / pipeline.scales()[j];
  }
  for (std::size_t i = 0; i < kCount; ++i) {
    double z = intercept;
    const double va = double(a[i]);
    const double vb = double(b[i]);
    z += (va != va ? pipeline.fillValue(0) : va) * weights[0];
    z += (vb != vb ? pipeline.fillValue(1) : vb) * weights[1];
    const double e = expNonPositive(-std::fabs(z));
    const double positive = 1.0 / (1.0 + e);
    const double expected = z >= 0 ? positive : e * positive;
    ASSERT_EQ(out[i], expected) << "value " << i;
  }
}

TEST(LinearFormTest, TheLogisticFunctionMatchesTheLibraryAcrossItsRange) {
  // One input with weight 1 and no standardisation: the form's output is the sigmoid of the
  // value itself.
  Table table;
  table.addColumn(Column::numeric("x", {-1.0, 1.0, -2.0, 2.0}));
  table.addColumn(Column::numeric("fire", {0.0, 1.0, 1.0, 0.0}));
  FeaturePipeline pipeline = FeaturePipeline::fit(table, {"x"}, false);
  const std::vector<double> weight = {1.0};
  const LinearForm form(pipeline, weight, 0.0, LinearForm::Link::Logistic);
  std::vector<float> z;
  for (double v = -60; v <= 60; v += 0.0137) z.push_back(float(v));
  for (const float extreme : {-1000.0f, -745.0f, -708.0f, 0.0f, -0.0f, 708.0f, 1e30f}) {
    z.push_back(extreme);
  }
  std::vector<double> out(z.size());
  const float* column = z.data();
  form.predictColumns(std::span<const float* const>(&column, 1), z.size(), out.data());
  for (std::size_t i = 0; i < z.size(); ++i) {
    const double expected = logisticSigmoid(double(z[i]));
    // A few ulps of the result (measured worst: 4.2e-16 relative, near z = -10.35).
    ASSERT_NEAR(out[i], expected, 6e-16 * expected + 1e-300) << "z = " << z[i];
    ASSERT_GE(out[i], 0.0);
    ASSERT_LE(out[i], 1.0);
  }
  EXPECT_EQ(out[out.size() - 4], 0.5);  // z = 0 and -0
  EXPECT_EQ(out[out.size() - 3], 0.5);
  EXPECT_EQ(out[out.size() - 2], 1.0);  // z = 708 and beyond
  EXPECT_EQ(out.back(), 1.0);
  EXPECT_GT(out[out.size() - 5], 0.0);  // z = -708: exp(-708), still a normal double
  EXPECT_LT(out[out.size() - 7], 1e-307);  // z = -1000: held at exp(-708), not a NaN
}

}  // namespace
}  // namespace geih::ml
