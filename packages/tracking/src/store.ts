// The tracking store: runs with explicit states and heartbeats, params, metric series,
// images and checkpoints on one SQLite file shared safely by many processes.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { ulid } from 'ulid';
import { canonicalJson, hashOf } from './codec.js';
import { type Db, type OpenOptions, openDatabase } from './db.js';
import { type MetricPoint, RUN_STATUSES, type ImageInfo, type ImageInput, type MetricSummary, type Params, type RunRecord, type RunStatus } from './types.js';
import { metricWriter, series, type SeriesPoint, summaries, truncateMetrics, validatePoints } from './metrics.js';
import { type RunRow, toRunRecord } from './run-rows.js';
import { claimTrial, createSweep, insertParams, requeueTrials, type SweepInput, type SweepRecord, sweepStatusCounts, toSweepRecord } from './sweeps.js';
import { checkKey, checkPng, checkStep, checkString, fail } from './validate.js';

export interface NewRun {
  name?: string;
  variant?: string;
  params: Params;
  config?: unknown;
}

export interface Environment {
  config?: unknown;
  versions?: Record<string, string>;
  backend?: string;
  gitSha?: string;
  dataChecksum?: string;
}

export type EndStatus = Extract<RunStatus, 'finished' | 'failed' | 'killed' | 'pruned'>;

