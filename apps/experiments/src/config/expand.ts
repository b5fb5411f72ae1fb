// Sweep expansion: the grid is the Cartesian product of every `values` list (in file order);
// random search draws `count` points from the distributions with a seeded generator. Each point
// is repeated once per seed.
import { createRng } from '@vaelab/core';
import type { ParameterSpec, SweepConfig } from './sweep-schema.js';

/** One trial's swept values by dotted path, plus its seed. */
export type TrialPoint = Record<string, unknown> & { seed: number };

function draw(spec: ParameterSpec, rng: () => number): unknown {
  if ('value' in spec) return spec.value;
  if ('values' in spec) return spec.values[Math.floor(rng() * spec.values.length)];
  const { distribution, min, max } = spec;
  if (distribution === 'uniform') return min + rng() * (max - min);
  if (distribution === 'int_uniform') return Math.floor(min + rng() * (Math.floor(max) - Math.ceil(min) + 1));
  return Math.exp(Math.log(min) + rng() * (Math.log(max) - Math.log(min)));
}

function gridPoints(parameters: Record<string, ParameterSpec>): Record<string, unknown>[] {
  let points: Record<string, unknown>[] = [{}];
  for (const [path, spec] of Object.entries(parameters)) {
    if ('distribution' in spec) throw new Error(`parameters.${path}: a distribution needs method: random (grid search takes value or values)`);
    const options = 'value' in spec ? [spec.value] : spec.values;
    points = points.flatMap((p) => options.map((v) => ({ ...p, [path]: v })));
  }
  return points;
}

function seedList(seeds: SweepConfig['seeds']): number[] {
  return typeof seeds === 'number' ? Array.from({ length: seeds }, (_, i) => i) : seeds;
}

/** How many trials expandSweep would make, with each factor (for messages), without making them. */
export function countTrials(config: Pick<SweepConfig, 'method' | 'parameters' | 'seeds' | 'count'>): { total: number; factors: [string, number][] } {
  const seeds = typeof config.seeds === 'number' ? config.seeds : config.seeds.length;
  const factors: [string, number][] = config.method === 'grid'
    ? Object.entries(config.parameters).map(([path, spec]) => [`parameters.${path}`, 'values' in spec ? spec.values.length : 1])
    : [['count', config.count ?? 0]];
  factors.push(['seeds', seeds]);
  return { total: factors.reduce((n, [, k]) => n * k, 1), factors };
}

export function expandSweep(config: Pick<SweepConfig, 'method' | 'parameters' | 'seeds' | 'count' | 'seed'>): TrialPoint[] {
  let points: Record<string, unknown>[];
  if (config.method === 'grid') {
    points = gridPoints(config.parameters);
  } else {
    if (config.count == null) throw new Error('count: method random needs count (how many points to draw)');
    const rng = createRng(config.seed);
    points = Array.from({ length: config.count }, () =>
      Object.fromEntries(Object.entries(config.parameters).map(([path, spec]) => [path, draw(spec, rng)])));
  }
  return points.flatMap((p) => seedList(config.seeds).map((seed) => ({ ...p, seed })));
}
