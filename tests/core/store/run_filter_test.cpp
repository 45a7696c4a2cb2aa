#include "core/store/run_filter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <set>

#include "core/common/error.h"
#include "core/store/database.h"
#include "core/store/workspace.h"
#include "tests/core/store/store_test_util.h"

namespace geih::store {
namespace {

using testing::TempFolder;
namespace fs = std::filesystem;
using Names = std::set<std::string>;

// ---- compiling

TEST(RunFilterCompileTest, EmptyFilterMatchesAll) {
  EXPECT_EQ(compileRunFilter("").whereSql, "1");
  EXPECT_EQ(compileRunFilter("  \t\n ").whereSql, "1");
  EXPECT_TRUE(compileRunFilter("").parameters.empty());
}

TEST(RunFilterCompileTest, KeysAndValuesAreBoundParametersInOrder) {
  const CompiledFilter filter = compileRunFilter(
      "params.model = 'rf' AND metrics.roc_auc > 0.5 or tags.`a b` IN ('x', \"y\")");
  const std::vector<SqlValue> expected = {
      std::string("model"), std::string("rf"), std::string("roc_auc"), 0.5,
      std::string("a b"),   std::string("x"),  std::string("y")};
  EXPECT_EQ(filter.parameters, expected);
  EXPECT_EQ(filter.whereSql.find('\''), std::string::npos) << filter.whereSql;
  EXPECT_EQ(filter.whereSql.find('"'), std::string::npos) << filter.whereSql;
  EXPECT_EQ(filter.whereSql.find("rf"), std::string::npos) << filter.whereSql;
  EXPECT_EQ(filter.whereSql.find("roc_auc"), std::string::npos) << filter.whereSql;
  EXPECT_EQ(filter.whereSql.find("0.5"), std::string::npos) << filter.whereSql;
  EXPECT_EQ(std::count(filter.whereSql.begin(), filter.whereSql.end(), '?'), 7);
}

TEST(RunFilterCompileTest, DoubledQuotesEscapeAndKeywordsIgnoreCase) {
  const CompiledFilter filter =
      compileRunFilter("not params.a = 'it''s' oR params.b = \"say \"\"hi\"\"\"");
  const std::vector<SqlValue> expected = {std::string("a"), std::string("it's"), std::string("b"),
                                          std::string("say \"hi\"")};
  EXPECT_EQ(filter.parameters, expected);
}

TEST(RunFilterCompileTest, OrderByBindsKeysAndKeepsMissingLast) {
  std::vector<SqlValue> parameters = {std::int64_t(7)};
  const std::string sql =
      compileOrderBy("metrics.roc_auc DESC, params.C asc, attributes.start_time", parameters);
  const std::vector<SqlValue> expected = {std::int64_t(7), std::string("roc_auc"),
                                          std::string("C")};
  EXPECT_EQ(parameters, expected);
  EXPECT_NE(sql.find("NULLS LAST"), std::string::npos);
  EXPECT_NE(sql.find("DESC"), std::string::npos);
  EXPECT_EQ(sql.find("roc_auc"), std::string::npos);
  EXPECT_EQ(compileOrderBy("  ", parameters), "");
}

std::string errorOf(std::string_view filter) {
  try {
    compileRunFilter(filter);
  } catch (const InputError& error) {
    return error.what();
  }
  return "(no error)";
}

std::string orderErrorOf(std::string_view order) {
  try {
    std::vector<SqlValue> parameters;
    compileOrderBy(order, parameters);
  } catch (const InputError& error) {
    return error.what();
  }
  return "(no error)";
}

TEST(RunFilterCompileTest, ErrorsPointAtTheOffendingToken) {
  EXPECT_EQ(errorOf("metrics.roc_auc >"),
            "filter: expected a value after '>' at column 18\n"
            "  metrics.roc_auc >\n"
            "                   ^");
  const std::string notNumber = errorOf("metrics.roc_auc > 'high'");
  EXPECT_NE(notNumber.find("column 19"), std::string::npos) << notNumber;
  EXPECT_NE(notNumber.find("numbers"), std::string::npos) << notNumber;

  const std::string attribute = errorOf("attributes.colour = 'red'");
  EXPECT_NE(attribute.find("unknown attribute 'colour'"), std::string::npos) << attribute;
  EXPECT_NE(attribute.find("column 1"), std::string::npos) << attribute;

  const std::string prefix = errorOf("metrics.a > 1 and foo.bar = 'x'");
  EXPECT_NE(prefix.find("unknown key prefix 'foo'"), std::string::npos) << prefix;
  EXPECT_NE(prefix.find("metrics., params., tags., attributes., datasets."), std::string::npos);
  EXPECT_NE(prefix.find("column 19"), std::string::npos) << prefix;

  const std::string open = errorOf("(metrics.a > 1 or metrics.b < 2");
  EXPECT_NE(open.find("expected ')'"), std::string::npos) << open;
  EXPECT_NE(open.find("column 32"), std::string::npos) << open;

  const std::string close = errorOf("metrics.a > 1)");
  EXPECT_NE(close.find("unbalanced ')'"), std::string::npos) << close;
  EXPECT_NE(close.find("column 14"), std::string::npos) << close;

  const std::string trailing = errorOf("metrics.a > 1 metrics.b > 2");
  EXPECT_NE(trailing.find("column 15"), std::string::npos) << trailing;

  const std::string emptyIn = errorOf("params.a IN ()");
  EXPECT_NE(emptyIn.find("empty IN list"), std::string::npos) << emptyIn;
  EXPECT_NE(emptyIn.find("column 14"), std::string::npos) << emptyIn;

  EXPECT_NE(errorOf("params.a > 'x'").find("column 10"), std::string::npos);
  EXPECT_NE(errorOf("params.a = 3").find("quoted"), std::string::npos);
  EXPECT_NE(errorOf("params.a = 'x").find("unterminated"), std::string::npos);
  EXPECT_NE(errorOf("metrics.`a > 1").find("unterminated"), std::string::npos);
  EXPECT_NE(errorOf("metrics.a LIKE 'x'").find("column 11"), std::string::npos);
  EXPECT_NE(errorOf("roc_auc > 1").find("not a key"), std::string::npos);
  EXPECT_NE(errorOf("metrics.a > 1 and").find("column 18"), std::string::npos);
  EXPECT_NE(errorOf("metrics.a ~ 1").find("column 11"), std::string::npos);
  EXPECT_NE(orderErrorOf("metrics.a DESC params.b").find("column 16"), std::string::npos);
  EXPECT_NE(orderErrorOf("datasets.name").find("cannot order by"), std::string::npos);
  EXPECT_NE(orderErrorOf("metrics.a,").find("expected a key"), std::string::npos);
}

// ---- behaviour on a real workspace

class RunFilterWorkspaceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    m_workspace = std::make_unique<Workspace>(Workspace::open(m_folder.path() / "ws"));
    const std::int64_t experiment = m_workspace->createExperiment("filters");
    fs::create_directories(m_folder.path() / "files");
    const auto datasetFile = [&](const std::string& name, const std::string& content) {
      const fs::path file = m_folder.path() / "files" / (name + ".csv");
      std::ofstream(file) << content;
      return m_workspace->registerDataset(name, file, "{}", "{}", 1).id;
    };
    const std::int64_t geih = datasetFile("geih2023", "a\n1\n");
    const std::int64_t other = datasetFile("other", "a\n2\n");

