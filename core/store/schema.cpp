#include "core/store/schema.h"

#include <string>

#include "core/common/error.h"
#include "core/store/database.h"

namespace geih::store {

namespace {

// Version 1: experiments, runs and everything logged to them, datasets and their lineage.
constexpr std::string_view kVersion1 = R"sql(
CREATE TABLE experiments (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  description TEXT NOT NULL DEFAULT '',
  created_ms  INTEGER NOT NULL
);
CREATE TABLE runs (
  id            TEXT PRIMARY KEY,
  experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
  name          TEXT NOT NULL DEFAULT '',
  status        TEXT NOT NULL,
  start_ms      INTEGER NOT NULL,
  end_ms        INTEGER,
  seed          INTEGER,
  git_commit    TEXT NOT NULL DEFAULT '',
  parent_run_id TEXT NOT NULL DEFAULT '',
  config_hash   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX runs_by_experiment ON runs(experiment_id, start_ms DESC);
CREATE INDEX runs_by_start ON runs(start_ms DESC);
CREATE TABLE params (
  run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  key    TEXT NOT NULL,
  value  TEXT NOT NULL,
  PRIMARY KEY (run_id, key)
) WITHOUT ROWID;
CREATE TABLE metrics (
  run_id       TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  key          TEXT NOT NULL,
  value        REAL NOT NULL,
  step         INTEGER NOT NULL DEFAULT 0,
  timestamp_ms INTEGER NOT NULL
);
CREATE INDEX metrics_by_run_key ON metrics(run_id, key, step);
CREATE TABLE tags (
  run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  key    TEXT NOT NULL,
  value  TEXT NOT NULL,
  PRIMARY KEY (run_id, key)
) WITHOUT ROWID;
CREATE TABLE artifacts (
  run_id     TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  path       TEXT NOT NULL,
  sha256     TEXT NOT NULL,
  size       INTEGER NOT NULL,
  media_type TEXT NOT NULL,
  PRIMARY KEY (run_id, path)
) WITHOUT ROWID;
CREATE TABLE datasets (
  id           INTEGER PRIMARY KEY,
  name         TEXT NOT NULL,
  version      INTEGER NOT NULL,
  sha256       TEXT NOT NULL,
  source_path  TEXT NOT NULL,
  stored_path  TEXT NOT NULL,
  schema_json  TEXT NOT NULL,
  profile_json TEXT NOT NULL,
  rows         INTEGER NOT NULL,
  created_ms   INTEGER NOT NULL,
  UNIQUE (name, version)
);
CREATE INDEX datasets_by_hash ON datasets(sha256);
CREATE TABLE dataset_parents (
  dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  parent_id  INTEGER NOT NULL REFERENCES datasets(id),
  PRIMARY KEY (dataset_id, parent_id)
) WITHOUT ROWID;
CREATE TABLE run_datasets (
  run_id     TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  dataset_id INTEGER NOT NULL REFERENCES datasets(id),
  role       TEXT NOT NULL,
  PRIMARY KEY (run_id, dataset_id, role)
) WITHOUT ROWID;
)sql";

// Version 2: curves stored as data, and the latest value of every metric kept in its own table so
// the runs view reads one row per (run, metric) instead of scanning whole histories.
constexpr std::string_view kVersion2 = R"sql(
CREATE TABLE curves (
  run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  name   TEXT NOT NULL,
  json   TEXT NOT NULL,
  PRIMARY KEY (run_id, name)
) WITHOUT ROWID;
CREATE TABLE latest_metrics (
  run_id       TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  key          TEXT NOT NULL,
  value        REAL NOT NULL,
  step         INTEGER NOT NULL,
  timestamp_ms INTEGER NOT NULL,
  PRIMARY KEY (run_id, key)
) WITHOUT ROWID;
INSERT INTO latest_metrics (run_id, key, value, step, timestamp_ms)
  SELECT run_id, key, value, step, timestamp_ms FROM (
    SELECT run_id, key, value, step, timestamp_ms,
           ROW_NUMBER() OVER (PARTITION BY run_id, key
                              ORDER BY step DESC, timestamp_ms DESC, rowid DESC) AS rank
    FROM metrics)
  WHERE rank = 1;
)sql";

// Version 3: the run lifecycle (note, trash), the model registry with its audit trail, the
// monitoring log, and (key, value) indexes for the run filter. One Production version per model
// is a constraint of the database, not only of the code, so a second writer can never leave two.
constexpr std::string_view kVersion3 = R"sql(
ALTER TABLE runs ADD COLUMN note TEXT NOT NULL DEFAULT '';
ALTER TABLE runs ADD COLUMN deleted_ms INTEGER;
CREATE INDEX runs_by_parent ON runs(parent_run_id);
CREATE TABLE registered_models (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  description TEXT NOT NULL DEFAULT '',
  gates_json  TEXT NOT NULL DEFAULT '[]',
  created_ms  INTEGER NOT NULL,
  updated_ms  INTEGER NOT NULL
);
CREATE TABLE model_versions (
  model_id      INTEGER NOT NULL REFERENCES registered_models(id) ON DELETE CASCADE,
  version       INTEGER NOT NULL,
  run_id        TEXT NOT NULL REFERENCES runs(id),
  artifact_path TEXT NOT NULL,
  model_sha256  TEXT NOT NULL,
  stage         TEXT NOT NULL DEFAULT 'None'
                CHECK (stage IN ('None', 'Staging', 'Production', 'Archived')),
  description   TEXT NOT NULL DEFAULT '',
  created_ms    INTEGER NOT NULL,
  updated_ms    INTEGER NOT NULL,
  PRIMARY KEY (model_id, version)
) WITHOUT ROWID;
CREATE UNIQUE INDEX one_production_per_model ON model_versions(model_id) WHERE stage = 'Production';
CREATE INDEX model_versions_by_run ON model_versions(run_id);
CREATE TABLE model_aliases (
  model_id INTEGER NOT NULL,
  alias    TEXT NOT NULL,
  version  INTEGER NOT NULL,
  PRIMARY KEY (model_id, alias),
  FOREIGN KEY (model_id, version) REFERENCES model_versions(model_id, version) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE TABLE registry_audit (
  id         INTEGER PRIMARY KEY,
  model_id   INTEGER NOT NULL REFERENCES registered_models(id) ON DELETE CASCADE,
  version    INTEGER,
  action     TEXT NOT NULL,
  from_stage TEXT NOT NULL DEFAULT '',
  to_stage   TEXT NOT NULL DEFAULT '',
  user       TEXT NOT NULL,
  reason     TEXT NOT NULL DEFAULT '',
  forced     INTEGER NOT NULL DEFAULT 0,
  gates_json TEXT NOT NULL DEFAULT '',
  time_ms    INTEGER NOT NULL
);
CREATE INDEX registry_audit_by_model ON registry_audit(model_id, time_ms);
CREATE TABLE monitoring_events (
  id            INTEGER PRIMARY KEY,
  model_name    TEXT NOT NULL,
  model_version INTEGER NOT NULL,
  kind          TEXT NOT NULL,
  time_ms       INTEGER NOT NULL,
  input_sha256  TEXT NOT NULL DEFAULT '',
  rows          INTEGER NOT NULL DEFAULT 0,
  latency_ms    REAL NOT NULL,
  ok            INTEGER NOT NULL DEFAULT 1,
  summary_json  TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX monitoring_by_model ON monitoring_events(model_name, model_version, time_ms);
CREATE TABLE monitoring_alerts (
  id            INTEGER PRIMARY KEY,
  model_name    TEXT NOT NULL,
  model_version INTEGER NOT NULL,
  rule          TEXT NOT NULL,
  value         REAL NOT NULL,
  message       TEXT NOT NULL,
  time_ms       INTEGER NOT NULL,
  cleared_ms    INTEGER
);
CREATE INDEX monitoring_alerts_by_model ON monitoring_alerts(model_name, model_version);
-- The run filter's comparisons read these by (key, value) range instead of per run.
CREATE INDEX latest_metrics_by_key_value ON latest_metrics(key, value);
CREATE INDEX params_by_key_value ON params(key, value);
CREATE INDEX tags_by_key_value ON tags(key, value);
)sql";

// Version 4: the process that owns a RUNNING run (run_owner.h), so runs of a killed process are
// failed on the next open; a partial index finds the running ones without a scan.
constexpr std::string_view kVersion4 = R"sql(
ALTER TABLE runs ADD COLUMN owner TEXT NOT NULL DEFAULT '';
CREATE INDEX runs_running ON runs(status) WHERE status = 'RUNNING';
)sql";

// Version 5: alert rules per registered model (monitoring_alerts.h); the alerts table exists
// since version 3.
constexpr std::string_view kVersion5 = R"sql(
ALTER TABLE registered_models ADD COLUMN alert_rules_json TEXT NOT NULL DEFAULT '{"rules":[]}';
CREATE INDEX monitoring_open_alerts ON monitoring_alerts(model_name, model_version) WHERE cleared_ms IS NULL;
)sql";