/** True while the process exists and is not a zombie (a killed worker whose parent never reaped it). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    // /proc/<pid>/stat: "pid (comm) S ..."; the state letter follows the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no procfs (macOS, Windows): signal 0 succeeded, so it exists
  }
}

export class TrackingStore {
  readonly db: Db;
  private metricWriterCache: ReturnType<typeof metricWriter> | null = null;
  clock: () => number = Date.now;

  constructor(readonly path: string, options: OpenOptions = {}) {
    this.db = openDatabase(path, options);
  }

  close(): void {
    // Lets SQLite refresh planner statistics for tables that changed a lot.
    if (!this.db.readonly) this.db.pragma('optimize');
    this.db.close();
  }

  private immediate<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  // ---- runs ----

  createRun(input: NewRun): RunRecord {
    if (input == null || typeof input.params !== 'object' || input.params === null || Array.isArray(input.params)) {
      fail('run.params', 'an object of parameters', input?.params);
    }
    const now = this.clock();
    const id = ulid(now);
    this.immediate(() => {
      this.db.prepare(`INSERT INTO runs (id, name, variant, status, params_json, params_hash, attempt, worker_pid, worker_host,
                       heartbeat_at, created_at, started_at, config_json) VALUES (?, ?, ?, 'running', ?, ?, 1, ?, ?, ?, ?, ?, ?)`)
        .run(id, input.name ?? id, input.variant ?? null, canonicalJson(input.params), hashOf(input.params), process.pid, hostname(),
          now, now, now, input.config === undefined ? null : JSON.stringify(input.config));
      insertParams(this.db, id, input.params);
    });
    return this.getRun(id);
  }

  getRun(runId: string): RunRecord {
    const row = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(runId) as RunRow | undefined;
    if (row == null) throw new Error(`unknown run id "${runId}"`);
    return toRunRecord(row);
  }

  private requireRun(runId: unknown): string {
    checkString('runId', runId);
    if (this.db.prepare('SELECT 1 FROM runs WHERE id = ?').get(runId) == null) throw new Error(`unknown run id "${runId as string}"`);
    return runId as string;
  }

  recordEnvironment(runId: string, env: Environment): void {
    this.requireRun(runId);
    this.immediate(() => this.db.prepare(
      `UPDATE runs SET config_json = coalesce(?, config_json), versions_json = coalesce(?, versions_json), backend = coalesce(?, backend),
       git_sha = coalesce(?, git_sha), data_checksum = coalesce(?, data_checksum) WHERE id = ?`)
      .run(env.config === undefined ? null : JSON.stringify(env.config), env.versions ? JSON.stringify(env.versions) : null,
        env.backend ?? null, env.gitSha ?? null, env.dataChecksum ?? null, runId));
  }

  /** Refreshes the heartbeat; false when this worker no longer owns the run (reaped or ended). */
  heartbeat(runId: string, pid = process.pid): boolean {
    return this.immediate(() => this.db.prepare("UPDATE runs SET heartbeat_at = ? WHERE id = ? AND status = 'running' AND worker_pid = ?")
      .run(this.clock(), runId, pid).changes === 1);
  }

  endRun(runId: string, status: EndStatus, error?: string): void {
    if (!['finished', 'failed', 'killed', 'pruned'].includes(status)) fail('status', 'finished, failed, killed or pruned', status);
    this.requireRun(runId);
    this.immediate(() => this.db.prepare('UPDATE runs SET status = ?, ended_at = ?, error = ? WHERE id = ?')
      .run(status, this.clock(), error ?? null, runId));
  }

  /**
   * Marks running runs whose heartbeat is older than the timeout, or whose worker process on
   * this host is gone, as crashed. Returns the ids it marked.
   */
  reapDeadRuns(heartbeatTimeoutMs: number, isAlive: (pid: number) => boolean = isProcessAlive): string[] {
    const now = this.clock();
    const host = hostname();
    return this.immediate(() => {
      const running = this.db.prepare("SELECT id, worker_pid, worker_host, heartbeat_at FROM runs WHERE status = 'running'").all() as
        { id: string; worker_pid: number | null; worker_host: string | null; heartbeat_at: number | null }[];
      const mark = this.db.prepare("UPDATE runs SET status = 'crashed', ended_at = ?, error = ? WHERE id = ? AND status = 'running'");
      const reaped: string[] = [];
      for (const r of running) {
        let reason: string | null = null;
        if (r.worker_pid != null && r.worker_host === host && !isAlive(r.worker_pid)) reason = `worker process ${r.worker_pid} is gone`;
        else if ((r.heartbeat_at ?? 0) < now - heartbeatTimeoutMs) reason = `no heartbeat for ${now - (r.heartbeat_at ?? 0)} ms`;
        if (reason) {
          mark.run(now, reason, r.id);
          reaped.push(r.id);
        }
      }
      return reaped;
    });
  }

  // ---- metrics, images, checkpoints ----

  /** Upserts a batch of points in one transaction; all or nothing. */
  logMetrics(runId: string, points: MetricPoint[]): void {
    this.requireRun(runId);
    validatePoints(points);
    const now = this.clock();
    this.metricWriterCache ??= metricWriter(this.db);
    const write = this.metricWriterCache;
    this.immediate(() => write(runId, points, now));
  }

  /** Drops points and images after `step`, for a run resumed from a checkpoint at that step. */
  truncateAfter(runId: string, step: number): number {
    this.requireRun(runId);
    checkStep('step', step);
    return this.immediate(() => truncateMetrics(this.db, runId, step));
  }

  metricSummaries(runId: string): MetricSummary[] {
    this.requireRun(runId);
    return summaries(this.db, runId);
  }

  metricSeries(runId: string, key: string, maxPoints?: number): SeriesPoint[] {
    this.requireRun(runId);
    checkKey('key', key);
    if (maxPoints !== undefined && (!Number.isInteger(maxPoints) || maxPoints < 2)) fail('maxPoints', 'an integer ≥ 2', maxPoints);
    return series(this.db, runId, key, maxPoints);
  }

  metricKeys(runId: string): string[] {
    return this.db.prepare('SELECT key FROM metric_summary WHERE run_id = ? ORDER BY key').pluck().all(runId) as string[];
  }

  logImages(runId: string, images: ImageInput[]): void {
    this.requireRun(runId);
    images.forEach((img, i) => {
      checkKey(`images[${i}].key`, img?.key);
      checkStep(`images[${i}].step`, img.step);
      checkStep(`images[${i}].index`, img.index);
      checkPng(`images[${i}].png`, img.png);
      if (img.caption !== undefined) checkString(`images[${i}].caption`, img.caption);
    });
    const now = this.clock();
    const insert = this.db.prepare(`INSERT INTO images (run_id, key, step, idx, caption, png, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (run_id, key, step, idx) DO UPDATE SET caption = excluded.caption, png = excluded.png, created_at = excluded.created_at`);
    this.immediate(() => {
      for (const img of images) insert.run(runId, img.key, img.step, img.index, img.caption ?? null, Buffer.from(img.png), now);
    });
  }

  listImages(runId: string, key?: string): ImageInfo[] {
    this.requireRun(runId);
    const rows = this.db.prepare(`SELECT run_id, key, step, idx, caption, length(png) AS bytes FROM images
      WHERE run_id = ? AND (? IS NULL OR key = ?) ORDER BY key, step, idx`).all(runId, key ?? null, key ?? null) as
      { run_id: string; key: string; step: number; idx: number; caption: string | null; bytes: number }[];
    return rows.map((r) => ({ runId: r.run_id, key: r.key, step: r.step, index: r.idx, caption: r.caption, bytes: r.bytes }));
  }

  getImage(runId: string, key: string, step: number, index = 0): Buffer | null {
    const row = this.db.prepare('SELECT png FROM images WHERE run_id = ? AND key = ? AND step = ? AND idx = ?').get(runId, key, step, index) as
      { png: Buffer } | undefined;
    return row?.png ?? null;
  }

  recordCheckpoint(runId: string, step: number, path: string): void {
    this.requireRun(runId);
    checkStep('step', step);
    checkString('path', path);
    this.immediate(() => this.db.prepare('INSERT OR REPLACE INTO checkpoints (run_id, step, path, created_at) VALUES (?, ?, ?, ?)')
      .run(runId, step, path, this.clock()));
  }

  latestCheckpoint(runId: string): { step: number; path: string } | null {
    return (this.db.prepare('SELECT step, path FROM checkpoints WHERE run_id = ? ORDER BY step DESC LIMIT 1').get(runId) as
      { step: number; path: string } | undefined) ?? null;
  }

  // ---- sweeps ----

  createSweep(input: SweepInput): { sweep: SweepRecord; created: boolean } {
    return createSweep(this.db, input, this.clock());
  }

  getSweep(idOrName: string): SweepRecord {
    const row = this.db.prepare('SELECT * FROM sweeps WHERE id = ? OR name = ?').get(idOrName, idOrName);
    if (row == null) throw new Error(`unknown sweep "${idOrName}"`);
    return toSweepRecord(row as Parameters<typeof toSweepRecord>[0]);
  }

  listSweeps(): SweepRecord[] {
    return (this.db.prepare('SELECT * FROM sweeps ORDER BY created_at, id').all() as Parameters<typeof toSweepRecord>[0][]).map(toSweepRecord);
  }

  setSweepStatus(sweepId: string, status: 'pending' | 'running' | 'finished' | 'killed'): void {
    this.immediate(() => this.db.prepare('UPDATE sweeps SET status = ? WHERE id = ?').run(status, sweepId));
  }

  claimTrial(sweepId: string, pid = process.pid): RunRecord | null {
    return claimTrial(this.db, sweepId, pid, this.clock());
  }

  requeueTrials(sweepId: string, statuses: RunStatus[] = ['failed', 'crashed'], withinRetries = true): number {
    statuses.forEach((s, i) => { if (!RUN_STATUSES.includes(s)) fail(`statuses[${i}]`, RUN_STATUSES.join('|'), s); });
    return requeueTrials(this.db, sweepId, statuses, withinRetries);
  }

  sweepCounts(sweepId: string): Record<RunStatus, number> {
    return sweepStatusCounts(this.db, sweepId);
  }

  sweepRuns(sweepId: string): RunRecord[] {
    return (this.db.prepare('SELECT * FROM runs WHERE sweep_id = ? ORDER BY trial').all(sweepId) as RunRow[]).map(toRunRecord);
  }
}