    const auto run = [&](const std::string& name) {
      const std::string id = m_workspace->createRun(experiment, NewRun{name, {}, {}, {}, {}});
      m_ids[name] = id;
      return id;
    };
    std::string id = run("rf-a");
    m_workspace->logParams(id, {{"model", "rf"}, {"class_weight", "balanced"}});
    m_workspace->logMetric(id, "roc_auc", 0.91);
    m_workspace->logMetric(id, "f1", 0.5);
    m_workspace->setTag(id, "stage", "prod");
    m_workspace->linkDataset(id, geih, "train");
    m_workspace->finishRun(id, RunStatus::Finished);

    id = run("rf-b");
    m_workspace->logParams(id, {{"model", "rf"}, {"class_weight", "none"}});
    m_workspace->logMetric(id, "roc_auc", 0.85);
    m_workspace->setTag(id, "stage", "dev");
    m_workspace->linkDataset(id, geih, "test");
    m_workspace->finishRun(id, RunStatus::Failed);

    id = run("logit-A");
    m_workspace->logParams(id, {{"model", "logistic"}, {"C", "1"}});
    m_workspace->logMetric(id, "roc_auc", 0.5, 0);
    m_workspace->logMetric(id, "roc_auc", 0.93, 1);  // the latest value counts
    m_workspace->logMetric(id, "my metric", 3);
    m_workspace->setTag(id, "stage", "prod");
    m_workspace->linkDataset(id, other, "train");
    m_workspace->finishRun(id, RunStatus::Finished);

