#include "core/ml/feature_pipeline.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/common/error.h"

namespace geih::ml {
namespace {

using table::Column;
using table::Table;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Table trainingTable() {
  Table data;
  data.addColumn(Column::numeric("temp", {10, 20, kNaN, 30}));             // mean 20
  data.addColumn(Column::boolean("wet", {1, 0, 1, table::kMissingBool}));  // share of 1 = 2/3
  data.addColumn(Column::categoricalFromStrings("cover", {"forest", "crop", "forest", ""},
                                                {false, false, false, true}));
  data.addColumn(Column::numeric("ignored", {1, 2, 3, 4}));
  return data;
}

TEST(FeaturePipelineTest, ImputesStandardisesAndOneHotEncodes) {
  const FeaturePipeline pipeline =
      FeaturePipeline::fit(trainingTable(), {"temp", "wet", "cover"}, true);
  EXPECT_EQ(pipeline.outputNames(),
            (std::vector<std::string>{"temp", "wet", "cover=forest", "cover=crop"}));
  // temp after imputation: 10, 20, 20, 30 -> mean 20, population variance (100+0+0+100)/4 = 50.
  EXPECT_DOUBLE_EQ(pipeline.centers()[0], 20.0);
  EXPECT_DOUBLE_EQ(pipeline.scales()[0], std::sqrt(50.0));
  // wet after imputation: 1, 0, 1, 2/3 -> mean 2/3, variance (1/9 + 4/9 + 1/9 + 0) / 4 = 1/6.
  EXPECT_DOUBLE_EQ(pipeline.centers()[1], 2.0 / 3.0);
  EXPECT_NEAR(pipeline.scales()[1], std::sqrt(1.0 / 6.0), 1e-15);
  EXPECT_EQ(pipeline.centers()[2], 0.0);
  EXPECT_EQ(pipeline.scales()[3], 1.0);

  const Eigen::MatrixXd x = pipeline.transform(trainingTable());
  ASSERT_EQ(x.rows(), 4);
  ASSERT_EQ(x.cols(), 4);
  const double s = std::sqrt(50.0);
  EXPECT_DOUBLE_EQ(x(0, 0), -10.0 / s);
  EXPECT_DOUBLE_EQ(x(2, 0), 0.0);  // imputed with the mean
  EXPECT_DOUBLE_EQ(x(3, 0), 10.0 / s);
  EXPECT_NEAR(x(3, 1), 0.0, 1e-15);  // imputed boolean sits at the centre
  EXPECT_EQ(x.row(0).tail(2), Eigen::RowVector2d(1, 0));
  EXPECT_EQ(x.row(1).tail(2), Eigen::RowVector2d(0, 1));
  EXPECT_EQ(x.row(3).tail(2), Eigen::RowVector2d(0, 0));  // missing category: all zeros
  // Standardised columns have mean 0 and population standard deviation 1.
  EXPECT_NEAR(x.col(0).mean(), 0.0, 1e-15);
  EXPECT_NEAR(x.col(0).squaredNorm() / 4.0, 1.0, 1e-15);
}

TEST(FeaturePipelineTest, WithoutStandardisationOnlyImputes) {
  const FeaturePipeline pipeline = FeaturePipeline::fit(trainingTable(), {"temp"}, false);
  EXPECT_EQ(pipeline.centers()[0], 0.0);
  EXPECT_EQ(pipeline.scales()[0], 1.0);
  const Eigen::MatrixXd x = pipeline.transform(trainingTable());
  EXPECT_EQ(x(2, 0), 20.0);
  EXPECT_EQ(x(3, 0), 30.0);
}

TEST(FeaturePipelineTest, ConstantColumnGetsScaleOne) {
  Table data;
  data.addColumn(Column::numeric("c", {0.1, 0.1, 0.1}));
  const FeaturePipeline pipeline = FeaturePipeline::fit(data, {"c"}, true);
  EXPECT_EQ(pipeline.scales()[0], 1.0);
  EXPECT_NEAR(pipeline.transform(data)(1, 0), 0.0, 1e-16);
}

TEST(FeaturePipelineTest, UnseenCategoryAndReorderedDictionaryMapByName) {
  const FeaturePipeline pipeline = FeaturePipeline::fit(trainingTable(), {"cover"}, true);
  Table scoring;
  // Dictionary order differs from training ("crop" first) and holds an unseen "urban".
  scoring.addColumn(Column::categoricalFromStrings("cover", {"crop", "urban", "forest"}));
  scoring.addColumn(Column::numeric("temp", {1, 2, 3}));
  const Eigen::MatrixXd x = pipeline.transform(scoring);
  EXPECT_EQ(x.row(0), Eigen::RowVector2d(0, 1));
  EXPECT_EQ(x.row(1), Eigen::RowVector2d(0, 0));
  EXPECT_EQ(x.row(2), Eigen::RowVector2d(1, 0));
}

TEST(FeaturePipelineTest, MissingOrIncompatibleColumnsThrowNamingThem) {
  const FeaturePipeline pipeline = FeaturePipeline::fit(trainingTable(), {"temp", "cover"}, true);
  Table noTemp;
  noTemp.addColumn(Column::categoricalFromStrings("cover", {"crop"}));
  try {
    pipeline.transform(noTemp);
    FAIL();
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("'temp'"), std::string::npos) << error.what();
  }
  Table textTemp;
  textTemp.addColumn(Column::categoricalFromStrings("temp", {"hot"}));
  textTemp.addColumn(Column::categoricalFromStrings("cover", {"crop"}));
  EXPECT_THROW(pipeline.transform(textTemp), InputError);

