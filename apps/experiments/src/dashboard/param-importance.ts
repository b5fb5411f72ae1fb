// Which swept parameters decide the sweep's metric: permutation importance (Breiman 2001, §10)
// of a random-forest regression of the metric on the parameters. Shuffle one parameter's column,
// and the forest's squared error rises by how much it relied on that parameter. Seeded, so the
// same sweep always ranks the same way.
import { createRng, deriveSeed, shuffledIndices } from '@vaelab/core';
import { RandomForestRegression } from 'ml-random-forest';

export interface ParamImportance {
  param: string;
  /** Share of the total error increase (the shares sum to 1). */
  importance: number;
}

export type ImportanceResult = { ranking: ParamImportance[]; trials: number; method: string } | { ranking: null; reason: string };

export interface ImportanceTrial {
  params: Record<string, unknown>;
  value: number;
}

const MIN_TRIALS = 5;
const MAX_TRIALS = 400;
const REPEATS = 5;
export const IMPORTANCE_METHOD = 'permutation importance of a random forest (30 trees) fitted to the metric';

/** `items` in the order of a seeded permutation (each call a new seed from `next`). */
function shuffle<T>(items: T[], next: () => number): T[] {
  return Array.from(shuffledIndices(items.length, deriveSeed(Math.floor(next() * 2 ** 32))), (i) => items[i]);
}

/** Numbers as they are; anything else as its rank among the distinct values (a forest splits on order only). */
function encodeColumn(values: unknown[]): number[] {
  if (values.every((v) => typeof v === 'number' && Number.isFinite(v))) return values as number[];
  const keys = values.map((v) => JSON.stringify(v));
  const order = [...new Set(keys)].sort();
  return keys.map((k) => order.indexOf(k));
}

const meanSquaredError = (predicted: number[], actual: number[]) => predicted.reduce((s, p, i) => s + (p - actual[i]) ** 2, 0) / actual.length;

export function parameterImportance(all: ImportanceTrial[], seed = 1): ImportanceResult {
  const next = createRng(seed);
  const trials = all.length > MAX_TRIALS ? shuffle(all, next).slice(0, MAX_TRIALS) : all;
  if (trials.length < MIN_TRIALS) return { ranking: null, reason: `needs ${MIN_TRIALS} finished trials with the metric, has ${trials.length}` };
  const keys = [...new Set(trials.flatMap((t) => Object.keys(t.params)))].filter((k) => k !== 'seed').sort();
  const columns = keys.map((k) => encodeColumn(trials.map((t) => t.params[k] ?? null)));
  const varying = keys.map((k, i) => ({ k, column: columns[i] })).filter(({ column }) => new Set(column).size > 1);
  if (varying.length === 0) return { ranking: null, reason: 'no parameter varies between the finished trials' };
  const rows = trials.map((_, r) => varying.map(({ column }) => column[r]));
  const y = trials.map((t) => t.value);
  const forest = new RandomForestRegression({
    nEstimators: 30, maxFeatures: 1.0, replacement: true, useSampleBagging: true, seed, noOOB: true, treeOptions: { minNumSamples: 2 },
  });
  forest.train(rows, y);
  const base = meanSquaredError(forest.predict(rows), y);
  const increases = varying.map((_, j) => {
    let total = 0;
    for (let rep = 0; rep < REPEATS; rep++) {
      const permuted = shuffle(rows.map((row) => row[j]), next);
      total += meanSquaredError(forest.predict(rows.map((row, r) => row.map((v, c) => (c === j ? permuted[r] : v)))), y) - base;
    }
    return Math.max(0, total / REPEATS);
  });
  const sum = increases.reduce((a, b) => a + b, 0);
  const ranking = varying
    .map(({ k }, j) => ({ param: k, importance: sum > 0 ? increases[j] / sum : 1 / varying.length }))
    .sort((a, b) => b.importance - a.importance || a.param.localeCompare(b.param));
  return { ranking, trials: trials.length, method: IMPORTANCE_METHOD };
}
