// The table printed after a sweep and by `vaelab ls <sweep>`: one row per trial with its swept
// params, status, headline and sweep metrics, and duration.
import { queryRuns, type RunWithMetrics, type SweepRecord, type TrackingStore } from '@vaelab/tracking';
import type { VariantName } from '../config/sweep-schema.js';
import { variantRunners } from '../variants/registry.js';
import { formatDuration, formatNumber, formatTable } from './table.js';

function paramText(run: RunWithMetrics): string {
  return Object.entries(run.params).map(([k, v]) => `${k}=${typeof v === 'number' ? formatNumber(v) : JSON.stringify(v)}`).join(' ');
}

export function sweepSummary(store: TrackingStore, sweep: SweepRecord): string {
  const { runs } = queryRuns(store.db, { sweepId: sweep.id, sortBy: 'name', direction: 'asc', limit: 1000 });
  const headlines = [...new Set(runs.map((r) => variantRunners[r.variant as VariantName]?.headlineMetric).filter(Boolean))] as string[];
  const metricKeys = [...new Set([...headlines, ...(sweep.metricName ? [sweep.metricName] : [])])];
  const rows = runs.map((r) => [
    r.name, r.variant ?? '-', r.status, paramText(r),
    ...metricKeys.map((k) => formatNumber(r.metrics[k]?.last)),
    formatDuration(r.startedAt != null && r.endedAt != null ? r.endedAt - r.startedAt : null),
  ]);
  const table = formatTable(['run', 'variant', 'status', 'params', ...metricKeys, 'duration'], rows);
  const failed = runs.filter((r) => r.status === 'failed').map((r) => `  ${r.name}: ${r.error}`);
  return [table, ...(failed.length > 0 ? ['failed trials:', ...failed] : [])].join('\n');
}