    id = run("logit-b");
    m_workspace->logParams(id, {{"model", "logistic"}, {"C", "0.01"}});
    m_workspace->logMetric(id, "roc_auc", 0.80);

    id = run("Gbm");
    m_workspace->logParam(id, "model", "gbm");
    m_workspace->setTag(id, "stage", "Prod");
    m_workspace->finishRun(id, RunStatus::Killed);

    id = run("empty");
    m_workspace->finishRun(id, RunStatus::Finished);
  }

  Names names(const std::string& filter) {
    RunQuery query;
    query.filter = filter;
    Names out;
    for (const auto& run : m_workspace->listRuns(query)) out.insert(run.name);
    EXPECT_EQ(m_workspace->countRuns(query), out.size()) << filter;
    return out;
  }

  std::vector<std::string> ordered(const std::string& orderBy, const std::string& filter = {},
                                   std::size_t limit = 0, std::size_t offset = 0) {
    RunQuery query;
    query.filter = filter;
    query.orderBy = orderBy;
    query.limit = limit;
    query.offset = offset;
    std::vector<std::string> out;
    for (const auto& run : m_workspace->listRuns(query)) out.push_back(run.name);
    return out;
  }

  TempFolder m_folder;
  std::unique_ptr<Workspace> m_workspace;
  std::map<std::string, std::string> m_ids;
};

TEST_F(RunFilterWorkspaceTest, ComparisonsAndBooleanLogic) {
  const Names all = {"rf-a", "rf-b", "logit-A", "logit-b", "Gbm", "empty"};
  EXPECT_EQ(names(""), all);
  EXPECT_EQ(names("attributes.start_time > 0"), all);
  EXPECT_EQ(names("metrics.roc_auc > 0.9"), (Names{"rf-a", "logit-A"}));
  EXPECT_EQ(names("metrics.roc_auc <= 0.85"), (Names{"rf-b", "logit-b"}));
  EXPECT_EQ(names("metrics.roc_auc > 0.9 AND params.model = 'rf'"), (Names{"rf-a"}));
  EXPECT_EQ(names("params.model = 'rf' or params.model = \"gbm\""), (Names{"rf-a", "rf-b", "Gbm"}));
  EXPECT_EQ(names("not params.model = 'rf'"), (Names{"logit-A", "logit-b", "Gbm", "empty"}));
  EXPECT_EQ(names("params.model != 'rf'"), (Names{"logit-A", "logit-b", "Gbm"}));
  // AND binds tighter than OR; parentheses change that.
  EXPECT_EQ(names("params.model = 'logistic' or params.model = 'rf' and metrics.roc_auc > 0.9"),
            (Names{"logit-A", "logit-b", "rf-a"}));
  EXPECT_EQ(names("(params.model = 'logistic' or params.model = 'rf') and metrics.roc_auc > 0.9"),
            (Names{"logit-A", "rf-a"}));
  EXPECT_EQ(names("NOT (metrics.roc_auc > 0.9 OR NOT params.model = 'logistic')"),
            (Names{"logit-b"}));
}

