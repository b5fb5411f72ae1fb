// The store over either engine: one implementation of every behaviour, so SQLite and PostgreSQL
// agree by construction. Every write of a trial's results is fenced by its lease (run id +
// attempt) in the same transaction, which also renews the lease.
import { hostname } from 'node:os';
import { newId } from './ids.js';
import { canonicalJson, hashOf } from '../codec.js';
import { LeaseLostError, NotFoundError } from '../errors.js';
import type {
  EndStatus, Environment, NewRun, ReapedRun, ReapOptions, RequeueOptions, RunQuery, RunWithMetrics, SeedGroup, SeedGroupQuery, SeriesOptions, Store,
} from '../store.js';
import {
  type CheckpointRecord, DEFAULT_LEASE_MS, type ImageInfo, type ImageInput, type MetricPoint, type MetricSummary, type RunLease, type RunMetricSummary,
  type RunRecord, RUN_STATUSES, type RunStatus, type SeriesPoint, type StatusCounts, type SweepInput, type SweepRecord,
  type SweepStatus, SWEEP_STATUSES, type WorkerIdentity,
} from '../types.js';
import { checkKey, checkPng, checkStep, checkString, fail } from '../validate.js';
import type { Dialect, SqlConnection } from './dialect.js';
import { type RunRow, type SweepRow, toRunRecord, toSweepRecord } from './run-rows.js';
import { prepareMetrics, series, summaries, summariesOf, truncateMetrics, validatePoints, writeMetrics } from './sql-metrics.js';
import { queryRuns } from './sql-run-query.js';
import { seedGroups } from './sql-seed-groups.js';
import {
  claimTrial, createSweep, emptyCounts, INSERT_PARAMS, insertRows, paramRows, requeueTrials, settleSweep, statusCounts,
} from './sql-sweeps.js';

/** The host name runs record; VAELAB_HOST overrides it (several "machines" on one host in tests). */
export function workerHost(): string {
  return process.env.VAELAB_HOST || hostname();
}

function checkLease(lease: RunLease): void {
  checkString('lease.runId', lease?.runId);
  if (!Number.isInteger(lease.attempt) || lease.attempt < 1) fail('lease.attempt', 'a positive integer', lease.attempt);
}

export class SqlStore implements Store {
  clock: () => number = Date.now;

  constructor(private readonly d: Dialect) {}

  get engine(): 'sqlite' | 'postgres' {
    return this.d.engine;
  }

  get location(): string {
    return this.d.location;
  }

  get readonly(): boolean {
    return this.d.readonly;
  }

  close(): Promise<void> {
    return this.d.close();
  }

  private async write<T>(fn: (tx: SqlConnection) => Promise<T>): Promise<T> {
    this.requireWritable();
    return this.d.write(fn);
  }

  private requireWritable(): void {
    if (this.d.readonly) throw new Error(`${this.location}: opened read-only; this command does not write`);
  }

  /**
   * Checks that `lease` still owns its run, inside the caller's transaction (with the run's row
   * locked against a concurrent claim or reap), and renews the lease once a quarter of it is used:
   * rewriting the run's row on every batch cost SQLite a tenth of its write rate.
   */
  private async fence(tx: SqlConnection, lease: RunLease, now: number, renew: 'always' | 'when-due' = 'when-due'): Promise<void> {
    checkLease(lease);
    const row = await tx.get<{ status: RunStatus; attempt: number; worker_host: string | null; worker_pid: number | null; lease_expires_at: number | null; lease_ms: number }>(
      `SELECT r.status, r.attempt, r.worker_host, r.worker_pid, r.lease_expires_at, coalesce(s.lease_ms, ${DEFAULT_LEASE_MS}) AS lease_ms
       FROM runs r LEFT JOIN sweeps s ON s.id = r.sweep_id WHERE r.id = ? ${this.d.lockRow}`, [lease.runId]);
    if (row == null) throw new NotFoundError('run', lease.runId);
    if (row.attempt !== lease.attempt || row.status !== 'running') {
      const detail = row.attempt !== lease.attempt
        ? `attempt ${row.attempt} took it over${row.worker_host ? ` on ${row.worker_host} (pid ${row.worker_pid})` : ''}`
        : `the run is ${row.status}`;
      throw new LeaseLostError(lease.runId, lease.attempt, detail);
    }
    if (renew === 'always' || (row.lease_expires_at ?? 0) - now < 0.75 * row.lease_ms) {
      await tx.run('UPDATE runs SET heartbeat_at = ?, lease_expires_at = ? WHERE id = ?', [now, now + row.lease_ms, lease.runId]);
    }
  }

