// Maps SQL rows of the runs and sweeps tables to records.
import { parseJson } from '../codec.js';
import type { Params, RunRecord, RunStatus, SweepRecord, SweepStatus } from '../types.js';

export interface RunRow {
  id: string; experiment_id: string | null; sweep_id: string | null; trial: number | null; name: string; variant: string | null;
  status: RunStatus; params_json: string; params_hash: string; attempt: number; worker_pid: number | null; worker_host: string | null;
  heartbeat_at: number | null; lease_expires_at: number | null; created_at: number; started_at: number | null; ended_at: number | null;
  error: string | null; config_json: string | null; versions_json: string | null; backend: string | null; git_sha: string | null;
  data_checksum: string | null;
}

export function toRunRecord(r: RunRow): RunRecord {
  return {
    id: r.id, experimentId: r.experiment_id, sweepId: r.sweep_id, trial: r.trial, name: r.name, variant: r.variant, status: r.status,
    params: parseJson<Params>(r.params_json) ?? {}, paramsHash: r.params_hash, attempt: r.attempt, workerPid: r.worker_pid,
    workerHost: r.worker_host, heartbeatAt: r.heartbeat_at, leaseExpiresAt: r.lease_expires_at, createdAt: r.created_at,
    startedAt: r.started_at, endedAt: r.ended_at, error: r.error, config: parseJson(r.config_json), versions: parseJson(r.versions_json),
    backend: r.backend, gitSha: r.git_sha, dataChecksum: r.data_checksum,
  };
}

export interface SweepRow {
  id: string; name: string; config_text: string; config_hash: string; method: string; metric_name: string | null;
  metric_goal: 'minimize' | 'maximize' | null; max_retries: number; lease_ms: number; settings_json: string; status: SweepStatus;
  created_at: number;
}

export function toSweepRecord(r: SweepRow): SweepRecord {
  return {
    id: r.id, name: r.name, configText: r.config_text, configHash: r.config_hash, method: r.method, metricName: r.metric_name,
    metricGoal: r.metric_goal, maxRetries: r.max_retries, leaseMs: r.lease_ms, settings: parseJson(r.settings_json) ?? {},
    status: r.status, createdAt: r.created_at,
  };
}
