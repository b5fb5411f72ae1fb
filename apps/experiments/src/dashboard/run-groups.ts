// The runs table grouped by seed: every run the filters match, grouped (see seed-groups.js),
// with mean ± std and n of each metric, then sorted and paged like runs.
import type { RunQuery, RunStatus, RunWithMetrics, StoreReader } from '@vaelab/tracking';
import { groupBySeed, meanStd, withoutSeed } from '../../web/lib/seed-groups.js';
import { BadRequest } from './query-params.js';

/** Grouping reads every matching run; past this the filters must narrow it down. */
export const MAX_GROUPED_RUNS = 20_000;
const PAGE = 1000;

export interface RunGroup {
  key: string;
  variant: string | null;
  params: Record<string, unknown>;
  n: number;
  runIds: string[];
  names: string[];
  statuses: Partial<Record<RunStatus, number>>;
  metrics: Record<string, { mean: number; std: number; n: number }>;
}

function describe(key: string, runs: RunWithMetrics[]): RunGroup {
  const statuses: Partial<Record<RunStatus, number>> = {};
  for (const r of runs) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r.metrics)))];
  const metrics: RunGroup['metrics'] = {};
  for (const k of keys) {
    const stats = meanStd(runs.map((r) => r.metrics[k]?.last));
    if (stats) metrics[k] = stats;
  }
  return { key, variant: runs[0].variant ?? null, params: withoutSeed(runs[0].params), n: runs.length, runIds: runs.map((r) => r.id), names: runs.map((r) => r.name), statuses, metrics };
}

export async function runGroups(store: StoreReader, query: RunQuery): Promise<{ total: number; runs: number; groups: RunGroup[] }> {
  const { limit = 50, offset = 0, sortBy, direction = 'desc' } = query;
  // Runs come in the table's order, so groups sorted by created or name keep it.
  const all: RunWithMetrics[] = [];
  const seen = new Set<string>();
  for (let at = 0; ; at += PAGE) {
    const page = await store.queryRuns({ ...query, sortBy: sortBy?.startsWith('metric:') ? 'created' : sortBy, limit: PAGE, offset: at });
    if (page.total > MAX_GROUPED_RUNS) throw new BadRequest(`group: ${page.total} runs match; grouping reads them all, so narrow the filters to at most ${MAX_GROUPED_RUNS}`);
    // A run created while paging shifts the pages by one: skip what was already read.
    for (const r of page.runs) if (!seen.has(r.id)) { seen.add(r.id); all.push(r); }
    if (page.runs.length < PAGE) break;
  }
  const groups = groupBySeed(all).map((g) => describe(g.key, g.runs));
  if (sortBy?.startsWith('metric:')) {
    const key = sortBy.slice('metric:'.length);
    const sign = direction === 'asc' ? 1 : -1;
    // Groups without the metric go last either way, as the runs table does.
    groups.sort((a, b) => (a.metrics[key] == null ? 1 : b.metrics[key] == null ? -1 : sign * (a.metrics[key].mean - b.metrics[key].mean)));
  }
  return { total: groups.length, runs: all.length, groups: groups.slice(offset, offset + limit) };
}
