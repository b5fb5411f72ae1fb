// The table printed after a sweep and by `vaelab ls <sweep>`: one row per trial with the
// settings that tell it apart, status, headline and sweep metrics, and duration; then what did
// not finish, and why.
import type { RunWithMetrics, StatusCounts, StoreReader, SweepRecord } from '@vaelab/tracking';
import type { VariantName } from '../config/sweep-schema.js';
import { variantRunners } from '../variants/registry.js';
import { shownParams } from './shown-params.js';
import { formatDuration, formatNumber, formatTable } from './table.js';

export function trialsTable(sweep: SweepRecord, runs: RunWithMetrics[]): string {
  const headlines = [...new Set(runs.map((r) => variantRunners[r.variant as VariantName]?.headlineMetric).filter(Boolean))] as string[];
  const metricKeys = [...new Set([...headlines, ...(sweep.metricName ? [sweep.metricName] : [])])];
  const params = shownParams(runs);
  const rows = runs.map((r, i) => [
    r.name, r.variant ?? '-', r.status, params[i].join(' '),
    ...metricKeys.map((k) => formatNumber(r.metrics[k]?.last)),
    formatDuration(r.startedAt != null && r.endedAt != null ? r.endedAt - r.startedAt : null),
  ]);
  const table = formatTable(['run', 'variant', 'status', 'params', ...metricKeys, 'duration'], rows);
  const unfinished = runs.filter((r) => r.status !== 'finished' && r.error).map((r) => `  ${r.name} (${r.status}): ${r.error}`);
  return [table, ...(unfinished.length > 0 ? ['not finished:', ...unfinished] : [])].join('\n');
}

export async function sweepSummary(store: StoreReader, sweep: SweepRecord): Promise<string> {
  return trialsTable(sweep, await store.sweepTrials(sweep.id));
}

/** "5 finished, 0 failed, 1 crashed": every state a trial can end in that has any. */
export function countsLine(counts: StatusCounts): string {
  const parts = [`${counts.finished} finished`, `${counts.failed} failed`];
  for (const s of ['crashed', 'killed', 'pruned', 'running', 'pending'] as const) if (counts[s] > 0) parts.push(`${counts[s]} ${s}`);
  return parts.join(', ');
}
