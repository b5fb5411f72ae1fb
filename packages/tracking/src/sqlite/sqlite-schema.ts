// SQLite schema migrations, tracked in PRAGMA user_version. SQL stays portable (text ids,
// integer ms timestamps, JSON as text): the PostgreSQL schema has the same tables and columns.

export interface Migration {
  version: number;
  description: string;
  sql: string;
  /** Table rebuilds need foreign keys off while they run (a dropped parent would cascade). */
  rebuildsTables?: boolean;
}

export const migrations: Migration[] = [
  {
    version: 1,
    description: 'experiments, sweeps, runs, params, metrics, images, checkpoints',
    sql: `
      CREATE TABLE experiments (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE sweeps (
        id TEXT PRIMARY KEY,
        experiment_id TEXT REFERENCES experiments(id),
        name TEXT NOT NULL UNIQUE,
        config_text TEXT NOT NULL,
        config_hash TEXT NOT NULL,
        method TEXT NOT NULL,
        metric_name TEXT,
        metric_goal TEXT CHECK (metric_goal IN ('minimize', 'maximize')),
        max_retries INTEGER NOT NULL DEFAULT 0,
        status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'finished', 'killed')),
        created_at INTEGER NOT NULL
      );
      CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        experiment_id TEXT REFERENCES experiments(id),
        sweep_id TEXT REFERENCES sweeps(id) ON DELETE CASCADE,
        trial INTEGER,
        name TEXT NOT NULL,
        variant TEXT,
        status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'finished', 'failed', 'crashed', 'killed', 'pruned')),
        params_json TEXT NOT NULL,
        params_hash TEXT NOT NULL,
        attempt INTEGER NOT NULL DEFAULT 0,
        worker_pid INTEGER,
        worker_host TEXT,
        heartbeat_at INTEGER,
        created_at INTEGER NOT NULL,
        started_at INTEGER,
        ended_at INTEGER,
        error TEXT,
        config_json TEXT,
        versions_json TEXT,
        backend TEXT,
        git_sha TEXT,
        data_checksum TEXT,
        UNIQUE (sweep_id, params_hash)
      );
      CREATE INDEX runs_by_sweep_status ON runs (sweep_id, status, trial);
      CREATE INDEX runs_by_status ON runs (status);
      CREATE TABLE run_params (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        value_num REAL,
        value_text TEXT,
        PRIMARY KEY (run_id, key)
      ) WITHOUT ROWID;
      CREATE INDEX run_params_by_key_num ON run_params (key, value_num);
      CREATE TABLE metrics (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        step INTEGER NOT NULL,
        value REAL,            -- NULL encodes NaN (SQLite stores NaN as NULL); ±Inf are stored as such
        wall_ms INTEGER NOT NULL,
        PRIMARY KEY (run_id, key, step)
      ) WITHOUT ROWID;
      CREATE TABLE images (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        step INTEGER NOT NULL,
        idx INTEGER NOT NULL,
        caption TEXT,
        png BLOB NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (run_id, key, step, idx)
      );
      CREATE TABLE checkpoints (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        step INTEGER NOT NULL,
        path TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (run_id, step)
      );
    `,
  },
  {
    version: 2,
    description: 'latest/min/max per metric for fast run tables (backfilled)',
    sql: `
      CREATE TABLE metric_summary (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        last_step INTEGER NOT NULL,
        last_value REAL,
        min_value REAL,
        max_value REAL,
        count INTEGER NOT NULL,
        PRIMARY KEY (run_id, key)
      ) WITHOUT ROWID;
      CREATE INDEX metric_summary_by_key ON metric_summary (key, last_value);
      INSERT INTO metric_summary (run_id, key, last_step, last_value, min_value, max_value, count)
        SELECT m.run_id, m.key, m.step, m.value, agg.min_value, agg.max_value, agg.count
        FROM metrics m
        JOIN (SELECT run_id, key, max(step) AS last_step, min(value) AS min_value, max(value) AS max_value, count(*) AS count
              FROM metrics GROUP BY run_id, key) agg
          ON agg.run_id = m.run_id AND agg.key = m.key AND agg.last_step = m.step;
    `,
  },
  {
    version: 3,
    description: 'leases and fenced writes (attempt per metric point), checkpoints stored in the store, sweep settings and the failed state',
    rebuildsTables: true,
    sql: `
      CREATE TABLE sweeps_v3 (
        id TEXT PRIMARY KEY,
        experiment_id TEXT REFERENCES experiments(id),
        name TEXT NOT NULL UNIQUE,
        config_text TEXT NOT NULL,
        config_hash TEXT NOT NULL,
        method TEXT NOT NULL,
        metric_name TEXT,
        metric_goal TEXT CHECK (metric_goal IN ('minimize', 'maximize')),
        max_retries INTEGER NOT NULL DEFAULT 0,
        lease_ms INTEGER NOT NULL DEFAULT 600000,
        settings_json TEXT NOT NULL DEFAULT '{}',
        status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'finished', 'failed', 'killed')),
        created_at INTEGER NOT NULL
      );
      INSERT INTO sweeps_v3 (id, experiment_id, name, config_text, config_hash, method, metric_name, metric_goal, max_retries, status, created_at)
        SELECT id, experiment_id, name, config_text, config_hash, method, metric_name, metric_goal, max_retries, status, created_at FROM sweeps;
      DROP TABLE sweeps;
      ALTER TABLE sweeps_v3 RENAME TO sweeps;
      ALTER TABLE runs ADD COLUMN lease_expires_at INTEGER;
      UPDATE runs SET lease_expires_at = heartbeat_at + 600000 WHERE status = 'running';
      CREATE INDEX runs_by_lease ON runs (status, lease_expires_at);
      ALTER TABLE metrics ADD COLUMN attempt INTEGER NOT NULL DEFAULT 0;
      CREATE TABLE checkpoints_v3 (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        step INTEGER NOT NULL,
        attempt INTEGER NOT NULL DEFAULT 0,
        data BLOB,
        path TEXT,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (run_id, step)
      );
      INSERT INTO checkpoints_v3 (run_id, step, path, created_at) SELECT run_id, step, path, created_at FROM checkpoints;
      DROP TABLE checkpoints;
      ALTER TABLE checkpoints_v3 RENAME TO checkpoints;
    `,
  },
];

export const LATEST_SCHEMA_VERSION = migrations[migrations.length - 1].version;
