#include "core/eval/curves.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "core/common/error.h"
#include "core/common/rng.h"

namespace geih::eval {
namespace {

using Values = std::vector<double>;
constexpr double kInf = std::numeric_limits<double>::infinity();

void expectPoints(const Curve& curve, const std::vector<CurvePoint>& expected) {
  ASSERT_EQ(curve.points.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_DOUBLE_EQ(curve.points[i].x, expected[i].x) << "point " << i;
    EXPECT_DOUBLE_EQ(curve.points[i].y, expected[i].y) << "point " << i;
    EXPECT_EQ(curve.points[i].threshold, expected[i].threshold) << "point " << i;
  }
}

TEST(CurvesTest, RocPointsByHand) {
  // Thresholds 0.8 (+), 0.4 (-), 0.35 (+), 0.1 (-) with two positives and two negatives.
  const Curve roc = rocCurve(Values{0, 0, 1, 1}, Values{0.1, 0.4, 0.35, 0.8});
  EXPECT_EQ(roc.kind, "roc");
  EXPECT_EQ(roc.xLabel, "false_positive_rate");
  EXPECT_EQ(roc.yLabel, "true_positive_rate");
  expectPoints(roc, {{0, 0, kInf}, {0, 0.5, 0.8}, {0.5, 0.5, 0.4}, {0.5, 1, 0.35}, {1, 1, 0.1}});
}

TEST(CurvesTest, TiedScoresAreOnePoint) {
  const Curve roc = rocCurve(Values{1, 0, 1, 0}, Values{0.5, 0.5, 0.8, 0.2});
  expectPoints(roc, {{0, 0, kInf}, {0, 0.5, 0.8}, {0.5, 1, 0.5}, {1, 1, 0.2}});
  const Curve pr = prCurve(Values{1, 0, 1, 0}, Values{0.5, 0.5, 0.8, 0.2});
  expectPoints(pr, {{0, 1, kInf}, {0.5, 1, 0.8}, {1, 2.0 / 3.0, 0.5}, {1, 0.5, 0.2}});
}

TEST(CurvesTest, PrPointsByHand) {
  const Curve pr = prCurve(Values{0, 0, 1, 1}, Values{0.1, 0.4, 0.35, 0.8});
  EXPECT_EQ(pr.kind, "pr");
  EXPECT_EQ(pr.xLabel, "recall");
  EXPECT_EQ(pr.yLabel, "precision");
  expectPoints(pr,
               {{0, 1, kInf}, {0.5, 1, 0.8}, {0.5, 0.5, 0.4}, {1, 2.0 / 3.0, 0.35}, {1, 0.5, 0.1}});
}

// scikit-learn 1.2.1 on the same 30 labels/scores as metrics_test.cpp:
//   fpr, tpr, thr = roc_curve(y, s, drop_intermediate=False)
//   precision, recall, thr = precision_recall_curve(y, s)
// (scikit-learn starts the ROC at threshold max(s) + 1 = 1.99 where we use +inf; its PR arrays run
// in increasing threshold order ending at (recall 0, precision 1), ours the reverse.)
const Values kLabels = {1, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0,
                        1, 0, 1, 1, 0, 0, 0, 1, 0, 1, 1, 0, 1, 0, 0};
const Values kScores = {0.9, 0.1,  0.8, 0.35, 0.35, 0.2,  0.6, 0.6,  0.95, 0.05,
                        0.5, 0.5,  0.7, 0.3,  0.45, 0.2,  0.6, 0.85, 0.35, 0.15,
                        0.7, 0.25, 0.4, 0.1,  0.99, 0.55, 0.5, 0.3,  0.02, 0.8};
const Values kRocFpr = {0.0,    0.0,    0.0, 0.0,    0.0,   0.0625, 0.125, 0.25,  0.25,   0.375,
                        0.4375, 0.4375, 0.5, 0.5625, 0.625, 0.6875, 0.75,  0.875, 0.9375, 1.0};
const Values kRocTpr = {0.0,
                        0.07142857142857142,
                        0.14285714285714285,
                        0.21428571428571427,
                        0.2857142857142857,
                        0.35714285714285715,
                        0.42857142857142855,
                        0.5,
                        0.5714285714285714,
                        0.6428571428571429,
                        0.6428571428571429,
                        0.7142857142857143,
                        0.8571428571428571,
                        0.9285714285714286,
                        0.9285714285714286,
                        1.0,
                        1.0,
                        1.0,
                        1.0,
                        1.0};
const Values kRocThresholds = {1.99, 0.99, 0.95, 0.9, 0.85, 0.8, 0.7,  0.6, 0.55, 0.5,
                               0.45, 0.4,  0.35, 0.3, 0.25, 0.2, 0.15, 0.1, 0.05, 0.02};
const Values kPrPrecision = {0.4666666666666667,
                             0.4827586206896552,
                             0.5,
                             0.5384615384615384,
                             0.56,
                             0.5652173913043478,
                             0.5909090909090909,
                             0.6,
                             0.5882352941176471,
                             0.5625,
                             0.6,
                             0.6666666666666666,
                             0.6363636363636364,
                             0.75,
                             0.8333333333333334,
                             1.0,
                             1.0,
                             1.0,
                             1.0,
                             1.0};
const Values kPrRecall = {1.0,
                          1.0,
                          1.0,
                          1.0,
                          1.0,
                          0.9285714285714286,
                          0.9285714285714286,
                          0.8571428571428571,
                          0.7142857142857143,
                          0.6428571428571429,
                          0.6428571428571429,
                          0.5714285714285714,
                          0.5,
                          0.42857142857142855,
                          0.35714285714285715,
                          0.2857142857142857,
                          0.21428571428571427,
                          0.14285714285714285,
                          0.07142857142857142,
                          0.0};
const Values kPrThresholds = {0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45,
                              0.5,  0.55, 0.6, 0.7,  0.8, 0.85, 0.9, 0.95, 0.99};

TEST(CurvesTest, MatchesScikitLearn) {
  const Curve roc = rocCurve(kLabels, kScores);
  ASSERT_EQ(roc.points.size(), kRocFpr.size());
  EXPECT_EQ(roc.points[0].threshold, kInf);
  for (std::size_t i = 0; i < kRocFpr.size(); ++i) {
    EXPECT_NEAR(roc.points[i].x, kRocFpr[i], 1e-12) << i;
    EXPECT_NEAR(roc.points[i].y, kRocTpr[i], 1e-12) << i;
    if (i > 0) {
      EXPECT_EQ(roc.points[i].threshold, kRocThresholds[i]) << i;
    }
  }
  const Curve pr = prCurve(kLabels, kScores);
  const std::size_t n = kPrPrecision.size();
  ASSERT_EQ(pr.points.size(), n);
  EXPECT_EQ(pr.points[0].threshold, kInf);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t k = n - 1 - i;  // scikit-learn's order is ours reversed
    EXPECT_NEAR(pr.points[i].x, kPrRecall[k], 1e-12) << i;
    EXPECT_NEAR(pr.points[i].y, kPrPrecision[k], 1e-12) << i;
    if (i > 0) {
      EXPECT_EQ(pr.points[i].threshold, kPrThresholds[k]) << i;
    }
  }
}

TEST(CurvesTest, OneClassThrows) {
  EXPECT_THROW(rocCurve(Values{1, 1}, Values{0.2, 0.3}), InputError);
  EXPECT_THROW(rocCurve(Values{0, 0}, Values{0.2, 0.3}), InputError);
  EXPECT_THROW(prCurve(Values{0, 0}, Values{0.2, 0.3}), InputError);
  EXPECT_NO_THROW(prCurve(Values{1, 1}, Values{0.2, 0.3}));
}

Curve largeRoc() {
  Rng rng(3);
  Values labels(20000), scores(20000);
  for (std::size_t i = 0; i < labels.size(); ++i) {
    labels[i] = rng.bernoulli(0.4) ? 1 : 0;
    scores[i] = rng.normal() + 1.2 * labels[i];
  }
  return rocCurve(labels, scores);
}

TEST(CurvesTest, DownsampleKeepsEndpointsCountAndShape) {
  const Curve roc = largeRoc();
  ASSERT_GT(roc.points.size(), 10000u);
  const Curve small = downsample(roc, 200);
  ASSERT_EQ(small.points.size(), 200u);
  EXPECT_EQ(small.kind, "roc");
  EXPECT_EQ(small.points.front().threshold, kInf);
  EXPECT_EQ(small.points.back().x, 1.0);
  EXPECT_EQ(small.points.back().y, 1.0);
  // Points are a subsequence in the original order, and consecutive kept points are about one
  // step of arc length apart (the total ROC length is between sqrt(2) and 2).
  double maxGap = 0;
  for (std::size_t i = 1; i < small.points.size(); ++i) {
    EXPECT_LT(small.points[i].threshold, small.points[i - 1].threshold);
    maxGap = std::max(maxGap, std::hypot(small.points[i].x - small.points[i - 1].x,
                                         small.points[i].y - small.points[i - 1].y));
  }
  EXPECT_LT(maxGap, 3.0 * 2.0 / 199.0);
  // Small curves are returned unchanged; fewer than two points is refused.
  EXPECT_EQ(downsample(small, 500).points.size(), 200u);
  EXPECT_EQ(downsample(roc, 2).points.size(), 2u);
  EXPECT_THROW(downsample(roc, 1), InputError);
}

TEST(CurvesTest, DownsampleOfZeroLengthCurveSpacesByIndex) {
  Curve flat{"pr", "recall", "precision", {}};
  for (int i = 0; i < 10; ++i) flat.points.push_back({0.5, 0.5, double(10 - i)});
  const Curve small = downsample(flat, 4);
  ASSERT_EQ(small.points.size(), 4u);
  EXPECT_EQ(small.points.front().threshold, 10.0);
  EXPECT_EQ(small.points.back().threshold, 1.0);
}

TEST(CurvesTest, JsonRoundTripIsExact) {
  const Curve roc = downsample(largeRoc(), 300);
  const nlohmann::json json = toJson(roc);
  EXPECT_EQ(json["kind"], "roc");
  EXPECT_TRUE(json["threshold"][0].is_null());
  ASSERT_EQ(json["x"].size(), 300u);
  const Curve back = curveFromJson(nlohmann::json::parse(json.dump()));
  EXPECT_EQ(back.kind, roc.kind);
  EXPECT_EQ(back.xLabel, roc.xLabel);
  EXPECT_EQ(back.yLabel, roc.yLabel);
  ASSERT_EQ(back.points.size(), roc.points.size());
  for (std::size_t i = 0; i < roc.points.size(); ++i) {
    EXPECT_EQ(back.points[i].x, roc.points[i].x);
    EXPECT_EQ(back.points[i].y, roc.points[i].y);
    EXPECT_EQ(back.points[i].threshold, roc.points[i].threshold);
  }
  Curve negative{"pr", "recall", "precision", {{0, 1, kInf}, {1, 0.5, -kInf}}};
  EXPECT_EQ(curveFromJson(toJson(negative)).points[1].threshold, -kInf);
}

TEST(CurvesTest, CorruptJsonThrowsNamingTheField) {
  nlohmann::json json = toJson(rocCurve(Values{0, 1}, Values{0.2, 0.7}));
  auto expectCorrupt = [](const nlohmann::json& document, const std::string& needle) {
    try {
      curveFromJson(document);
      ADD_FAILURE() << "no exception for " << document.dump();
    } catch (const Corrupt& error) {
      EXPECT_NE(std::string(error.what()).find(needle), std::string::npos) << error.what();
    }
  };
  nlohmann::json missing = json;
  missing.erase("y");
  expectCorrupt(missing, "'y'");
  nlohmann::json shorter = json;
  shorter["threshold"].erase(0);
  expectCorrupt(shorter, "differ in length");
  nlohmann::json badValue = json;
  badValue["x"][1] = "a";
  expectCorrupt(badValue, "x[1]");
  expectCorrupt(nlohmann::json::array(), "object");
}

}  // namespace
}  // namespace geih::eval