TEST_F(RunFilterWorkspaceTest, LikeIlikeInBackticksAttributesAndDatasets) {
  EXPECT_EQ(names("attributes.name LIKE 'logit%'"), (Names{"logit-A", "logit-b"}));
  EXPECT_EQ(names("attributes.name LIKE 'LOGIT%'"), Names{});
  EXPECT_EQ(names("attributes.name ILIKE 'LOGIT%'"), (Names{"logit-A", "logit-b"}));
  EXPECT_EQ(names("attributes.name LIKE 'logit-_'"), (Names{"logit-A", "logit-b"}));
  EXPECT_EQ(names("attributes.name NOT LIKE '%-%'"), (Names{"Gbm", "empty"}));
  EXPECT_EQ(names("tags.stage = 'prod'"), (Names{"rf-a", "logit-A"}));
  EXPECT_EQ(names("tags.stage ILIKE 'prod'"), (Names{"rf-a", "logit-A", "Gbm"}));
  EXPECT_EQ(names("params.model IN ('rf', 'gbm')"), (Names{"rf-a", "rf-b", "Gbm"}));
  EXPECT_EQ(names("params.model NOT IN ('rf', 'gbm')"), (Names{"logit-A", "logit-b"}));
  EXPECT_EQ(names("metrics.roc_auc IN (0.8, 0.85)"), (Names{"rf-b", "logit-b"}));
  EXPECT_EQ(names("metrics.`my metric` = 3"), (Names{"logit-A"}));
  EXPECT_EQ(names("metrics.`my metric` >= 3.5"), Names{});
  EXPECT_EQ(names("attributes.status = 'FINISHED'"), (Names{"rf-a", "logit-A", "empty"}));
  EXPECT_EQ(names("attributes.status = 'failed'"), (Names{"rf-b"}));
  EXPECT_EQ(names("attributes.status IN ('RUNNING', 'KILLED')"), (Names{"logit-b", "Gbm"}));
  EXPECT_EQ(names("attributes.run_id = '" + m_ids["Gbm"] + "'"), (Names{"Gbm"}));
  EXPECT_EQ(names("attributes.end_time > 0"), (Names{"rf-a", "rf-b", "logit-A", "Gbm", "empty"}));
  // A running run has no duration, so it never matches a comparison on it.
  EXPECT_EQ(names("attributes.duration >= 0"), (Names{"rf-a", "rf-b", "logit-A", "Gbm", "empty"}));
  EXPECT_EQ(names("datasets.name = 'geih2023'"), (Names{"rf-a", "rf-b"}));
  EXPECT_EQ(names("datasets.name = 'geih2023' and datasets.role = 'train'"), (Names{"rf-a"}));
  EXPECT_EQ(names("datasets.role = 'train'"), (Names{"rf-a", "logit-A"}));
}

TEST_F(RunFilterWorkspaceTest, OrderByTwoKeysWithMissingValuesLast) {
  EXPECT_EQ(ordered("metrics.roc_auc DESC, attributes.name"),
            (std::vector<std::string>{"logit-A", "rf-a", "rf-b", "logit-b", "Gbm", "empty"}));
  EXPECT_EQ(ordered("metrics.roc_auc, attributes.name DESC"),
            (std::vector<std::string>{"logit-b", "rf-b", "rf-a", "logit-A", "empty", "Gbm"}));
  EXPECT_EQ(ordered("params.C ASC, attributes.name", "params.model != 'gbm'"),
            (std::vector<std::string>{"logit-b", "logit-A", "rf-a", "rf-b"}));
  EXPECT_EQ(ordered("metrics.roc_auc DESC", "", 2, 1), (std::vector<std::string>{"rf-a", "rf-b"}));
}

