// The sweep page's data: progress counts, each trial's params and sweep metric, the best trials,
// mean ± std of the metric over seeds for every point of the sweep (all trials, however many), and
// which parameters decide the metric.
import type { RunWithMetrics, StoreReader } from '@vaelab/tracking';
import { groupBySeed, meanStd, withoutSeed } from '../../web/lib/seed-groups.js';
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

export async function sweepView(store: StoreReader, idOrName: string) {
  const sweep = await store.getSweep(idOrName);
  const runs = await store.sweepTrials(sweep.id);
  const metric = sweep.metricName;
  const value = (r: RunWithMetrics) => (metric ? r.metrics[metric]?.last : undefined);
  const scored = runs.filter((r) => r.status === 'finished' && Number.isFinite(value(r)));
  const sign = sweep.metricGoal === 'maximize' ? -1 : 1;
  const best = [...scored].sort((a, b) => sign * (value(a)! - value(b)!)).slice(0, 5);
  const aggregates: SeedAggregate[] = groupBySeed(scored).map((group) => {
    const values = group.runs.map((r) => value(r)!);
    return { params: withoutSeed(group.runs[0].params), ...meanStd(values)!, values, runIds: group.runs.map((r) => r.id) };
  }).sort((a, b) => sign * (a.mean - b.mean));
  const trials = runs.map((r) => ({ id: r.id, name: r.name, status: r.status, variant: r.variant, params: r.params, value: value(r) ?? null, error: r.error }));
  const importance = cachedImportance(sweep.id, scored.map((r) => ({ params: r.params, value: value(r)! })));
  return { sweep, counts: await store.sweepCounts(sweep.id), trials, best: best.map((r) => r.id), aggregates, importance };
}
