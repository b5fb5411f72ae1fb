// The store interface: the only way the CLI, workers, coordinator, dashboard and export touch a
// store. Async because a network database is; the SQLite and PostgreSQL engines behave the same
// (one conformance suite runs every behaviour against both).
import type {
  CheckpointRecord, ImageInfo, ImageInput, MetricPoint, MetricSummary, Params, RunLease, RunMetricSummary, RunRecord, RunStatus, SeriesPoint,
  StatusCounts, SweepInput, SweepRecord, SweepStatus, WorkerIdentity,
} from './types.js';

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

export interface RangeFilter {
  key: string;
  min?: number;
  max?: number;
}

export interface RunQuery {
  sweepId?: string;
  status?: RunStatus[];
  variant?: string[];
  /** Case-insensitive substring of the run name. */
  search?: string;
  params?: (RangeFilter & { equals?: string | number })[];
  /** Ranges on each metric's latest value. */
  metrics?: RangeFilter[];
  /** `created`, `name`, `status`, `variant`, `param:<key>` or `metric:<key>`. */
  sortBy?: string;
  direction?: 'asc' | 'desc';
  limit?: number;
  offset?: number;
}

export type RunWithMetrics = RunRecord & { metrics: Record<string, MetricSummary> };

/** Runs of one variant whose params are equal but for `seed`: repeats of one configuration. */
export interface SeedGroup {
  /** The group's identity within this store (variant and params but seed). */
  key: string;
  variant: string | null;
  /** The runs' params without `seed`. */
  params: Params;
  n: number;
  /** Members in the order they were created. */
  runIds: string[];
  names: string[];
  statuses: Partial<Record<RunStatus, number>>;
  /** Mean, sample standard deviation (0 for one value) and count of the members' latest finite values. */
  metrics: Record<string, { mean: number; std: number; n: number }>;
}

/** The runs query's filters, applied to runs before grouping; sorting (a metric by its group mean) and paging apply to groups. */
export interface SeedGroupQuery extends RunQuery {
  /** Only these metrics' statistics (all of the members' metrics when absent). */
  metricKeys?: string[];
}

export interface SeriesOptions {
  /** Downsample long series to about this many points (each bucket keeps its extremes). */
  maxPoints?: number;
  /** Only points after this step (incremental refresh). */
  afterStep?: number;
}

export interface ReapOptions {
  /** Same-host shortcut: a running trial whose worker process on this host is gone is reaped at once. */
  isAlive?(pid: number): boolean;
  /** Only reap runs of this sweep. */
  sweepId?: string;
  /** Reap only dead same-host workers, not expired leases (a coordinator waking from a suspension). */
  deadWorkersOnly?: boolean;
  /** The time to judge leases at (default: now); a caller that checked for its own suspension passes the time it checked. */
  now?: number;
}

export interface ReapedRun {
  runId: string;
  sweepId: string | null;
  /** pending when re-queued within the sweep's retries, else crashed. */
  status: 'pending' | 'crashed';
  reason: string;
}

export interface RequeueOptions {
  /** Only trials whose attempts have not used up the sweep's max_retries. */
  withinRetries?: boolean;
}

/** What the dashboard and read-only commands need: nothing here writes. */
export interface StoreReader {
  readonly engine: 'sqlite' | 'postgres';
  /** The file path, or the URL with its password masked. */
  readonly location: string;
  readonly readonly: boolean;
  close(): Promise<void>;

  getRun(runId: string): Promise<RunRecord>;
  metricSummaries(runId: string): Promise<RunMetricSummary[]>;
  metricSeries(runId: string, key: string, options?: SeriesOptions): Promise<SeriesPoint[]>;
  metricKeys(runId: string): Promise<string[]>;
  listImages(runId: string, key?: string): Promise<ImageInfo[]>;
  getImage(runId: string, key: string, step: number, index?: number): Promise<Buffer | null>;
  latestCheckpoint(runId: string): Promise<CheckpointRecord | null>;
  queryRuns(query?: RunQuery): Promise<{ total: number; runs: RunWithMetrics[] }>;
  /** Seed groups of the runs a query matches, aggregated by the store; `total` groups of `runs` runs, a page of them (up to 10,000). */
  seedGroups(query?: SeedGroupQuery): Promise<{ total: number; runs: number; groups: SeedGroup[] }>;

  getSweep(idOrName: string): Promise<SweepRecord>;
  listSweeps(): Promise<(SweepRecord & { counts: StatusCounts })[]>;
  sweepCounts(sweepId: string): Promise<StatusCounts>;
  /** Every trial of a sweep in trial order, with metric summaries (no truncation). */
  sweepTrials(sweepId: string): Promise<RunWithMetrics[]>;
  /** Engine settings worth checking (journal mode, versions, schema version), for diagnostics. */
  engineInfo(): Promise<Record<string, string | number>>;
}

export interface Store extends StoreReader {
  /** A run outside any sweep, running under this process (attempt 1); returns its lease too. */
  createRun(input: NewRun): Promise<RunRecord & { lease: RunLease }>;
  recordEnvironment(lease: RunLease, env: Environment): Promise<void>;
  /** Renews the lease; false when this attempt no longer owns the run. */
  heartbeat(lease: RunLease): Promise<boolean>;
  /**
   * Ends the attempt. A failed trial with retries left goes back to pending (returned); a sweep
   * with nothing left to run is settled (finished, failed or killed).
   */
  endRun(lease: RunLease, status: EndStatus, error?: string): Promise<RunStatus>;
  /** Gives the trial back (pending, checkpoint kept) when its worker must stop but nothing failed. */
  releaseRun(lease: RunLease, reason: string): Promise<void>;
  /** Crashes or re-queues running trials whose lease expired (or whose same-host worker is gone). */
  reapExpired(options?: ReapOptions): Promise<ReapedRun[]>;

  /** Upserts a batch keyed by (run, key, step) in one transaction: all or nothing, fenced by the lease. */
  logMetrics(lease: RunLease, points: MetricPoint[]): Promise<void>;
  logImages(lease: RunLease, images: ImageInput[]): Promise<void>;
  /** Drops points and images after `step` (a resumed attempt replays from its checkpoint). */
  truncateAfter(lease: RunLease, step: number): Promise<number>;
  /** Stores the checkpoint in the store (reachable from every machine); older ones are dropped. */
  saveCheckpoint(lease: RunLease, step: number, data: Uint8Array): Promise<void>;

  /** Creates the sweep and its pending trials; the same trials again return the existing sweep. */
  createSweep(input: SweepInput): Promise<{ sweep: SweepRecord; created: boolean }>;
  updateSweep(sweepId: string, changes: { maxRetries?: number; leaseMs?: number; status?: SweepStatus }): Promise<SweepRecord>;
  /** Atomically claims the lowest pending trial (of one sweep, or of any open sweep); null when none is left. */
  claimTrial(worker: WorkerIdentity, sweepId?: string): Promise<RunRecord | null>;
  requeueTrials(sweepId: string, statuses: RunStatus[], options?: RequeueOptions): Promise<number>;
  /** Sets the sweep's status from its trials when nothing is left to run; returns the status. */
  settleSweep(sweepId: string): Promise<SweepStatus>;
}

export function leaseOf(run: Pick<RunRecord, 'id' | 'attempt'>): RunLease {
  return { runId: run.id, attempt: run.attempt };
}
