import { describe, expect, it } from 'vitest';
import { expandSweep } from '../src/config/expand.js';
import { parseSweepText } from '../src/config/load-sweep.js';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadSweepFile } from '../src/config/load-sweep.js';
import { loadDataset, loadTestSplit } from '../src/config/datasets.js';

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
      'experiments/x.yaml: paralel: unknown key; expected one of: name, description, variant, variants, dataset, base, train, method, count, metric, parameters, seeds, parallel, max_retries, heartbeat_timeout, max_trials, budget, evaluation, backend, prior, seed'],
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
      'experiments/x.yaml: metric.name: unknown metric "test/mig" for vae; expected one of: loss, reconstruction, test/negativeElbo, test/reconstruction, test/kl, test/activeUnits, test/mse, test/iwNll, or an eval/* metric of the suite'],
    ['an unknown evaluation group', `variant: vae\n${head}evaluation: { metrics: [reconstruction, fid] }\n`,
      'experiments/x.yaml: evaluation.metrics.1: unknown metric group "fid"; expected one of reconstruction, likelihood, latent, samples, anomaly, probe, augmentation, interpolation'],
    ['a hold-out class outside 0–9', 'variant: vae\ndataset: { name: mnist, holdOutClasses: [10] }\nbudget: { epochs: 1 }\n',
      'experiments/x.yaml: dataset.holdOutClasses.0: MNIST classes are 0–9'],
    ['holding out every class', 'variant: vae\ndataset: { name: mnist, holdOutClasses: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] }\nbudget: { epochs: 1 }\n',
      'experiments/x.yaml: dataset.holdOutClasses: holding out all 10 digits leaves nothing to train on'],
    ['anomaly detection without a hold-out', `variant: vae\n${head}evaluation: { metrics: [anomaly] }\n`,
      'experiments/x.yaml: evaluation.metrics: anomaly needs classes held out of training (dataset.holdOutClasses, e.g. [9])'],
    ['a probe budget larger than the training set', 'variant: vae\ndataset: { name: mnist, trainSize: 500 }\nbudget: { epochs: 1 }\nevaluation: { metrics: [probe], probeLabels: [100, 1000] }\n',
      'experiments/x.yaml: evaluation.probeLabels: 1000 labelled images asked for, but the training set has 500'],
    ['a probe budget larger than what held-out classes leave', 'variant: vae\ndataset: { name: mnist, trainSize: 1000, holdOutClasses: [9] }\nbudget: { epochs: 1 }\nevaluation: { metrics: [probe], probeLabels: [1000] }\n',
      'experiments/x.yaml: evaluation.probeLabels: 1000 labelled images asked for, but the training set has 900 once the held-out classes leave it'],
    ['a prior on a variant without one', `variant: vae\n${head}prior: { epochs: 1 }\n`, 'experiments/x.yaml: prior: only the vq-vae variant fits a prior (variant is vae)'],
    ['a distribution in a grid', `variant: vae\n${head}parameters:\n  train.learningRate: { distribution: uniform, min: 0.1, max: 0.2 }\n`,
      'experiments/x.yaml: parameters.train.learningRate: a distribution needs method: random (grid search takes value or values)'],
    ['an arm error names the arm', `${head}variants:\n  - variant: vae\n  - variant: vq-vae\n    base: { numEmbeddings: 1 }\n`,
      'experiments/x.yaml: variants[1] (vq-vae): base.numEmbeddings: Too small: expected number to be >=2'],
  ])('%s', (_name, text, message) => {
    expect(error(text)).toBe(message);
  });

  it('counts the trials before building any, and refuses past max_trials with the count and the keys', () => {
    const big = `variant: vae\n${head}parameters:\n  latentDim: { values: [${Array.from({ length: 100 }, (_, i) => i + 1).join(', ')}] }\n` +
      `  freeBits: { values: [${Array.from({ length: 100 }, (_, i) => i / 10).join(', ')}] }\n  train.learningRate: { values: [${Array.from({ length: 1000 }, (_, i) => (i + 1) / 1e6).join(', ')}] }\n`;
    const started = performance.now();
    expect(error(big)).toBe('experiments/x.yaml: parameters: the sweep expands to 10,000,000 trials (parameters.latentDim: 100 × parameters.freeBits: 100 × ' +
      'parameters.train.learningRate: 1,000 × seeds: 1), more than max_trials (100,000); narrow the grid, or raise max_trials if you mean it');
    expect(performance.now() - started).toBeLessThan(5000); // refused from the count, not after materialising 10⁷ trials
    expect(error(`max_trials: 5\nseeds: 6\nvariant: vae\n${head}`)).toContain('the sweep expands to 6 trials (seeds: 6), more than max_trials (5)');
    expect(error(`${head}method: random\ncount: 70000\nseeds: 2\nvariants:\n  - variant: vae\n    parameters:\n      freeBits: { distribution: uniform, min: 0, max: 1 }\n`))
      .toContain('variants[0] (vae): parameters: the sweep expands to 140,000 trials (count: 70,000 × seeds: 2)');
  });

  it('an alias bomb, an oversized file and datasets larger than exist are errors that name the file', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`)].join('\n');
    expect(error(bomb)).toMatch(/^experiments\/x\.yaml: invalid YAML: .*alias/i);
    expect(error(`variant: vae\n${head}description: "${'x'.repeat(1_100_000)}"\n`)).toBe('experiments/x.yaml: the file is 1.0 MiB; a sweep file is expected to be under 1 MiB');
    expect(error('variant: vae\ndataset: { name: mnist, trainSize: 70000 }\nbudget: { epochs: 1 }\n'))
      .toBe("experiments/x.yaml: dataset.trainSize: 70,000 is more than MNIST's 60,000 training images");
    expect(error('variant: vae\ndataset: { name: mnist, testSize: 10001 }\nbudget: { epochs: 1 }\n'))
      .toBe("experiments/x.yaml: dataset.testSize: 10,001 is more than MNIST's 10,000 test images");
  });

  it('stores each trial resolved: variant, full model and train configs, dataset and backend', () => {
    const plan = parseSweepText(`variant: beta-vae\n${head}train: { batchSize: 32 }\nparameters:\n  objective.beta: { values: [1, 8] }\nbackend: wasm\n`, 'x.yaml');
    expect(plan.trials.map((t) => t.params)).toEqual([{ 'objective.beta': 1, seed: 0 }, { 'objective.beta': 8, seed: 0 }]);
    expect(plan.trials[1].config).toMatchObject({
      variant: 'beta-vae', seed: 0, backend: 'wasm', dataset: { name: 'mnist' },
      model: { objective: { kind: 'beta', beta: 8 }, latentDim: 20, inputShape: [28, 28, 1], seed: 0 },
      train: { epochs: 1, steps: null, batchSize: 32, learningRate: 0.001, seed: 0 },
    });
    const steps = parseSweepText(`variant: vae\ndataset: { name: mnist }\nbudget: { steps: 20 }\n`, 'x.yaml').trials[0].config.train;
    expect([steps.steps, steps.epochs > 1000]).toEqual([20, true]);
  });

  it('a missing file names the file', () => {
    expect(() => loadSweepFile('experiments/nope.yaml')).toThrow('experiments/nope.yaml: cannot read the sweep file (ENOENT)');
  });

  it('every shipped experiments/*.yaml is valid', () => {
    const dir = join(import.meta.dirname, '../../../experiments');
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
    expect(files.sort()).toEqual(['beta-sweep.yaml', 'compare-variants.yaml', 'cvae-mnist.yaml', 'cvae-vs-vae.yaml', 'quickstart.yaml', 'tabular-anomaly.yaml', 'vae-mnist.yaml', 'vq-codebook-sweep.yaml', 'vq-compare.yaml']);
    const counts = Object.fromEntries(files.map((f) => [f, loadSweepFile(join(dir, f)).trials.length]));
    expect(counts).toEqual({ 'beta-sweep.yaml': 12, 'compare-variants.yaml': 12, 'cvae-mnist.yaml': 1, 'cvae-vs-vae.yaml': 4, 'quickstart.yaml': 4, 'tabular-anomaly.yaml': 3, 'vae-mnist.yaml': 1, 'vq-codebook-sweep.yaml': 9, 'vq-compare.yaml': 12 });
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

describe('loadTestSplit', () => {
  it('gives the test split loadDataset gives, without the train split (MNIST with a held-out class, shapes)', () => {
    const specs = [
      { name: 'mnist', trainSize: 10, testSize: 300, holdOutClasses: [3] },
      { name: 'shapes', size: 16, trainSize: 5, testSize: 40, seed: 4 },
    ] as const;
    for (const spec of specs) {
      const whole = loadDataset(spec as never).test;
      const alone = loadTestSplit(spec as never);
      expect(alone.count, spec.name).toBe(whole.count);
      expect(Array.from(alone.labels)).toEqual(Array.from(whole.labels));
      expect(alone.images).toEqual(whole.images);
    }
    expect(loadTestSplit(specs[0] as never).labels).not.toContain(3);
  });
});
