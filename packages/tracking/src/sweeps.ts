// Sweeps: trials materialised up front (unique params hash per sweep), claimed by one atomic
// UPDATE … RETURNING so two workers never get the same trial, re-queued within a retry limit.
import { hostname } from 'node:os';
import { ulid } from 'ulid';
import { canonicalJson, flattenParams, hashOf } from './codec.js';
import type { Db } from './db.js';
import { type RunRow, toRunRecord } from './run-rows.js';
import type { Params, RunRecord, RunStatus } from './types.js';
import { checkString } from './validate.js';

export interface SweepInput {
  name: string;
  configText: string;
  method: string;
  metric?: { name: string; goal: 'minimize' | 'maximize' };
  maxRetries?: number;
  trials: { params: Params; variant?: string; name?: string }[];
}

export interface SweepRecord {
  id: string;
  name: string;
  configText: string;
  configHash: string;
  method: string;
  metricName: string | null;
  metricGoal: 'minimize' | 'maximize' | null;
  maxRetries: number;
  status: string;
  createdAt: number;
}

interface SweepRow {
  id: string; name: string; config_text: string; config_hash: string; method: string; metric_name: string | null;
  metric_goal: 'minimize' | 'maximize' | null; max_retries: number; status: string; created_at: number;
}

export function toSweepRecord(r: SweepRow): SweepRecord {
  return {
    id: r.id, name: r.name, configText: r.config_text, configHash: r.config_hash, method: r.method, metricName: r.metric_name,
    metricGoal: r.metric_goal, maxRetries: r.max_retries, status: r.status, createdAt: r.created_at,
  };
}

export function insertParams(db: Db, runId: string, params: Params): void {
  const insert = db.prepare('INSERT OR REPLACE INTO run_params (run_id, key, value_num, value_text) VALUES (?, ?, ?, ?)');
  for (const [key, value] of flattenParams(params)) {
    const num = typeof value === 'number' ? value : typeof value === 'boolean' ? Number(value) : null;
    insert.run(runId, key, num, typeof value === 'string' ? value : num === null ? canonicalJson(value) : null);
  }
}

/** Creates the sweep and its pending trials; re-creating the same config returns the existing sweep. */
export function createSweep(db: Db, input: SweepInput, now: number): { sweep: SweepRecord; created: boolean } {
  checkString('sweep.name', input.name);
  const configHash = hashOf(input.configText);
  return db.transaction(() => {
    const existing = db.prepare('SELECT * FROM sweeps WHERE name = ?').get(input.name) as SweepRow | undefined;
    if (existing) {
      if (existing.config_hash !== configHash) {
        throw new Error(`sweep "${input.name}" already exists with a different config; choose another name or delete the old sweep`);
      }
      return { sweep: toSweepRecord(existing), created: false };
    }
    const id = ulid(now);
    db.prepare(`INSERT INTO sweeps (id, name, config_text, config_hash, method, metric_name, metric_goal, max_retries, status, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)`)
      .run(id, input.name, input.configText, configHash, input.method, input.metric?.name ?? null, input.metric?.goal ?? null, input.maxRetries ?? 0, now);
    const insertRun = db.prepare(`INSERT INTO runs (id, sweep_id, trial, name, variant, status, params_json, params_hash, created_at)
                                  VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?)`);
    const seen = new Map<string, number>();
    input.trials.forEach((trial, i) => {
      const hash = hashOf(trial.params);
      if (seen.has(hash)) throw new Error(`sweep "${input.name}": trials ${seen.get(hash)} and ${i} have identical params`);
      seen.set(hash, i);
      const runId = ulid(now);
      insertRun.run(runId, id, i, trial.name ?? `${input.name}#${i}`, trial.variant ?? null, canonicalJson(trial.params), hash, now);
      insertParams(db, runId, trial.params);
    });
    return { sweep: toSweepRecord(db.prepare('SELECT * FROM sweeps WHERE id = ?').get(id) as SweepRow), created: true };
  }).immediate();
}

/** Atomically moves the lowest pending trial to running for this worker; null when none is left. */
export function claimTrial(db: Db, sweepId: string, pid: number, now: number, host = hostname()): RunRecord | null {
  const row = db.transaction(() => db.prepare(
    `UPDATE runs SET status = 'running', attempt = attempt + 1, worker_pid = ?, worker_host = ?, heartbeat_at = ?,
            started_at = ?, ended_at = NULL, error = NULL
     WHERE id = (SELECT id FROM runs WHERE sweep_id = ? AND status = 'pending' ORDER BY trial LIMIT 1)
     RETURNING *`).get(pid, host, now, now, sweepId) as RunRow | undefined).immediate();
  return row ? toRunRecord(row) : null;
}

/**
 * Puts trials in the given states back to pending. With `withinRetries`, only those whose
 * attempts have not used up the sweep's max_retries (attempts ≤ max_retries).
 */
export function requeueTrials(db: Db, sweepId: string, statuses: RunStatus[], withinRetries: boolean): number {
  const placeholders = statuses.map(() => '?').join(', ');
  return db.transaction(() => db.prepare(
    `UPDATE runs SET status = 'pending', worker_pid = NULL, heartbeat_at = NULL
     WHERE sweep_id = ? AND status IN (${placeholders})
       AND (? = 0 OR attempt <= (SELECT max_retries FROM sweeps WHERE id = runs.sweep_id))`)
    .run(sweepId, ...statuses, withinRetries ? 1 : 0).changes).immediate();
}

export function sweepStatusCounts(db: Db, sweepId: string): Record<RunStatus, number> {
  const counts = { pending: 0, running: 0, finished: 0, failed: 0, crashed: 0, killed: 0, pruned: 0 } as Record<RunStatus, number>;
  const rows = db.prepare('SELECT status, count(*) AS n FROM runs WHERE sweep_id = ? GROUP BY status').all(sweepId) as { status: RunStatus; n: number }[];
  for (const r of rows) counts[r.status] = r.n;
  return counts;
}
