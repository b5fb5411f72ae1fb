// Row shapes the store returns; field names match the rest of VAE Lab (camelCase, ms times).

export const RUN_STATUSES = ['pending', 'running', 'finished', 'failed', 'crashed', 'killed', 'pruned'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const FINAL_STATUSES: RunStatus[] = ['finished', 'failed', 'crashed', 'killed', 'pruned'];

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
  attempt: number;
  workerPid: number | null;
  workerHost: string | null;
  heartbeatAt: number | null;
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

export interface MetricPoint {
  key: string;
  step: number;
  /** NaN and ±Infinity are stored and returned as such. */
  value: number;
  /** Wall-clock time of the point, ms since the epoch (defaults to now). */
  wallMs?: number;
}

export interface MetricSummary {
  key: string;
  lastStep: number;
  last: number;
  min: number;
  max: number;
  count: number;
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