  EXPECT_THROW(FeaturePipeline::fit(trainingTable(), {"nope"}, true), InputError);
  EXPECT_THROW(FeaturePipeline::fit(trainingTable(), {}, true), InputError);
  EXPECT_THROW(FeaturePipeline::fit(trainingTable(), {"temp", "temp"}, true), InputError);
  Table empty;
  empty.addColumn(Column::numeric("x", {kNaN, kNaN}));
  EXPECT_THROW(FeaturePipeline::fit(empty, {"x"}, true), InputError);
}

TEST(FeaturePipelineTest, JsonRoundTripIsBitIdentical) {
  Table data = trainingTable();
  Table odd;
  odd.addColumn(Column::numeric("temp", {0.1 + 0.2, 1e-300, 12345.678901234567, kNaN}));
  const FeaturePipeline pipeline = FeaturePipeline::fit(odd, {"temp"}, true);
  const FeaturePipeline full = FeaturePipeline::fit(data, {"temp", "wet", "cover"}, true);
  for (const FeaturePipeline* original : {&pipeline, &full}) {
    const FeaturePipeline back =
        FeaturePipeline::fromJson(nlohmann::json::parse(original->toJson().dump()));
    EXPECT_EQ(back.outputNames(), original->outputNames());
    EXPECT_EQ(back.centers(), original->centers());
    EXPECT_EQ(back.scales(), original->scales());
    ASSERT_EQ(back.inputs().size(), original->inputs().size());
    for (std::size_t i = 0; i < back.inputs().size(); ++i) {
      EXPECT_EQ(back.inputs()[i].name, original->inputs()[i].name);
      EXPECT_EQ(back.inputs()[i].type, original->inputs()[i].type);
    }
    const Table& input = original == &pipeline ? odd : data;
    EXPECT_EQ(back.transform(input), original->transform(input));
  }
}

TEST(FeaturePipelineTest, CorruptJsonThrowsNamingTheField) {
  const nlohmann::json good =
      FeaturePipeline::fit(trainingTable(), {"temp", "cover"}, true).toJson();
  auto expectCorrupt = [](const nlohmann::json& json, const std::string& needle) {
    try {
      FeaturePipeline::fromJson(json);
      ADD_FAILURE() << "accepted " << json.dump();
    } catch (const Corrupt& error) {
      EXPECT_NE(std::string(error.what()).find(needle), std::string::npos) << error.what();
    }
  };
  nlohmann::json bad = good;
  bad["steps"][0]["scale"] = -1.0;
  expectCorrupt(bad, "preprocessing.steps[0].scale");
  bad = good;
  bad["steps"][0].erase("fill");
  expectCorrupt(bad, "'fill'");
  bad = good;
  bad["steps"][1]["type"] = "text";
  expectCorrupt(bad, "steps[1].type");
  bad = good;
  bad["steps"][1]["categories"] = {"a", "a"};
  expectCorrupt(bad, "appears twice");
  bad = good;
  bad.erase("steps");
  expectCorrupt(bad, "preprocessing.steps");
}

}  // namespace
}  // namespace geih::ml

namespace geih::ml {
namespace {

TEST(FeaturePipelineUnseenTest, CategoriesUnseenInTrainingAreNamedWithTheirCounts) {
  table::Table train;
  train.addColumn(table::Column::categoricalFromStrings("cover", {"forest", "grass", "forest"}));
  train.addColumn(table::Column::numeric("t", {1, 2, 3}));
  const FeaturePipeline pipeline = FeaturePipeline::fitForTrees(train, {"cover", "t"});
  table::Table scored;
  scored.addColumn(
      table::Column::categoricalFromStrings("cover", {"glacier", "forest", "glacier", "lava"}));
  scored.addColumn(table::Column::numeric("t", {1, 2, 3, 4}));
  const std::vector<std::string> messages = pipeline.unseenCategories(scored);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0],
            "cover: 2 categories unseen in training ('glacier' x 2, 'lava' x 1); those rows are "
            "scored as if the value were missing");
  EXPECT_TRUE(pipeline.unseenCategories(train).empty());
}

}  // namespace
}  // namespace geih::ml
