// PostgreSQL schema migrations, tracked in the vaelab_schema table. Same tables and columns as
// the SQLite store: text ids, bigint ms timestamps, JSON as text, bytea for PNGs and checkpoints,
// double precision values (NaN is stored as NULL in both engines, so summaries agree).
import type { Migration } from '../sqlite/sqlite-schema.js';

export const postgresMigrations: Migration[] = [
  {
    version: 1,
    description: 'sweeps, runs with leases, params, metrics with attempts, summaries, images, checkpoints',
    sql: `
      CREATE TABLE experiments (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        created_at BIGINT NOT NULL
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
        lease_ms BIGINT NOT NULL DEFAULT 600000,
        settings_json TEXT NOT NULL DEFAULT '{}',
        status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'finished', 'failed', 'killed')),
        created_at BIGINT NOT NULL
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
        heartbeat_at BIGINT,
        lease_expires_at BIGINT,
        created_at BIGINT NOT NULL,
        started_at BIGINT,
        ended_at BIGINT,
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
      CREATE INDEX runs_by_lease ON runs (status, lease_expires_at);
      CREATE TABLE run_params (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        value_num DOUBLE PRECISION,
        value_text TEXT,
        PRIMARY KEY (run_id, key)
      );
      CREATE INDEX run_params_by_key_num ON run_params (key, value_num);
      -- No foreign key on metrics: its per-row check (and row lock on the run) cost as much as the
      -- insert itself; every write is fenced against its run in the same transaction instead.
      CREATE TABLE metrics (
        run_id TEXT NOT NULL,
        key TEXT NOT NULL,
        step BIGINT NOT NULL,
        value DOUBLE PRECISION,
        wall_ms BIGINT NOT NULL,
        attempt INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (run_id, key, step)
      );
      CREATE TABLE metric_summary (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        last_step BIGINT NOT NULL,
        last_value DOUBLE PRECISION,
        min_value DOUBLE PRECISION,
        max_value DOUBLE PRECISION,
        count BIGINT NOT NULL,
        PRIMARY KEY (run_id, key)
      );
      CREATE INDEX metric_summary_by_key ON metric_summary (key, last_value);
      CREATE TABLE images (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        step BIGINT NOT NULL,
        idx INTEGER NOT NULL,
        caption TEXT,
        png BYTEA NOT NULL,
        created_at BIGINT NOT NULL,
        PRIMARY KEY (run_id, key, step, idx)
      );
      CREATE TABLE checkpoints (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        step BIGINT NOT NULL,
        attempt INTEGER NOT NULL DEFAULT 0,
        data BYTEA,
        path TEXT,
        created_at BIGINT NOT NULL,
        PRIMARY KEY (run_id, step)
      );
    `,
  },
];

export const POSTGRES_SCHEMA_VERSION = postgresMigrations[postgresMigrations.length - 1].version;
