// The sweep page's data: progress counts, each trial's params and sweep metric, the best trials,
// mean ± std of the metric over seeds for every point of the sweep (all trials, however many), and
// which parameters decide the metric.
import { MAX_GROUP_PAGE, type RunWithMetrics, type StoreReader } from '@vaelab/tracking';
import { type ImportanceResult, type ImportanceTrial, parameterImportance } from './param-importance.js';

export interface SeedAggregate {
  params: Record<string, unknown>;
  n: number;
  mean: number;
  std: number;
  values: number[];
  runIds: string[];
}

// A forest fit takes most of a second: the page polls every few seconds, so each sweep's last
// answer is kept until its finished trials change.
const importanceCache = new Map<string, { key: string; result: ImportanceResult }>();

function cachedImportance(sweepId: string, trials: ImportanceTrial[]): ImportanceResult {
  const key = `${trials.length}:${trials.reduce((s, t) => s + t.value, 0)}`;
  const hit = importanceCache.get(sweepId);
  if (hit?.key === key) return hit.result;
  const result = parameterImportance(trials);
  if (!importanceCache.has(sweepId) && importanceCache.size >= 64) importanceCache.delete(importanceCache.keys().next().value!);
  importanceCache.set(sweepId, { key, result });
  return result;
}

/** Every seed group of the sweep's finished trials with the metric, best mean first, aggregated by the store. */
async function seedAggregates(store: StoreReader, sweepId: string, metric: string, sign: number, scored: Map<string, number>): Promise<SeedAggregate[]> {
  const aggregates: SeedAggregate[] = [];
  const query = { sweepId, status: ['finished' as const], metrics: [{ key: metric }], metricKeys: [metric], sortBy: `metric:${metric}`, direction: sign > 0 ? 'asc' as const : 'desc' as const };
  for (let offset = 0; ; offset += MAX_GROUP_PAGE) {
    const { groups } = await store.seedGroups({ ...query, limit: MAX_GROUP_PAGE, offset });
    for (const g of groups) {
      const stats = g.metrics[metric];
      const runIds = g.runIds.filter((id) => scored.has(id));
      if (stats) aggregates.push({ params: g.params, n: stats.n, mean: stats.mean, std: stats.std, values: runIds.map((id) => scored.get(id)!), runIds });
    }
    if (groups.length < MAX_GROUP_PAGE) return aggregates;
  }
}

export async function sweepView(store: StoreReader, idOrName: string) {
  const sweep = await store.getSweep(idOrName);
  const runs = await store.sweepTrials(sweep.id);
  const metric = sweep.metricName;
  const value = (r: RunWithMetrics) => (metric ? r.metrics[metric]?.last : undefined);
  const scored = runs.filter((r) => r.status === 'finished' && Number.isFinite(value(r)));
  const sign = sweep.metricGoal === 'maximize' ? -1 : 1;
  const best = [...scored].sort((a, b) => sign * (value(a)! - value(b)!)).slice(0, 5);
  const aggregates = metric == null ? [] : await seedAggregates(store, sweep.id, metric, sign, new Map(scored.map((r) => [r.id, value(r)!])));
  const trials = runs.map((r) => ({ id: r.id, name: r.name, status: r.status, variant: r.variant, params: r.params, value: value(r) ?? null, error: r.error }));
  const importance = cachedImportance(sweep.id, scored.map((r) => ({ params: r.params, value: value(r)! })));
  return { sweep, counts: await store.sweepCounts(sweep.id), trials, best: best.map((r) => r.id), aggregates, importance };
}
