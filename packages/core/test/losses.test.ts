import { beforeAll, describe, expect, it } from 'vitest';
import { bernoulliNll, createVae, gaussianNll, klPerDimension, learnedGaussianNll, klStandardNormal, squaredError, tf, useBackend, vaeLoss } from '@vaelab/core';
import { maxRelativeError, numericGradient } from '@vaelab/core/testing';

beforeAll(async () => {
  await useBackend('cpu');
});

const logits = [[-2.5, 0.3, 4.0, -0.1], [1.2, -7.0, 0.0, 2.2]];
const targets = [[0, 0.2, 1, 0.5], [1, 0, 0.7, 0.9]];

function sigmoid(v: number): number {
  return 1 / (1 + Math.exp(-v));
}

describe('reconstruction losses', () => {
  it('Bernoulli NLL from logits equals -[x log p + (1-x) log(1-p)] summed per example', () => {
    const got = bernoulliNll(tf.tensor(logits), tf.tensor(targets)).arraySync();
    const want = logits.map((row, i) => row.reduce((s, l, j) => {
      const p = sigmoid(l);
      const x = targets[i][j];
      return s - (x * Math.log(p) + (1 - x) * Math.log(1 - p));
    }, 0));
    expect(got).toHaveLength(2);
    got.forEach((v, i) => expect(v).toBeCloseTo(want[i], 4));
  });

  it('Bernoulli NLL stays finite for extreme logits', () => {
    const got = bernoulliNll(tf.tensor([[100, -100]]), tf.tensor([[0, 1]])).arraySync();
    expect(got[0]).toBeCloseTo(200, 3);
  });

  it('Gaussian NLL matches the normal log-density and squared error matches the plain sum', () => {
    const mean = [[0.1, 0.5], [0.9, -0.3]];
    const x = [[0.0, 1.0], [1.0, 0.2]];
    const sigma = 0.7;
    const got = gaussianNll(tf.tensor(mean), tf.tensor(x), sigma).arraySync();
    const sse = squaredError(tf.tensor(mean), tf.tensor(x)).arraySync();
    mean.forEach((row, i) => {
      const want = row.reduce((s, m, j) => s + (x[i][j] - m) ** 2 / (2 * sigma ** 2) + Math.log(sigma) + 0.5 * Math.log(2 * Math.PI), 0);
      expect(got[i]).toBeCloseTo(want, 4);
      expect(sse[i]).toBeCloseTo(row.reduce((s, m, j) => s + (x[i][j] - m) ** 2, 0), 5);
    });
  });
});

describe('learned Gaussian likelihood', () => {
  it('equals the fixed-σ NLL at log σ, per feature', () => {
    const mean = tf.tensor([[[[0.1]], [[0.5]]], [[[0.9]], [[-0.3]]]]);
    const x = tf.tensor([[[[0.0]], [[1.0]]], [[[1.0]], [[0.2]]]]);
    const got = learnedGaussianNll(mean, x, tf.fill([2, 1, 1], Math.log(0.7))).arraySync();
    const want = gaussianNll(mean, x, 0.7).arraySync();
    got.forEach((v, i) => expect(v).toBeCloseTo(want[i], 5));
    const perFeature = learnedGaussianNll(mean, x, tf.tensor([[[Math.log(0.5)]], [[Math.log(2)]]])).arraySync();
    const byHand = (m: number, v: number, s: number) => (v - m) ** 2 / (2 * s * s) + Math.log(s) + 0.5 * Math.log(2 * Math.PI);
    expect(perFeature[0]).toBeCloseTo(byHand(0.1, 0, 0.5) + byHand(0.5, 1, 2), 5);
  });

  it('has the closed-form gradient in log σ, zero where σ² is the mean squared residual', () => {
    const mean = tf.tensor([[[[0]], [[0]]], [[[0]], [[0]]], [[[0]], [[0]]]]);
    const x = tf.tensor([[[[1]], [[0.1]]], [[[-2]], [[0.3]]], [[[0.5]], [[-0.2]]]]);
    const residual2 = [[1, 4, 0.25], [0.01, 0.09, 0.04]];
    const at = (s: number[]) => tf.grad((ls: tf.Tensor) => tf.sum(learnedGaussianNll(mean, x, ls)))(tf.tensor(s, [2, 1, 1])).arraySync() as number[][][];
    const s = [0.2, -1];
    const g = at(s).flat(2);
    // d/ds Σ_b [r²/(2e^{2s}) + s] = Σ_b (1 − r² e^{−2s})
    s.forEach((sj, j) => expect(g[j]).toBeCloseTo(residual2[j].reduce((acc, r2) => acc + 1 - r2 * Math.exp(-2 * sj), 0), 4));
    const optimum = residual2.map((r) => 0.5 * Math.log(r.reduce((a, b) => a + b, 0) / r.length));
    at(optimum).flat(2).forEach((v) => expect(Math.abs(v)).toBeLessThan(1e-4));
  });

  it('gives a VAE one trainable log σ per feature, starting at σ = 1', () => {
    const model = createVae({ inputShape: [1, 3, 1], latentDim: 1, architecture: { kind: 'mlp', hiddenUnits: [4] }, likelihood: { kind: 'gaussian-learned' } });
    const logSigma = model.params.entries().find(([name]) => name === 'likelihood/logSigma')![1];
    expect(logSigma.shape).toEqual([1, 3, 1]);
    expect(model.trainableVariables).toContain(logSigma);
    expect([...logSigma.dataSync()]).toEqual([0, 0, 0]);
    model.dispose();
  });
});