// Version 6: SHA-256 of input files remembered with their stat (file_hash_cache.h), so a stack
// scored again, e.g. by the Staging model after the Production one, is not read again for its
// lineage hash.
constexpr std::string_view kVersion6 = R"sql(
CREATE TABLE file_hashes (
  path      TEXT PRIMARY KEY,
  size      INTEGER NOT NULL,
  mtime_ns  INTEGER NOT NULL,
  ctime_ns  INTEGER NOT NULL,
  inode     INTEGER NOT NULL,
  device    INTEGER NOT NULL,
  sha256    TEXT NOT NULL,
  hashed_ms INTEGER NOT NULL
) WITHOUT ROWID;
)sql";

}  // namespace

const std::vector<std::string_view>& migrations() {
  static const std::vector<std::string_view> all = {kVersion1, kVersion2, kVersion3,
                                                    kVersion4, kVersion5, kVersion6};
  return all;
}

int readUserVersion(Database& db) {
  Statement statement = db.prepare("PRAGMA user_version");
  statement.step();
  return int(statement.int64(0));
}

void migrate(Database& db, int targetVersion) {
  const int known = int(migrations().size());
  const int current = readUserVersion(db);
  if (current > known) {
    throw Corrupt("workspace database '" + db.file().string() +
                  "' was written by a newer GEIH version (schema " + std::to_string(current) +
                  ", this build knows " + std::to_string(known) + "); upgrade GEIH to open it");
  }
  for (int version = current; version < targetVersion && version < known; ++version) {
    Transaction transaction(db);
    // Another process may have migrated while we waited for the write lock.
    if (readUserVersion(db) != version) continue;
    if (version == 0) {
      // Version 0 is a new, empty file; tables without a version are another program's database.
      Statement tables = db.prepare("SELECT COUNT(*) FROM sqlite_master");
      tables.step();
      if (tables.int64(0) != 0) {
        throw Corrupt("'" + db.file().string() +
                      "' is a SQLite database of another program, not a GEIH workspace");
      }
    }
    db.execute(migrations()[std::size_t(version)]);
    db.execute("PRAGMA user_version = " + std::to_string(version + 1));
    transaction.commit();
  }
}

}  // namespace geih::store
