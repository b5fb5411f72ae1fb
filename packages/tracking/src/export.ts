// Export of runs, their params and full metric series as CSV (two tables) or one JSON document.
import { flattenParams } from './codec.js';
import { series } from './metrics.js';
import type { TrackingStore } from './store.js';

export type ExportFormat = 'csv' | 'json';

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : JSON.stringify(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csv(header: string[], rows: unknown[][]): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\n') + '\n';
}

export interface CsvExport {
  /** One row per run: identity, status, params (flattened), latest value of each metric. */
  runs: string;
  /** Long format: run_id, key, step, value, wall_ms. */
  metrics: string;
}

export function exportRunsCsv(store: TrackingStore, runIds: string[]): CsvExport {
  const runs = runIds.map((id) => store.getRun(id));
  const paramKeys = [...new Set(runs.flatMap((r) => flattenParams(r.params).map(([k]) => k)))].sort();
  const metricKeys = [...new Set(runs.flatMap((r) => store.metricKeys(r.id)))].sort();
  const runRows = runs.map((r) => {
    const params = new Map(flattenParams(r.params));
    const latest = new Map(store.metricSummaries(r.id).map((s) => [s.key, s.last]));
    return [r.id, r.name, r.sweepId, r.trial, r.variant, r.status, r.attempt, r.startedAt, r.endedAt, r.backend, r.error,
      ...paramKeys.map((k) => params.get(k)), ...metricKeys.map((k) => latest.get(k))];
  });
  const metricRows = runs.flatMap((r) => store.metricKeys(r.id).flatMap((key) =>
    series(store.db, r.id, key).map((p) => [r.id, key, p.step, p.value, p.wallMs])));
  return {
    runs: csv(['run_id', 'name', 'sweep_id', 'trial', 'variant', 'status', 'attempt', 'started_at', 'ended_at', 'backend', 'error',
      ...paramKeys.map((k) => `param.${k}`), ...metricKeys.map((k) => `metric.${k}`)], runRows),
    metrics: csv(['run_id', 'key', 'step', 'value', 'wall_ms'], metricRows),
  };
}

/** JSON keeps NaN and ±Infinity as the strings "NaN", "Infinity", "-Infinity". */
export function exportRunsJson(store: TrackingStore, runIds: string[]): string {
  const encode = (v: number) => (Number.isFinite(v) ? v : String(v));
  const runs = runIds.map((id) => {
    const run = store.getRun(id);
    const metrics = Object.fromEntries(store.metricKeys(id).map((key) =>
      [key, series(store.db, id, key).map((p) => [p.step, encode(p.value), p.wallMs])]));
    return { ...run, metrics };
  });
  return JSON.stringify({ format: 'vaelab-runs', version: 1, runs }, null, 2);
}
