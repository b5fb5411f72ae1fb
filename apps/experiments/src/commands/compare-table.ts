// The comparison table of one or more sweeps: one row per arm (sweep, variant and swept values,
// seeds pooled), one column per eval/* (and VQ prior/*) metric, mean ± sample std over the arm's finished trials,
// and the best row per column where the metric has a direction. Shared by `vaelab compare` and
// the dashboard's /api/compare.
import type { RunWithMetrics, StoreReader } from '@vaelab/tracking';

export interface CompareCell {
  mean: number;
  std: number;
  n: number;
}

export interface CompareRow {
  arm: string;
  sweep: string;
  variant: string;
  seeds: number;
  metrics: Record<string, CompareCell>;
}

export interface CompareTable {
  columns: string[];
  rows: CompareRow[];
  /** Per column with a direction, the arm of the best mean. */
  best: Record<string, string>;
}

/** Whether lower or higher is better, by metric name; metrics with neither are not ranked. */
export function metricGoal(key: string): 'minimize' | 'maximize' | null {
  if (/\/pca$|Pixels$|Base$/.test(key)) return null; // baselines beside the models, not rivals of them
  if (/^eval\/(bernoulliNll|mse|negativeElbo|iwNll|fcd)$/.test(key) || /^prior\/\w+Nll$/.test(key)) return 'minimize';
  if (/^(loss|test\/(negativeElbo|reconstruction|mse|iwNll))$/.test(key)) return 'minimize';
  if (/^eval\/(auroc|auprc)\/|^eval\/probe\d+$|^eval\/augment\d+(Gain|With)$|^eval\/(labelAccuracy|sampleConfident|sampleEntropy)$/.test(key)) return 'maximize';
  if (/^test\/(mig|generatedAccuracy)$/.test(key)) return 'maximize';
  return null;
}

const ORDER = ['bernoulliNll', 'mse', 'negativeElbo', 'iwNll', 'fcd', 'sampleEntropy', 'sampleConfident', 'labelAccuracy', 'auroc', 'auprc', 'probe', 'augment', 'activeUnits', 'perplexity', 'usedFraction'];
const rank = (key: string) => {
  if (key.startsWith('prior/')) return ORDER.length + 1;
  const i = ORDER.findIndex((name) => key.slice('eval/'.length).startsWith(name));
  return i < 0 ? ORDER.length : i;
};

function armOf(sweep: string, run: RunWithMetrics): string {
  const swept = Object.entries(run.params).filter(([k]) => k !== 'seed' && k !== 'variant').map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return [sweep, run.variant ?? '?', ...swept].join(' ');
}

function cell(values: number[]): CompareCell {
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const std = n > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, std, n };
}

/** A column's name as printed: eval/ left off, prior/ kept. */
export const shortName = (key: string) => key.replace(/^eval\//, '');

/** The table with only the given columns (names with or without eval/), in that order; an unknown name is an error listing the known ones. */
export function selectColumns(table: CompareTable, wanted: string[]): CompareTable {
  const keys = wanted.map((m) => (/^(eval|prior)\//.test(m) ? m : `eval/${m}`));
  const unknown = keys.filter((k) => !table.columns.includes(k));
  if (unknown.length > 0) throw new Error(`--metrics: ${unknown.map(shortName).join(', ')} not measured in these sweeps; they have ${table.columns.map(shortName).join(', ')}`);
  return { columns: keys, rows: table.rows, best: Object.fromEntries(Object.entries(table.best).filter(([k]) => keys.includes(k))) };
}

export async function compareSweeps(store: StoreReader, names: string[]): Promise<CompareTable> {
  if (names.length === 0) throw new Error('compare needs at least one sweep name');
  const groups = new Map<string, { sweep: string; variant: string; runs: RunWithMetrics[] }>();
  for (const name of names) {
    const sweep = await store.getSweep(name);
    const finished = (await store.sweepTrials(sweep.id)).filter((r) => r.status === 'finished');
    if (finished.length === 0) throw new Error(`sweep "${sweep.name}" has no finished trials: nothing to compare (vaelab ls ${sweep.name} shows its state)`);
    for (const run of finished) {
      const arm = armOf(sweep.name, run);
      const group = groups.get(arm) ?? { sweep: sweep.name, variant: run.variant ?? '?', runs: [] };
      group.runs.push(run);
      groups.set(arm, group);
    }
  }
  const columns = [...new Set([...groups.values()].flatMap((g) => g.runs.flatMap((r) => Object.keys(r.metrics).filter((k) => k.startsWith('eval/') || k.startsWith('prior/')))))]
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const rows: CompareRow[] = [...groups.entries()].map(([arm, g]) => ({
    arm, sweep: g.sweep, variant: g.variant, seeds: g.runs.length,
    metrics: Object.fromEntries(columns.flatMap((key) => {
      const values = g.runs.map((r) => r.metrics[key]?.last).filter((v): v is number => v != null && Number.isFinite(v));
      return values.length > 0 ? [[key, cell(values)]] : [];
    })),
  }));
  const best: Record<string, string> = {};
  for (const key of columns) {
    const goal = metricGoal(key);
    const ranked = rows.filter((r) => r.metrics[key] != null);
    if (goal == null || ranked.length < 2 || ranked.every((r) => r.metrics[key].mean === ranked[0].metrics[key].mean)) continue;
    const sign = goal === 'minimize' ? 1 : -1;
    best[key] = ranked.reduce((a, b) => (sign * (b.metrics[key].mean - a.metrics[key].mean) < 0 ? b : a)).arm;
  }
  return { columns, rows, best };
}
