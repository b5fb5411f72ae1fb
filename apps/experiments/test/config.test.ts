import { describe, expect, it } from 'vitest';
import { expandSweep } from '../src/config/expand.js';
import { parseSweepText } from '../src/config/load-sweep.js';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadSweepFile } from '../src/config/load-sweep.js';

const head = 'dataset: { name: mnist }\nbudget: { epochs: 1 }\n';
const error = (text: string) => {
  try {
    parseSweepText(text, 'experiments/x.yaml');
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
};

describe('sweep validation names the file, the key path and what was expected', () => {
  it.each([
    ['unknown variant', `variant: vqvae\n${head}`, 'experiments/x.yaml: variant: Invalid option: expected one of "vae"|"beta-vae"|"cvae"|"vq-vae"'],
    ['misspelled top-level key', `variant: vae\n${head}paralel: 2\n`,
      'experiments/x.yaml: paralel: unknown key; expected one of: name, description, variant, variants, dataset, base, train, method, count, metric, parameters, seeds, parallel, max_retries, budget, backend, prior, seed'],
    ['misspelled swept key', `variant: beta-vae\n${head}parameters:\n  objective.betta: { values: [1, 2] }\n`,
      'experiments/x.yaml: parameters.objective.betta: unknown key "betta" in the beta-vae config; expected one of: kind, beta'],
    ['misspelled base key', `variant: vae\n${head}base: { latentDims: 8 }\n`,
      'experiments/x.yaml: base.latentDims: unknown key; expected one of: inputShape, latentDim, architecture, likelihood, klSchedule, freeBits, seed'],
    ['wrong type', `variant: vae\n${head}base: { latentDim: eight }\n`, 'experiments/x.yaml: base.latentDim: Invalid input: expected number, received string'],
    ['empty grid', `variant: vae\n${head}parameters:\n  latentDim: { values: [] }\n`, 'experiments/x.yaml: parameters.latentDim.values: values must list at least one value'],
    ['negative beta', `variant: beta-vae\n${head}parameters:\n  objective.beta: { values: [1, -2] }\n`,
      'experiments/x.yaml: parameters.objective.beta (value -2): Too small: expected number to be >=0'],
    ['non-finite learning rate', `variant: vae\n${head}train: { learningRate: .inf }\n`, 'experiments/x.yaml: train.learningRate: Invalid input: expected number, received Infinity'],
    ['missing dataset', 'variant: vae\nbudget: { epochs: 1 }\n', 'experiments/x.yaml: dataset: missing (expected e.g. { name: mnist })'],
    ['unknown metric', `variant: vae\n${head}metric: { name: test/mig, goal: maximize }\n`,
      'experiments/x.yaml: metric.name: unknown metric "test/mig" for vae; expected one of: loss, reconstruction, test/negativeElbo, test/reconstruction, test/kl, test/activeUnits'],
    ['a prior on a variant without one', `variant: vae\n${head}prior: { epochs: 1 }\n`, 'experiments/x.yaml: prior: only the vq-vae variant fits a prior (variant is vae)'],
    ['a distribution in a grid', `variant: vae\n${head}parameters:\n  train.learningRate: { distribution: uniform, min: 0.1, max: 0.2 }\n`,
      'experiments/x.yaml: parameters.train.learningRate: a distribution needs method: random (grid search takes value or values)'],
    ['an arm error names the arm', `${head}variants:\n  - variant: vae\n  - variant: vq-vae\n    base: { numEmbeddings: 1 }\n`,
      'experiments/x.yaml: variants[1] (vq-vae): base.numEmbeddings: Too small: expected number to be >=2'],
  ])('%s', (_name, text, message) => {
    expect(error(text)).toBe(message);
  });

  it('a missing file names the file', () => {
    expect(() => loadSweepFile('experiments/nope.yaml')).toThrow('experiments/nope.yaml: cannot read the sweep file (ENOENT)');
  });

  it('every shipped experiments/*.yaml is valid', () => {
    const dir = join(import.meta.dirname, '../../../experiments');
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
    expect(files.sort()).toEqual(['beta-sweep.yaml', 'cvae-vs-vae.yaml', 'quickstart.yaml', 'vq-codebook-sweep.yaml']);
    const counts = Object.fromEntries(files.map((f) => [f, loadSweepFile(join(dir, f)).trials.length]));
    expect(counts).toEqual({ 'beta-sweep.yaml': 12, 'cvae-vs-vae.yaml': 4, 'quickstart.yaml': 4, 'vq-codebook-sweep.yaml': 9 });
  });
});

describe('expansion', () => {
  it('grid: the Cartesian product in file order, each point once per seed', () => {
    const points = expandSweep({
      method: 'grid', seeds: 2, seed: 0,
      parameters: { a: { values: [1, 2] }, 'b.c': { values: ['x', 'y', 'z'] }, d: { value: true } },
    });
    expect(points).toHaveLength(12);
    expect(points.slice(0, 3)).toEqual([{ a: 1, 'b.c': 'x', d: true, seed: 0 }, { a: 1, 'b.c': 'x', d: true, seed: 1 }, { a: 1, 'b.c': 'y', d: true, seed: 0 }]);
    expect(new Set(points.map((p) => JSON.stringify(p))).size).toBe(12);
  });

  it('random: seeded and deterministic, within the distributions', () => {
    const config = {
      method: 'random' as const, count: 50, seeds: [7], seed: 3,
      parameters: {
        lr: { distribution: 'log_uniform' as const, min: 1e-4, max: 1e-2 },
        beta: { distribution: 'uniform' as const, min: 0, max: 4 },
        units: { distribution: 'int_uniform' as const, min: 2, max: 5 },
        kind: { values: ['a', 'b'] },
      },
    };
    const a = expandSweep(config);
    expect(expandSweep(config)).toEqual(a);
    expect(expandSweep({ ...config, seed: 4 })).not.toEqual(a);
    for (const p of a) {
      expect(p.lr as number).toBeGreaterThanOrEqual(1e-4);
      expect(p.lr as number).toBeLessThan(1e-2);
      expect(p.beta as number).toBeLessThan(4);
      expect([2, 3, 4, 5]).toContain(p.units);
      expect(p.seed).toBe(7);
    }
    expect(new Set(a.map((p) => p.units)).size).toBe(4);
    // log-uniform: about half the draws below the geometric midpoint 1e-3
    const below = a.filter((p) => (p.lr as number) < 1e-3).length;
    expect(below).toBeGreaterThan(15);
    expect(below).toBeLessThan(35);
  });
});
