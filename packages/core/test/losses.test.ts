import { beforeAll, describe, expect, it } from 'vitest';
import { bernoulliNll, gaussianNll, klPerDimension, klStandardNormal, squaredError, tf, useBackend, vaeLoss } from '@vaelab/core';
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
