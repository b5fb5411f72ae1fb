// @ts-check
// Seed groups in the page: runs of one variant whose params are equal but for `seed` are repeats
// of one configuration (the store's seedGroups groups the same way in SQL for the runs table and
// the sweep page; compare groups the handful of runs it shows here, for curves with a band).

/**
 * The group a run belongs to: its variant and its params without seed, keys in sorted order.
 * @param {{ variant?: string | null, params: Record<string, unknown> }} run
 */
export function seedGroupKey(run) {
  const rest = Object.entries(run.params).filter(([k]) => k !== 'seed').sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([run.variant ?? null, rest]);
}

/**
 * Runs grouped by seedGroupKey, groups in the order their first run comes.
 * @template {{ variant?: string | null, params: Record<string, unknown> }} R
 * @param {R[]} runs
 * @returns {{ key: string, runs: R[] }[]}
 */
export function groupBySeed(runs) {
  /** @type {Map<string, R[]>} */
  const groups = new Map();
  for (const r of runs) {
    const key = seedGroupKey(r);
    const list = groups.get(key);
    if (list) list.push(r);
    else groups.set(key, [r]);
  }
  return [...groups].map(([key, members]) => ({ key, runs: members }));
}

/**
 * Mean and sample standard deviation (0 for one value) of the finite values; null when none are.
 * @param {unknown[]} values
 * @returns {{ mean: number, std: number, n: number } | null}
 */
export function meanStd(values) {
  const xs = /** @type {number[]} */ (values.filter((v) => typeof v === 'number' && Number.isFinite(v)));
  if (xs.length === 0) return null;
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const std = xs.length > 1 ? Math.sqrt(xs.reduce((a, v) => a + (v - mean) ** 2, 0) / (xs.length - 1)) : 0;
  return { mean, std, n: xs.length };
}