  // ---- runs ----

  async createRun(input: NewRun): Promise<RunRecord & { lease: RunLease }> {
    if (input == null || typeof input.params !== 'object' || input.params === null || Array.isArray(input.params)) {
      fail('run.params', 'an object of parameters', input?.params);
    }
    if (input.name !== undefined) checkString('run.name', input.name);
    const now = this.clock();
    const id = newId(now);
    await this.write(async (tx) => {
      await tx.run(`INSERT INTO runs (id, name, variant, status, params_json, params_hash, attempt, worker_pid, worker_host, heartbeat_at,
                    lease_expires_at, created_at, started_at, config_json) VALUES (?, ?, ?, 'running', ?, ?, 1, ?, ?, ?, ?, ?, ?, ?)`,
      [id, input.name ?? id, input.variant ?? null, canonicalJson(input.params), hashOf(input.params), process.pid, workerHost(), now,
        now + DEFAULT_LEASE_MS, now, now, input.config === undefined ? null : JSON.stringify(input.config)]);
      await insertRows(tx, INSERT_PARAMS, 4, paramRows(id, input.params));
    });
    const run = await this.getRun(id);
    return { ...run, lease: { runId: id, attempt: 1 } };
  }

  async getRun(runId: string): Promise<RunRecord> {
    checkString('runId', runId);
    const row = await this.d.get<RunRow>('SELECT * FROM runs WHERE id = ?', [runId]);
    if (row == null) throw new NotFoundError('run', runId);
    return toRunRecord(row);
  }

  async recordEnvironment(lease: RunLease, env: Environment): Promise<void> {
    await this.write(async (tx) => {
      await this.fence(tx, lease, this.clock());
      await tx.run(`UPDATE runs SET config_json = coalesce(?, config_json), versions_json = coalesce(?, versions_json), backend = coalesce(?, backend),
                    git_sha = coalesce(?, git_sha), data_checksum = coalesce(?, data_checksum) WHERE id = ?`,
      [env.config === undefined ? null : JSON.stringify(env.config), env.versions ? JSON.stringify(env.versions) : null,
        env.backend ?? null, env.gitSha ?? null, env.dataChecksum ?? null, lease.runId]);
    });
  }

  async heartbeat(lease: RunLease): Promise<boolean> {
    try {
      await this.write((tx) => this.fence(tx, lease, this.clock(), 'always'));
      return true;
    } catch (error) {
      if (error instanceof LeaseLostError) return false;
      throw error;
    }
  }

  async endRun(lease: RunLease, status: EndStatus, error?: string): Promise<RunStatus> {
    if (!['finished', 'failed', 'killed', 'pruned'].includes(status)) fail('status', 'finished, failed, killed or pruned', status);
    return this.write(async (tx) => {
      const now = this.clock();
      await this.fence(tx, lease, now);
      const retry = status === 'failed' && (await tx.get<{ ok: number }>(
        'SELECT 1 AS ok FROM runs r JOIN sweeps s ON s.id = r.sweep_id WHERE r.id = ? AND r.attempt <= s.max_retries', [lease.runId])) != null;
      const final: RunStatus = retry ? 'pending' : status;
      await tx.run(`UPDATE runs SET status = ?, ended_at = ?, error = ?, lease_expires_at = NULL${retry ? ', worker_pid = NULL, heartbeat_at = NULL' : ''}
                    WHERE id = ?`, [final, retry ? null : now, error ?? null, lease.runId]);
      await this.settleRunSweep(tx, lease.runId);
      return final;
    });
  }

