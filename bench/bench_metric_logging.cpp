// Logging 1,000,000 metric points (10 keys x 100,000 steps) to a run in one batch
// (Workspace::logMetricPoints: the history rows plus the latest value per key), against a bare
// SQLite bulk insert of the same rows into a table of the same shape and index, in one
// transaction with one prepared statement. Both go to a fresh database file in the temp folder.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <string>
#include <vector>

#include "core/store/database.h"
#include "core/store/workspace.h"

namespace {

namespace fs = std::filesystem;
constexpr int kKeys = 10;
constexpr int kSteps = 100'000;

const std::vector<geih::store::MetricPoint>& points() {
  static const std::vector<geih::store::MetricPoint> made = [] {
    std::vector<geih::store::MetricPoint> out;
    out.reserve(std::size_t(kKeys) * kSteps);
    for (int step = 0; step < kSteps; ++step) {
      for (int k = 0; k < kKeys; ++k) {
        out.push_back({"metric_" + std::to_string(k), 1.0 / (1 + step + k), step,
                       1'700'000'000'000 + step});
      }
    }
    return out;
  }();
  return made;
}

fs::path freshFolder(const char* name) {
  const fs::path folder = fs::temp_directory_path() / name;
  fs::remove_all(folder);
  fs::create_directories(folder);
  return folder;
}

void BM_WorkspaceLogMetricPoints(benchmark::State& state) {
  for (auto _ : state) {
    state.PauseTiming();
    const fs::path folder = freshFolder("geih-bench-metrics-ws");
    geih::store::Workspace workspace = geih::store::Workspace::open(folder);
    const std::string run = workspace.createRun(workspace.createExperiment("bench"));
    state.ResumeTiming();
    workspace.logMetricPoints(run, points());
  }
  state.SetItemsProcessed(state.iterations() * std::int64_t(points().size()));
}

void BM_BareSqliteBulkInsert(benchmark::State& state) {
  for (auto _ : state) {
    state.PauseTiming();
    const fs::path folder = freshFolder("geih-bench-metrics-bare");
    geih::store::Database db(folder / "bare.db", true, 5000);
    db.execute(
        "CREATE TABLE metrics (run_id TEXT NOT NULL, key TEXT NOT NULL, value REAL NOT NULL, "
        "step INTEGER NOT NULL, timestamp_ms INTEGER NOT NULL);"
        "CREATE INDEX metrics_by_run_key ON metrics(run_id, key, step);");
    const std::string run = "0123456789abcdef0123456789abcdef";
    state.ResumeTiming();
    db.execute("BEGIN");
    geih::store::Statement insert = db.prepare(
        "INSERT INTO metrics (run_id, key, value, step, timestamp_ms) VALUES (?, ?, ?, ?, ?)");
    for (const auto& point : points()) {
      insert.reset();
      insert.bind(1, run).bind(2, point.key).bind(3, point.value).bind(4, point.step)
          .bind(5, point.timestampMs).run();
    }
    db.execute("COMMIT");
  }
  state.SetItemsProcessed(state.iterations() * std::int64_t(points().size()));
}

BENCHMARK(BM_WorkspaceLogMetricPoints)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_BareSqliteBulkInsert)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
