#include "core/ml/params.h"

#include <gtest/gtest.h>

#include "core/common/error.h"
#include "core/ml/logistic_regression.h"

namespace geih::ml {
namespace {

std::vector<ParamSpec> testSchema() {
  ParamSpec c{"C", ParamType::Double, "1.0", "inverse regularisation", 0.0, std::nullopt, {}};
  c.minExclusive = true;
  return {c,
          {"max_iter", ParamType::Int, "100", "iterations", 1.0, 1000.0, {}},
          {"fast", ParamType::Bool, "false", "go fast", std::nullopt, std::nullopt, {}},
          {"mode", ParamType::Choice, "a", "mode", std::nullopt, std::nullopt, {"a", "b"}}};
}

bool contains(const std::vector<std::string>& messages, const std::string& text) {
  for (const std::string& message : messages) {
    if (message == text) return true;
  }
  return false;
}

TEST(ParamsTest, ParsesAssignments) {
  EXPECT_EQ(parseParamAssignment("C=0.5"), (std::pair<std::string, std::string>{"C", "0.5"}));
  EXPECT_EQ(parseParamAssignment(" tol = 1e-6 "),
            (std::pair<std::string, std::string>{"tol", "1e-6"}));
  EXPECT_EQ(parseParamAssignment("x=a=b").second, "a=b");
  EXPECT_THROW(parseParamAssignment("C"), InputError);
  EXPECT_THROW(parseParamAssignment("=3"), InputError);
}

TEST(ParamsTest, ValidValuesPass) {
  EXPECT_TRUE(validateParams(testSchema(), {}).empty());
  EXPECT_TRUE(validateParams(testSchema(),
                             {{"C", "0.01"}, {"max_iter", "1000"}, {"fast", "TRUE"}, {"mode", "b"}})
                  .empty());
}

TEST(ParamsTest, EveryViolationIsListed) {
  const auto messages = validateParams(
      testSchema(),
      {{"C", "-1"}, {"max_iter", "1.5"}, {"fast", "maybe"}, {"mode", "c"}, {"colour", "red"}});
  ASSERT_EQ(messages.size(), 5u);
  EXPECT_TRUE(contains(messages, "C: must be > 0, got -1"));
  EXPECT_TRUE(contains(messages, "max_iter: must be an integer, got '1.5'"));
  EXPECT_TRUE(contains(messages, "fast: must be true or false, got 'maybe'"));
  EXPECT_TRUE(contains(messages, "mode: must be one of a, b, got 'c'"));
  EXPECT_TRUE(contains(messages, "colour: unknown parameter (known: C, max_iter, fast, mode)"));
}

TEST(ParamsTest, BoundsAreChecked) {
  EXPECT_TRUE(contains(validateParams(testSchema(), {{"C", "0"}}), "C: must be > 0, got 0"));
  EXPECT_TRUE(
      contains(validateParams(testSchema(), {{"max_iter", "0"}}), "max_iter: must be >= 1, got 0"));
  EXPECT_TRUE(contains(validateParams(testSchema(), {{"max_iter", "1001"}}),
                       "max_iter: must be <= 1000, got 1001"));
  EXPECT_TRUE(contains(validateParams(testSchema(), {{"C", "abc"}}),
                       "C: must be a finite number, got 'abc'"));
  EXPECT_EQ(validateParams(testSchema(), {{"C", "inf"}}).size(), 1u);
  EXPECT_EQ(validateParams(testSchema(), {{"C", "1x"}}).size(), 1u);
}

TEST(ParamsTest, ResolveOverlaysDefaultsAndThrowsListingAll) {
  const ParamMap resolved = resolveParams(testSchema(), {{"C", "0.25"}});
  EXPECT_EQ(resolved.at("C"), "0.25");
  EXPECT_EQ(resolved.at("max_iter"), "100");
  EXPECT_EQ(resolved.at("mode"), "a");
  EXPECT_DOUBLE_EQ(paramDouble(resolved, "C"), 0.25);
  EXPECT_EQ(paramInt(resolved, "max_iter"), 100);
  EXPECT_FALSE(paramBool(resolved, "fast"));
  EXPECT_THROW(paramDouble(resolved, "nothing"), InputError);
  try {
    resolveParams(testSchema(), {{"C", "-1"}, {"max_iter", "0"}});
    FAIL();
  } catch (const InputError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("C: must be > 0, got -1"), std::string::npos) << message;
    EXPECT_NE(message.find("max_iter: must be >= 1, got 0"), std::string::npos) << message;
  }
}

TEST(ParamsTest, SchemaJsonDescribesEachParameter) {
  const nlohmann::json json = toJson(LogisticRegressionLearner::schema());
  ASSERT_TRUE(json.is_array());
  ASSERT_EQ(json.size(), 7u);
  EXPECT_EQ(json[0]["name"], "C");
  EXPECT_EQ(json[0]["type"], "double");
  EXPECT_EQ(json[0]["min"], 0.0);
  EXPECT_EQ(json[0]["min_exclusive"], true);
  EXPECT_EQ(json[3]["type"], "choice");
  EXPECT_EQ(json[3]["choices"], nlohmann::json({"none", "balanced"}));
  EXPECT_EQ(json[5]["name"], "penalty");
  EXPECT_EQ(json[5]["choices"], nlohmann::json({"l2", "l1", "elasticnet", "none"}));
  EXPECT_EQ(json[6]["max"], 1.0);
  for (const auto& spec : json) {
    EXPECT_FALSE(spec["help"].get<std::string>().empty());
  }
}

TEST(ParamsTest, LogisticDefaultsValidateAgainstTheirOwnSchema) {
  const auto schema = LogisticRegressionLearner::schema();
  ParamMap defaults;
  for (const ParamSpec& spec : schema) defaults[spec.name] = spec.defaultValue;
  EXPECT_TRUE(validateParams(schema, defaults).empty());
  EXPECT_THROW(LogisticRegressionLearner(ParamMap{{"C", "-1"}}), InputError);
}

}  // namespace
}  // namespace geih::ml
