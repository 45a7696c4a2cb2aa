// The runs table's queries on a workspace of 100,000 runs with 20 params and 10 metrics each:
// count + first page (500 runs) for a filter and a sort, as RunsPanel asks for them (one
// Workspace::findRuns), and a count alone. The workspace is built once under the system temp folder (bulk SQL in one transaction,
// a few seconds) and reused by later runs of the benchmark.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <string>

#include "core/common/rng.h"
#include "core/store/database.h"
#include "core/store/workspace.h"

namespace {

namespace fs = std::filesystem;
constexpr int kRuns = 100'000;
constexpr int kParams = 20;
constexpr int kMetrics = 10;

fs::path workspaceRoot() {
  const fs::path root = fs::temp_directory_path() / "geih-bench-100k-runs";
  if (fs::exists(root / "geih.db")) return root;
  fs::remove_all(root);
  std::int64_t experiment = 0;
  {
    geih::store::Workspace workspace = geih::store::Workspace::open(root);
    experiment = workspace.createExperiment("sweep");
  }
  geih::store::Database db(root / "geih.db", false, 5000);
  db.execute("BEGIN");
  geih::store::Statement run = db.prepare(
      "INSERT INTO runs (id, experiment_id, name, status, start_ms, end_ms) "
      "VALUES (?, ?, ?, 'FINISHED', ?, ?)");
  geih::store::Statement param = db.prepare("INSERT INTO params (run_id, key, value) VALUES (?, ?, ?)");
  geih::store::Statement metric = db.prepare(
      "INSERT INTO metrics (run_id, key, value, step, timestamp_ms) VALUES (?, ?, ?, 0, ?)");
  geih::store::Statement latest = db.prepare(
      "INSERT INTO latest_metrics (run_id, key, value, step, timestamp_ms) VALUES (?, ?, ?, 0, ?)");
  geih::Rng rng(7);
  static const char* kModels[] = {"logistic", "gbdt", "forest", "linear"};
  char id[33];
  for (int i = 0; i < kRuns; ++i) {
    std::snprintf(id, sizeof id, "%032x", i);
    const std::int64_t start = 1'700'000'000'000 + std::int64_t(i) * 1000;
    run.reset();
    run.bind(1, id).bind(2, experiment).bind(3, "run-" + std::to_string(i)).bind(4, start)
        .bind(5, start + 500 + std::int64_t(rng.uniform() * 10'000));
    run.run();
    for (int p = 0; p < kParams; ++p) {
      const std::string value = p == 0 ? std::string(kModels[i % 4])
                                       : std::to_string(int(rng.uniform() * 100) * (p + 1));
      param.reset();
      param.bind(1, id).bind(2, "p" + std::to_string(p)).bind(3, value);
      param.run();
    }
    for (int m = 0; m < kMetrics; ++m) {
      const double value = m == 0 ? 0.5 + 0.5 * rng.uniform() : rng.uniform();
      const std::string key = m == 0 ? "roc_auc" : "m" + std::to_string(m);
      for (geih::store::Statement* statement : {&metric, &latest}) {
        statement->reset();
        statement->bind(1, id).bind(2, key).bind(3, value).bind(4, start);
        statement->run();
      }
    }
  }
  db.execute("COMMIT");
  return root;
}

void runQuery(benchmark::State& state, const std::string& filter, const std::string& orderBy) {
  geih::store::Workspace workspace = geih::store::Workspace::open(workspaceRoot());
  geih::store::RunQuery query;
  query.filter = filter;
  query.orderBy = orderBy;
  query.limit = 500;
  std::size_t total = 0;
  for (auto _ : state) {
    const geih::store::RunPage page = workspace.findRuns(query);
    total = page.total;
    benchmark::DoNotOptimize(page.runs.data());
  }
  state.counters["matching_runs"] = double(total);
}

void BM_FirstPageByAuc(benchmark::State& state) { runQuery(state, "", "metrics.roc_auc DESC"); }
void BM_FilterAndSortFirstPage(benchmark::State& state) {
  runQuery(state, "metrics.roc_auc > 0.8 and params.p0 = 'gbdt'", "metrics.m1 DESC, params.p3");
}
void BM_FilterWithOrFirstPage(benchmark::State& state) {
  runQuery(state, "(params.p0 = 'gbdt' or params.p0 = 'forest') and not metrics.m2 < 0.5",
           "attributes.duration");
}
// What the GUI's runs table does on each change of its filter: a worker opens the workspace (a
// cold SQLite page cache; the OS cache is warm) and asks for the count and the first page.
void BM_FilterWithOrFreshConnection(benchmark::State& state) {
  geih::store::RunQuery query;
  query.filter = "(params.p0 = 'gbdt' or params.p0 = 'forest') and not metrics.m2 < 0.5";
  query.orderBy = "attributes.duration";
  query.limit = 500;
  const fs::path root = workspaceRoot();
  std::size_t total = 0;
  for (auto _ : state) {
    geih::store::Workspace workspace = geih::store::Workspace::open(root);
    const geih::store::RunPage page = workspace.findRuns(query);
    total = page.total;
    benchmark::DoNotOptimize(page.runs.data());
  }
  state.counters["matching_runs"] = double(total);
}
void BM_CountAll(benchmark::State& state) {
  geih::store::Workspace workspace = geih::store::Workspace::open(workspaceRoot());
  for (auto _ : state) benchmark::DoNotOptimize(workspace.countRuns(geih::store::RunQuery{}));
}

BENCHMARK(BM_FirstPageByAuc)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FilterAndSortFirstPage)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FilterWithOrFirstPage)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FilterWithOrFreshConnection)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CountAll)->Unit(benchmark::kMillisecond);

}  // namespace