// Pages ordered by a value are read in the order of the (key, value) index and then continue with
// the runs that lack the value; every page size and offset must cut the one full ordering.
TEST_F(RunFilterWorkspaceTest, PagesByAValueCutTheFullOrdering) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"metrics.roc_auc DESC", ""},
      {"metrics.roc_auc", ""},
      {"params.model, attributes.name DESC", ""},
      {"tags.stage DESC, metrics.roc_auc", ""},
      {"metrics.roc_auc DESC", "params.model IN ('rf', 'logistic') or tags.stage ILIKE 'prod'"},
      {"params.C DESC", "not attributes.status = 'RUNNING'"},
  };
  for (const auto& [order, filter] : cases) {
    const std::vector<std::string> full = ordered(order, filter);  // no limit: one sorted query
    for (std::size_t limit = 1; limit <= full.size() + 1; ++limit) {
      for (std::size_t offset = 0; offset <= full.size() + 1; ++offset) {
        const std::vector<std::string> page = ordered(order, filter, limit, offset);
        const std::size_t from = std::min(offset, full.size());
        const std::size_t to = std::min(offset + limit, full.size());
        EXPECT_EQ(page, std::vector<std::string>(full.begin() + std::ptrdiff_t(from),
                                                 full.begin() + std::ptrdiff_t(to)))
            << order << " | " << filter << " | limit " << limit << " offset " << offset;
      }
    }
  }
  // The hand-checked full order for the first case: values descending, then the runs without one
  // (newest first).
  EXPECT_EQ(ordered("metrics.roc_auc DESC", "", 3, 3),
            (std::vector<std::string>{"logit-b", "empty", "Gbm"}));
}

TEST_F(RunFilterWorkspaceTest, InjectionAttemptsMatchNothing) {
  EXPECT_EQ(names("params.model = 'x'' OR 1=1 --'"), Names{});
  EXPECT_EQ(names("params.`model' OR 1=1 --` = 'rf'"), Names{});
  EXPECT_EQ(names("attributes.name = '\"; DROP TABLE runs; --'"), Names{});
  EXPECT_EQ(names("tags.stage = 'prod'') OR (1=1'"), Names{});
  EXPECT_THROW(names("params.model = 'x' OR 1=1"), InputError);
  EXPECT_THROW(names("params.model = 'x'; DROP TABLE runs"), InputError);
  EXPECT_EQ(m_workspace->countRuns(), 6u);
}

TEST_F(RunFilterWorkspaceTest, RandomTokenSoupCompilesOrFailsCleanly) {
  const std::vector<std::string> tokens = {"metrics.roc_auc",
                                           "params.model",
                                           "tags.stage",
                                           "attributes.status",
                                           "attributes.start_time",
                                           "datasets.name",
                                           "datasets.role",
                                           "attributes.bogus",
                                           "foo.x",
                                           "metrics.`my metric`",
                                           "AND",
                                           "or",
                                           "NOT",
                                           "(",
                                           ")",
                                           "=",
                                           "!=",
                                           "<",
                                           "<=",
                                           ">",
                                           ">=",
                                           "LIKE",
                                           "ilike",
                                           "IN",
                                           ",",
                                           "'rf'",
                                           "\"prod\"",
                                           "'x''y'",
                                           "0.9",
                                           "-1",
                                           "1e3",
                                           "'",
                                           "`",
                                           "!",
                                           "#",
                                           ";",
                                           "--",
                                           "NOT IN",
                                           "'%'",
                                           "params.",
                                           "1e999",
                                           "..",
                                           "-",
                                           "metrics.a-b"};
  std::mt19937 random(12345);
  int compiled = 0;
  for (int i = 0; i < 2000; ++i) {
    std::string filter;
    const int length = int(random() % 12);
    for (int k = 0; k < length; ++k) {
      if (!filter.empty() && random() % 4) filter += ' ';
      filter += tokens[random() % tokens.size()];
    }
    // Every fourth string is shaped like a comparison chain so that plenty compile.
    if (i % 4 == 0) {
      filter =
          tokens[random() % 10] + " " + tokens[15 + random() % 6] + " " + tokens[25 + random() % 6];
    }
    try {
      RunQuery query;
      query.filter = filter;
      query.orderBy = random() % 2 ? tokens[random() % 10] + " DESC" : filter;
      m_workspace->listRuns(query);
      ++compiled;
    } catch (const InputError&) {
    } catch (const std::exception& error) {
      ADD_FAILURE() << "'" << filter << "' threw " << error.what();
    }
  }
  EXPECT_GT(compiled, 50);
}

