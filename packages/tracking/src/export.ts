// Export of runs, their params and full metric series as CSV (two tables) or one JSON document.
import { flattenParams } from './codec.js';
import type { StoreReader } from './store.js';

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
  /** Long format: run_id, key, step, value, wall_ms, attempt. */
  metrics: string;
}

export async function exportRunsCsv(store: StoreReader, runIds: string[]): Promise<CsvExport> {
  const runs = await Promise.all(runIds.map((id) => store.getRun(id)));
  const summaries = await Promise.all(runs.map((r) => store.metricSummaries(r.id)));
  const paramKeys = [...new Set(runs.flatMap((r) => flattenParams(r.params).map(([k]) => k)))].sort();
  const metricKeys = [...new Set(summaries.flatMap((s) => s.map((m) => m.key)))].sort();
  const runRows = runs.map((r, i) => {
    const params = new Map(flattenParams(r.params));
    const latest = new Map(summaries[i].map((s) => [s.key, s.last]));
    return [r.id, r.name, r.sweepId, r.trial, r.variant, r.status, r.attempt, r.startedAt, r.endedAt, r.backend, r.error,
      ...paramKeys.map((k) => params.get(k)), ...metricKeys.map((k) => latest.get(k))];
  });
  const metricRows: unknown[][] = [];
  for (const [i, r] of runs.entries()) {
    for (const { key } of summaries[i]) {
      for (const p of await store.metricSeries(r.id, key)) metricRows.push([r.id, key, p.step, p.value, p.wallMs, p.attempt]);
    }
  }
  return {
    runs: csv(['run_id', 'name', 'sweep_id', 'trial', 'variant', 'status', 'attempt', 'started_at', 'ended_at', 'backend', 'error',
      ...paramKeys.map((k) => `param.${k}`), ...metricKeys.map((k) => `metric.${k}`)], runRows),
    metrics: csv(['run_id', 'key', 'step', 'value', 'wall_ms', 'attempt'], metricRows),
  };
}

/** JSON keeps NaN and ±Infinity as the strings "NaN", "Infinity", "-Infinity". */
export async function exportRunsJson(store: StoreReader, runIds: string[]): Promise<string> {
  const encode = (v: number) => (Number.isFinite(v) ? v : String(v));
  const runs = [];
  for (const id of runIds) {
    const run = await store.getRun(id);
    const metrics: Record<string, unknown[]> = {};
    for (const key of await store.metricKeys(id)) metrics[key] = (await store.metricSeries(id, key)).map((p) => [p.step, encode(p.value), p.wallMs]);
    runs.push({ ...run, metrics });
  }
  return JSON.stringify({ format: 'vaelab-runs', version: 1, runs }, null, 2);
}