  async releaseRun(lease: RunLease, reason: string): Promise<void> {
    await this.write(async (tx) => {
      await this.fence(tx, lease, this.clock());
      await tx.run(`UPDATE runs SET status = 'pending', error = ?, worker_pid = NULL, heartbeat_at = NULL, lease_expires_at = NULL
                    WHERE id = ?`, [reason, lease.runId]);
    });
  }

  private async settleRunSweep(tx: SqlConnection, runId: string): Promise<void> {
    const row = await tx.get<{ sweep_id: string | null }>('SELECT sweep_id FROM runs WHERE id = ?', [runId]);
    if (row?.sweep_id) await settleSweep(tx, row.sweep_id);
  }

  async reapExpired(options: ReapOptions = {}): Promise<ReapedRun[]> {
    const host = workerHost();
    return this.write(async (tx) => {
      const now = options.now ?? this.clock();
      const running = await tx.all<{ id: string; sweep_id: string | null; attempt: number; worker_pid: number | null; worker_host: string | null;
        heartbeat_at: number | null; lease_expires_at: number | null; max_retries: number | null }>(
        `SELECT r.id, r.sweep_id, r.attempt, r.worker_pid, r.worker_host, r.heartbeat_at, r.lease_expires_at, s.max_retries
         FROM runs r LEFT JOIN sweeps s ON s.id = r.sweep_id WHERE r.status = 'running' ${options.sweepId ? 'AND r.sweep_id = ?' : ''}
         ${this.d.skipLocked('r')}`,
        options.sweepId ? [options.sweepId] : []);
      const reaped: ReapedRun[] = [];
      for (const r of running) {
        let reason: string | null = null;
        if (options.isAlive && r.worker_pid != null && r.worker_host === host && !options.isAlive(r.worker_pid)) {
          reason = `worker process ${r.worker_pid} on ${host} is gone`;
        } else if (!options.deadWorkersOnly && (r.lease_expires_at ?? 0) < now) {
          reason = `lease expired: no heartbeat for ${now - (r.heartbeat_at ?? 0)} ms`;
        }
        if (reason == null) continue;
        const status = r.max_retries != null && r.attempt <= r.max_retries ? 'pending' : 'crashed';
        const text = `attempt ${r.attempt}: ${reason}${status === 'pending' ? ' (re-queued)' : ''}`;
        const changed = await tx.run(
          `UPDATE runs SET status = ?, ended_at = ?, error = ?, lease_expires_at = NULL${status === 'pending' ? ', worker_pid = NULL, heartbeat_at = NULL' : ''}
           WHERE id = ? AND status = 'running' AND attempt = ?`, [status, status === 'pending' ? null : now, text, r.id, r.attempt]);
        if (changed === 1) reaped.push({ runId: r.id, sweepId: r.sweep_id, status, reason: text });
      }
      // In id order: settling locks each sweep's row, and two reapers must take those locks in one order.
      for (const sweepId of [...new Set(reaped.map((r) => r.sweepId).filter((s): s is string => s != null))].sort()) await settleSweep(tx, sweepId);
      return reaped;
    });
  }

  // ---- results (fenced) ----

  async logMetrics(lease: RunLease, points: MetricPoint[]): Promise<void> {
    validatePoints(points);
    const now = this.clock();
    const batch = prepareMetrics(points, now);
    await this.write(async (tx) => {
      await this.fence(tx, lease, now);
      await writeMetrics(tx, this.d, lease.runId, lease.attempt, batch);
    });
  }

  async logImages(lease: RunLease, images: ImageInput[]): Promise<void> {
    if (!Array.isArray(images)) fail('images', 'an array of {key, step, index, png}', images);
    images.forEach((img, i) => {
      checkKey(`images[${i}].key`, img?.key);
      checkStep(`images[${i}].step`, img.step);
      checkStep(`images[${i}].index`, img.index);
      checkPng(`images[${i}].png`, img.png);
      if (img.caption !== undefined) checkString(`images[${i}].caption`, img.caption);
    });
    await this.write(async (tx) => {
      const now = this.clock();
      await this.fence(tx, lease, now);
      for (const img of images) {
        await tx.run(`INSERT INTO images (run_id, key, step, idx, caption, png, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
          ON CONFLICT (run_id, key, step, idx) DO UPDATE SET caption = excluded.caption, png = excluded.png, created_at = excluded.created_at`,
        [lease.runId, img.key, img.step, img.index, img.caption ?? null, Buffer.from(img.png), now]);
      }
    });
  }

