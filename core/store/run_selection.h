// Internal to core/store: the set of runs a filter selects, evaluated once as bitmaps.
//
// Each comparison of the filter is one SQL query: a metric/param/tag/dataset comparison reads only
// the matching rows through its (key, value) index; attribute comparisons share one scan of `runs`.
// Their answers become bitmaps over the runs' rowids and the boolean tree is combined word by word
// (three-valued, as SQL: an attribute that is NULL, such as the duration of a running run, is
// unknown, and NOT unknown stays unknown). Counting is then a popcount and pages test membership
// with `geih_in_set(?, runs.rowid)`, so neither evaluates the filter again. It selects exactly the
// runs `compileRunFilter`'s SQL selects (tested), several times faster on large workspaces: SQL's
// form probes a text run id into an ephemeral index per run and comparison.
#pragma once

#include <string>
#include <vector>

#include "core/store/database.h"
#include "core/store/run_filter.h"

namespace geih::store {

// Runs satisfying `scopeSql` (a condition over `runs` with `scopeParameters`, e.g. the experiment
// and trash state; "1" for all) and the filter `tree`.
RowSet selectRuns(Database& db, const FilterTree& tree, const std::string& scopeSql,
                  const std::vector<SqlValue>& scopeParameters);

// Binds `values` to `statement` from parameter `first` on; returns the next free index.
int bindValues(Statement& statement, const std::vector<SqlValue>& values, int first = 1);

}  // namespace geih::store
