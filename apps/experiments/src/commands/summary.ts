// The table printed after a sweep and by `vaelab ls <sweep>`: one row per trial with the
// settings that tell it apart, status, headline and sweep metrics, and duration; then what did
// not finish, and why.
import type { RunWithMetrics, StatusCounts, StoreReader, SweepRecord } from '@vaelab/tracking';
import { variantOf } from '../variants/registry.js';
import { shownParams } from './shown-params.js';
import { formatDuration, formatNumber, formatTable } from './table.js';

/** Runs best first by the sweep's metric (unscored last), with their rank; trial order without a metric. */
function ranked(sweep: SweepRecord, runs: RunWithMetrics[]): { run: RunWithMetrics; rank: string }[] {
  const metric = sweep.metricName;
  if (metric == null) return runs.map((run) => ({ run, rank: '' }));
  const sign = sweep.metricGoal === 'maximize' ? -1 : 1;
  const score = (r: RunWithMetrics) => (r.status === 'finished' && Number.isFinite(r.metrics[metric]?.last) ? r.metrics[metric].last : null);
  const order = [...runs].sort((a, b) => {
    const [x, y] = [score(a), score(b)];
    return x == null || y == null ? (x == null ? 1 : 0) - (y == null ? 1 : 0) : sign * (x - y);
  });
  return order.map((run, i) => ({ run, rank: score(run) == null ? '-' : String(i + 1) }));
}

export function trialsTable(sweep: SweepRecord, runs: RunWithMetrics[]): string {
  const headlines = [...new Set(runs.flatMap((r) => variantOf(r.variant)?.headlineMetric ?? []))];
  const metricKeys = [...new Set([...(sweep.metricName ? [sweep.metricName] : []), ...headlines])];
  const rows = ranked(sweep, runs);
  const params = shownParams(rows.map((r) => r.run));
  const table = formatTable(['#', 'run', 'variant', 'status', 'params', ...metricKeys, 'duration'], rows.map(({ run: r, rank }, i) => [
    rank, r.name, r.variant ?? '-', r.status, params[i].join(' '),
    ...metricKeys.map((k) => formatNumber(r.metrics[k]?.last)),
    formatDuration(r.startedAt != null && r.endedAt != null ? r.endedAt - r.startedAt : null),
  ]));
  const by = sweep.metricName ? [`ranked by ${sweep.metricName} (${sweep.metricGoal === 'maximize' ? 'higher' : 'lower'} is better)`] : [];
  const unfinished = runs.filter((r) => r.status !== 'finished' && r.error).map((r) => `  ${r.name} (${r.status}): ${r.error}`);
  return [...by, table, ...(unfinished.length > 0 ? ['not finished:', ...unfinished] : [])].join('\n');
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