// The bitmap evaluation of listRuns/countRuns must select exactly the runs of the filter's plain
// SQL form, including SQL's three-valued NOT over attributes that are NULL (a running run's
// duration and end time) and runs that lack a value.
TEST_F(RunFilterWorkspaceTest, BitmapSelectionEqualsTheSqlFormOnRandomFilters) {
  const std::vector<std::string> comparisons = {
      "metrics.roc_auc > 0.9",       "metrics.roc_auc <= 0.85",
      "metrics.f1 >= 0",             "metrics.`my metric` = 3",
      "params.model = 'rf'",         "params.model != 'logistic'",
      "params.C IN ('1', '0.01')",   "tags.stage ILIKE 'PROD'",
      "tags.stage NOT LIKE 'p%'",    "attributes.status = 'FINISHED'",
      "attributes.duration >= 0",    "attributes.end_time > 0",
      "attributes.name LIKE 'logit%'", "datasets.role = 'train'",
      "datasets.name != 'other'",    "attributes.lifecycle_stage = 'active'",
      "metrics.nothing_logged > 0",  "attributes.duration < 0"};
  std::mt19937 random(2026);
  std::function<std::string(int)> expression = [&](int depth) -> std::string {
    const unsigned pick = depth > 3 ? 0 : random() % 5;
    switch (pick) {
      case 1:
        return "NOT " + expression(depth + 1);
      case 2:
        return "(" + expression(depth + 1) + " AND " + expression(depth + 1) + ")";
      case 3:
        return "(" + expression(depth + 1) + " or " + expression(depth + 1) + ")";
      case 4:
        return expression(depth + 1) + " and " + expression(depth + 1) + " OR " +
               expression(depth + 1);
      default:
        return comparisons[random() % comparisons.size()];
    }
  };
  m_workspace.reset();  // one connection at a time keeps the test simple
  Database db(m_folder.path() / "ws" / "geih.db", false, 5000);
  const auto reference = [&](const std::string& filter) {
    const CompiledFilter sql = compileRunFilter(filter);
    Statement statement =
        db.prepare("SELECT name FROM runs WHERE runs.deleted_ms IS NULL AND (" + sql.whereSql + ")");
    int index = 1;
    for (const SqlValue& value : sql.parameters) {
      std::visit([&](const auto& v) { statement.bind(index++, v); }, value);
    }
    Names out;
    while (statement.step()) out.insert(statement.text(0));
    return out;
  };
  std::set<std::size_t> sizes;
  for (int i = 0; i < 400; ++i) {
    const std::string filter = expression(0);
    const Names expected = reference(filter);
    m_workspace = std::make_unique<Workspace>(Workspace::open(m_folder.path() / "ws"));
    EXPECT_EQ(names(filter), expected) << filter;
    m_workspace.reset();
    sizes.insert(expected.size());
  }
  EXPECT_GE(sizes.size(), 5u);  // the filters select many different run counts, not all or none
}

}  // namespace
}  // namespace geih::store