describe('KL to N(0, I)', () => {
  const mu = [[0.5, -1.0, 0.0], [2.0, 0.1, -0.3]];
  const logVar = [[0.0, -0.5, 1.2], [0.3, -2.0, 0.0]];
  const klOf = (m: number, lv: number) => 0.5 * (Math.exp(lv) + m * m - 1 - lv);

  it('per example equals ½Σ(σ² + μ² - 1 - log σ²)', () => {
    const got = klStandardNormal(tf.tensor2d(mu), tf.tensor2d(logVar)).arraySync();
    mu.forEach((row, i) => expect(got[i]).toBeCloseTo(row.reduce((s, m, j) => s + klOf(m, logVar[i][j]), 0), 5));
  });

  it('is zero exactly at the prior', () => {
    expect(klStandardNormal(tf.zeros([3, 4]) as tf.Tensor2D, tf.zeros([3, 4]) as tf.Tensor2D).arraySync()).toEqual([0, 0, 0]);
  });

  it('per dimension averages over the batch', () => {
    const got = klPerDimension(tf.tensor2d(mu), tf.tensor2d(logVar)).arraySync();
    [0, 1, 2].forEach((j) => expect(got[j]).toBeCloseTo((klOf(mu[0][j], logVar[0][j]) + klOf(mu[1][j], logVar[1][j])) / 2, 5));
  });

  it('has the analytic gradient: dKL/dμ = μ, dKL/dlogσ² = ½(σ² - 1)', () => {
    const m = tf.tensor2d(mu);
    const lv = tf.tensor2d(logVar);
    const [gMu, gLv] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(klStandardNormal(a as tf.Tensor2D, b as tf.Tensor2D)))([m, lv]);
    expect(maxRelativeError(gMu.dataSync(), mu.flat())).toBeLessThan(1e-5);
    expect(maxRelativeError(gLv.dataSync(), logVar.flat().map((v) => 0.5 * (Math.exp(v) - 1)))).toBeLessThan(1e-5);
  });
});

describe('VAE loss', () => {
  it('total is mean reconstruction plus β·mean KL', () => {
    const out = vaeLoss(tf.tensor1d([10, 20]), tf.tensor1d([1, 3]), 4);
    expect(out.total.dataSync()[0]).toBeCloseTo(15 + 4 * 2, 5);
    expect(out.parts.reconstruction.dataSync()[0]).toBeCloseTo(15, 5);
    expect(out.parts.kl.dataSync()[0]).toBeCloseTo(2, 5);
  });

  it('Bernoulli NLL gradient matches central differences', () => {
    const x = tf.tensor(targets);
    const f = (l: tf.Tensor) => tf.sum(bernoulliNll(l, x)) as tf.Scalar;
    const analytic = tf.grad(f)(tf.tensor(logits)).dataSync();
    const numeric = numericGradient(f, tf.tensor(logits), 1e-2);
    // d/dl = σ(l) - x
    const closed = logits.flat().map((l, i) => sigmoid(l) - targets.flat()[i]);
    expect(maxRelativeError(analytic, closed)).toBeLessThan(1e-5);
    expect(maxRelativeError(numeric, closed)).toBeLessThan(1e-3);
  });
});