  async truncateAfter(lease: RunLease, step: number): Promise<number> {
    checkStep('step', step);
    return this.write(async (tx) => {
      await this.fence(tx, lease, this.clock());
      return truncateMetrics(tx, lease.runId, step);
    });
  }

  async saveCheckpoint(lease: RunLease, step: number, data: Uint8Array): Promise<void> {
    checkStep('step', step);
    if (!(data instanceof Uint8Array) || data.length === 0) fail('checkpoint', 'non-empty bytes', data);
    await this.write(async (tx) => {
      const now = this.clock();
      await this.fence(tx, lease, now);
      await tx.run(`INSERT INTO checkpoints (run_id, step, attempt, data, path, created_at) VALUES (?, ?, ?, ?, NULL, ?)
        ON CONFLICT (run_id, step) DO UPDATE SET attempt = excluded.attempt, data = excluded.data, path = NULL, created_at = excluded.created_at`,
      [lease.runId, step, lease.attempt, Buffer.from(data.buffer, data.byteOffset, data.byteLength), now]);
      await tx.run('DELETE FROM checkpoints WHERE run_id = ? AND step <> ?', [lease.runId, step]);
    });
  }

  async latestCheckpoint(runId: string): Promise<CheckpointRecord | null> {
    const row = await this.d.get<{ step: number; attempt: number; data: Buffer | null; path: string | null }>(
      'SELECT step, attempt, data, path FROM checkpoints WHERE run_id = ? ORDER BY step DESC LIMIT 1', [runId]);
    if (row == null) return null;
    const data = row.data ?? (row.path ? this.d.readCheckpointFile?.(row.path) ?? null : null);
    return data == null ? null : { step: row.step, attempt: row.attempt, data };
  }

  // ---- reads ----

  async metricSummaries(runId: string): Promise<RunMetricSummary[]> {
    await this.getRun(runId);
    return summaries(this.d, runId);
  }

  async metricSeries(runId: string, key: string, options: SeriesOptions = {}): Promise<SeriesPoint[]> {
    checkKey('key', key);
    const { maxPoints, afterStep } = options;
    if (maxPoints !== undefined && (!Number.isInteger(maxPoints) || maxPoints < 2)) fail('maxPoints', 'an integer ≥ 2', maxPoints);
    if (afterStep !== undefined && !Number.isInteger(afterStep)) fail('afterStep', 'an integer step', afterStep);
    await this.getRun(runId);
    return series(this.d, runId, key, maxPoints, afterStep);
  }

  async metricKeys(runId: string): Promise<string[]> {
    return (await this.d.all<{ key: string }>('SELECT key FROM metric_summary WHERE run_id = ? ORDER BY key', [runId])).map((r) => r.key);
  }

  async listImages(runId: string, key?: string): Promise<ImageInfo[]> {
    await this.getRun(runId);
    const rows = await this.d.all<{ run_id: string; key: string; step: number; idx: number; caption: string | null; bytes: number }>(
      `SELECT run_id, key, step, idx, caption, length(png) AS bytes FROM images WHERE run_id = ? ${key === undefined ? '' : 'AND key = ?'}
       ORDER BY key, step, idx`, key === undefined ? [runId] : [runId, key]);
    return rows.map((r) => ({ runId: r.run_id, key: r.key, step: r.step, index: r.idx, caption: r.caption, bytes: r.bytes }));
  }

  async getImage(runId: string, key: string, step: number, index = 0): Promise<Buffer | null> {
    const row = await this.d.get<{ png: Buffer }>('SELECT png FROM images WHERE run_id = ? AND key = ? AND step = ? AND idx = ?', [runId, key, step, index]);
    return row?.png ?? null;
  }

  queryRuns(query?: RunQuery): Promise<{ total: number; runs: RunWithMetrics[] }> {
    return queryRuns(this.d, query);
  }

