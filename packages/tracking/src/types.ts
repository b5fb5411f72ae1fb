// Row shapes the store returns; field names match the rest of VAE Lab (camelCase, ms times).

export const RUN_STATUSES = ['pending', 'running', 'finished', 'failed', 'crashed', 'killed', 'pruned'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const FINAL_STATUSES: RunStatus[] = ['finished', 'failed', 'crashed', 'killed', 'pruned'];

/** pending: nothing claimed yet; running: trials in progress; finished: all finished; failed: ended with some trials failed or crashed; killed: stopped by the user. */
export const SWEEP_STATUSES = ['pending', 'running', 'finished', 'failed', 'killed'] as const;
export type SweepStatus = (typeof SWEEP_STATUSES)[number];

export type Params = Record<string, unknown>;

export interface RunRecord {
  id: string;
  experimentId: string | null;
  sweepId: string | null;
  trial: number | null;
  name: string;
  variant: string | null;
  status: RunStatus;
  params: Params;
  paramsHash: string;
  /** Claims so far: each claim (a new attempt) increments it; every result write carries it. */
  attempt: number;
  workerPid: number | null;
  workerHost: string | null;
  heartbeatAt: number | null;
  /** The current attempt's lease ends here unless a heartbeat renews it (ms since the epoch). */
  leaseExpiresAt: number | null;
  createdAt: number;
  startedAt: number | null;
  endedAt: number | null;
  error: string | null;
  config: unknown;
  versions: Record<string, string> | null;
  backend: string | null;
  gitSha: string | null;
  dataChecksum: string | null;
}

/** The right to write one attempt's results: a run id and the attempt that claimed it. */
export interface RunLease {
  runId: string;
  attempt: number;
}

export interface MetricPoint {
  key: string;
  step: number;
  /** NaN and ±Infinity are stored and returned as such. */
  value: number;
  /** Wall-clock time of the point, ms since the epoch (defaults to now). */
  wallMs?: number;
}

export interface SeriesPoint {
  step: number;
  value: number;
  wallMs: number;
  /** The attempt that wrote the point. */
  attempt: number;
}

export interface MetricSummary {
  key: string;
  lastStep: number;
  last: number;
  min: number;
  max: number;
  count: number;
}

/** A summary in a single run's view, with where its extremes were reached. */
export interface RunMetricSummary extends MetricSummary {
  /** The first step whose value is `min` (null when every value is NaN); likewise `maxStep`. */
  minStep: number | null;
  maxStep: number | null;
}

export interface ImageInput {
  key: string;
  step: number;
  index: number;
  png: Uint8Array;
  caption?: string;
}

export interface ImageInfo {
  runId: string;
  key: string;
  step: number;
  index: number;
  caption: string | null;
  bytes: number;
}

export interface CheckpointRecord {
  step: number;
  attempt: number;
  data: Buffer;
}

export interface SweepTrialInput {
  params: Params;
  variant?: string;
  name?: string;
  /** Everything a worker needs to run the trial (resolved model/train configs, dataset, budget…). */
  config?: unknown;
}

export interface SweepInput {
  name: string;
  /** The sweep file as written, kept for reference and export. */
  configText: string;
  method: string;
  metric?: { name: string; goal: 'minimize' | 'maximize' };
  maxRetries?: number;
  /** How long a claimed trial stays owned without a heartbeat (default 10 minutes). */
  leaseMs?: number;
  /** Settings that do not change what the trials compute (parallel, backend): JSON data. */
  settings?: Record<string, unknown>;
  trials: SweepTrialInput[];
}

export interface SweepRecord {
  id: string;
  name: string;
  configText: string;
  /** Hash of the trials (their params and configs): the sweep's identity. */
  configHash: string;
  method: string;
  metricName: string | null;
  metricGoal: 'minimize' | 'maximize' | null;
  maxRetries: number;
  leaseMs: number;
  settings: Record<string, unknown>;
  status: SweepStatus;
  createdAt: number;
}

export type StatusCounts = Record<RunStatus, number>;

export interface WorkerIdentity {
  pid: number;
  host: string;
}

export const DEFAULT_LEASE_MS = 10 * 60_000;
