// The run filter language: MLflow-style search ("metrics.roc_auc > 0.8 and params.model = 'rf'")
// extended with OR, NOT and parentheses, parsed into a tree of comparisons, each a parameterised
// SQL query over the workspace schema. Keys and values are always bound parameters, never spliced
// into the SQL.
//
//   expr       := term (OR term)*
//   term       := factor (AND factor)*
//   factor     := NOT factor | '(' expr ')' | comparison
//   comparison := key op value
//   key        := metrics.NAME | params.NAME | tags.NAME | attributes.NAME | datasets.FIELD
//                 (NAME may be `backtick quoted`; attributes: status, name, run_id, start_time,
//                 end_time, duration (ms), experiment_id, parent_run_id, note, lifecycle_stage
//                 ('active' | 'deleted'); datasets: name, sha256, role)
//   op         := = | != | < | <= | > | >= | LIKE | ILIKE | IN | NOT IN | NOT LIKE | NOT ILIKE
//   value      := number | 'string' | "string" | '(' value (',' value)* ')'
//
// `metrics.x > 0.8` matches runs that have metric x (its latest value) satisfying the comparison;
// `params.p != 'a'` matches runs that have param p with another value. LIKE is case-sensitive,
// ILIKE is not. Errors are InputError naming the 1-based column with a caret under the text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace geih::store {

using SqlValue = std::variant<std::int64_t, double, std::string>;

// One comparison of a filter, answered by one SQL query.
struct FilterCondition {
  // Values: the runs with a row in `from` (a metric/param/tag table or the datasets join) where
  // `condition` holds; `runIdColumn` names the run id there. Such a comparison is true or false.
  // Runs: `condition` over the table `runs`; SQL's NULL (e.g. the duration of a running run)
  // makes it unknown, and NOT of unknown stays unknown, as in SQL.
  enum class Source { Values, Runs };
  Source source = Source::Values;
  std::string from;
  std::string runIdColumn;
  std::string condition;  // with a ? per parameter
  std::vector<SqlValue> parameters;
};

struct FilterNode {
  enum class Kind { Condition, And, Or, Not };
  Kind kind = Kind::Condition;
  std::size_t condition = 0;          // Kind::Condition: index into FilterTree::conditions
  std::vector<std::size_t> children;  // indices into FilterTree::nodes
};

struct FilterTree {
  std::vector<FilterCondition> conditions;
  // Children come before their parents; the last node is the root. Empty: the filter is empty.
  std::vector<FilterNode> nodes;
};

// Throws InputError.
FilterTree parseRunFilter(std::string_view text);

// The whole filter as one SQL condition over `runs` (each metric/param/tag comparison an
// uncorrelated `runs.id IN (SELECT run_id ...)`). It selects the same runs as selectRuns
// (core/store/run_selection.h), which evaluates the tree as bitmaps and is several times faster
// on large workspaces; this form is the reference the tests hold that one to.
struct CompiledFilter {
  std::string whereSql;  // "1" for an empty filter
  std::vector<SqlValue> parameters;
};

// Throws InputError.
CompiledFilter compileRunFilter(std::string_view text);

// One key of an order-by list: a metric/param/tag value (`table` latest_metrics/params/tags and
// its `name`) or a column of `runs` (`column`, for attributes).
struct OrderKey {
  std::string table;
  std::string name;
  std::string column;
  bool descending = false;
};

// Parses "metrics.roc_auc DESC, params.C"; empty for an empty text. Throws InputError.
std::vector<OrderKey> parseOrderBy(std::string_view text);
// One key as an ORDER BY term over `runs` (missing values last), appending its parameter.
std::string orderKeySql(const OrderKey& key, std::vector<SqlValue>& parameters);

// "metrics.roc_auc DESC, params.C ASC, attributes.start_time": an ORDER BY list (without the
// keywords) over the table `runs`, each key ASC unless given DESC, runs missing a value last.
// Appends its parameters to `parameters`. Returns "" for an empty text. Throws InputError.
std::string compileOrderBy(std::string_view text, std::vector<SqlValue>& parameters);

}  // namespace geih::store