  seedGroups(query?: SeedGroupQuery): Promise<{ total: number; runs: number; groups: SeedGroup[] }> {
    return seedGroups(this.d, query);
  }

  async engineInfo(): Promise<Record<string, string | number>> {
    return this.d.info();
  }

  // ---- sweeps ----

  async createSweep(input: SweepInput): Promise<{ sweep: SweepRecord; created: boolean }> {
    this.requireWritable();
    return createSweep(this.d, input, this.clock());
  }

  async getSweep(idOrName: string): Promise<SweepRecord> {
    checkString('sweep', idOrName);
    const row = await this.d.get<SweepRow>('SELECT * FROM sweeps WHERE id = ? OR name = ?', [idOrName, idOrName]);
    if (row == null) throw new NotFoundError('sweep', idOrName);
    return toSweepRecord(row);
  }

  async listSweeps(): Promise<(SweepRecord & { counts: StatusCounts })[]> {
    const sweeps = (await this.d.all<SweepRow>('SELECT * FROM sweeps ORDER BY created_at, id')).map(toSweepRecord);
    const rows = await this.d.all<{ sweep_id: string; status: RunStatus; n: number }>(
      'SELECT sweep_id, status, count(*) AS n FROM runs WHERE sweep_id IS NOT NULL GROUP BY sweep_id, status');
    const counts = new Map(sweeps.map((s) => [s.id, emptyCounts()]));
    for (const r of rows) {
      const c = counts.get(r.sweep_id);
      if (c) c[r.status] = r.n;
    }
    return sweeps.map((s) => ({ ...s, counts: counts.get(s.id)! }));
  }

  async sweepCounts(sweepId: string): Promise<StatusCounts> {
    return statusCounts(this.d, sweepId);
  }

  async sweepTrials(sweepId: string): Promise<RunWithMetrics[]> {
    const rows = await this.d.all<RunRow>('SELECT * FROM runs WHERE sweep_id = ? ORDER BY trial', [sweepId]);
    const metrics = await summariesOf(this.d, rows.map((r) => r.id));
    return rows.map((r) => ({ ...toRunRecord(r), metrics: metrics.get(r.id)! }));
  }

  async updateSweep(sweepId: string, changes: { maxRetries?: number; leaseMs?: number; status?: SweepStatus }): Promise<SweepRecord> {
    if (changes.maxRetries !== undefined && !(Number.isInteger(changes.maxRetries) && changes.maxRetries >= 0)) fail('maxRetries', 'a non-negative integer', changes.maxRetries);
    if (changes.leaseMs !== undefined && !(Number.isInteger(changes.leaseMs) && changes.leaseMs >= 1000)) fail('leaseMs', 'an integer ≥ 1000 ms', changes.leaseMs);
    if (changes.status !== undefined && !SWEEP_STATUSES.includes(changes.status)) fail('status', SWEEP_STATUSES.join('|'), changes.status);
    const sweep = await this.getSweep(sweepId);
    await this.write(async (tx) => {
      await tx.run('UPDATE sweeps SET max_retries = ?, lease_ms = ?, status = ? WHERE id = ?',
        [changes.maxRetries ?? sweep.maxRetries, changes.leaseMs ?? sweep.leaseMs, changes.status ?? sweep.status, sweep.id]);
    });
    return this.getSweep(sweep.id);
  }

  async claimTrial(worker: WorkerIdentity, sweepId?: string): Promise<RunRecord | null> {
    this.requireWritable();
    return claimTrial(this.d, worker, this.clock(), sweepId);
  }

  async requeueTrials(sweepId: string, statuses: RunStatus[], options: RequeueOptions = {}): Promise<number> {
    statuses.forEach((s, i) => { if (!RUN_STATUSES.includes(s)) fail(`statuses[${i}]`, RUN_STATUSES.join('|'), s); });
    this.requireWritable();
    return requeueTrials(this.d, sweepId, statuses, options.withinRetries ?? false);
  }

  settleSweep(sweepId: string): Promise<SweepStatus> {
    return this.write((tx) => settleSweep(tx, sweepId));
  }
}
