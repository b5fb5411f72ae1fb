// The fused Bernoulli NLL kernels (wasm: SIMD rows and JS rows; cpu: JS) against the closed form
// in float64: values, both first-order gradients, the second-order gradient, extremes and NaN.
import { beforeAll, describe, expect, it } from 'vitest';
import { bernoulliNll, tf } from '@vaelab/core';
import { maxRelativeError } from '@vaelab/core/testing';
import { on, seededRandom, startBothBackends } from './kernel-check.js';

const { randomValues } = seededRandom(9012);

beforeAll(startBothBackends);

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/** Logits over [-30, 30] with some near 0, targets in [0, 1]. */
function inputs(shape: number[]) {
  const l = randomValues(shape).map((v, i) => (i % 5 === 0 ? v * 1e-3 : v * 30));
  const x = randomValues(shape).map((v) => (v + 1) / 2);
  return { l, x };
}

// [7, 784] and [4, 1, 8] take the SIMD rows on wasm, [3, 5, 6] (30 per row) and [2, 3] the JS rows.
const shapes = [[7, 784], [4, 1, 8], [3, 5, 6], [2, 3]];

describe.each(['wasm', 'cpu'])('fused Bernoulli NLL (%s)', (backend) => {
  it('matches the closed form per example, and its gradients for logits and targets', async () => {
    for (const shape of shapes) {
      const { l, x } = inputs(shape);
      const rows = shape[0];
      const cols = l.length / rows;
      const w = randomValues([rows]);
      const got = await on(backend, () => tf.tidy(() => {
        const [lt, xt, wt] = [tf.tensor(l, shape), tf.tensor(x, shape), tf.tensor(w)];
        const f = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(bernoulliNll(a, b), wt)) as tf.Scalar;
        const [dl, dx] = tf.grads(f)([lt, xt]);
        return { nll: bernoulliNll(lt, xt).dataSync().slice(), dl: dl.dataSync().slice(), dx: dx.dataSync().slice() };
      }));
      const nll = new Float32Array(rows);
      const dl = new Float32Array(l.length);
      const dx = new Float32Array(l.length);
      for (let i = 0; i < l.length; i++) {
        const r = Math.floor(i / cols);
        nll[r] += Math.max(l[i], 0) - l[i] * x[i] + Math.log1p(Math.exp(-Math.abs(l[i])));
        dl[i] = w[r] * (sigmoid(l[i]) - x[i]);
        dx[i] = -w[r] * l[i];
      }
      expect(maxRelativeError(got.nll, nll), `${shape} nll`).toBeLessThan(1e-5);
      expect(maxRelativeError(got.dl, dl), `${shape} d/dlogits`).toBeLessThan(1e-5);
      expect(maxRelativeError(got.dx, dx), `${shape} d/dx`).toBeLessThan(1e-5);
    }
  });

  it('has a second-order gradient: d/dl of Σ u·(dNLL/dl) is u·σ(l)(1 − σ(l))', async () => {
    const shape = [3, 16];
    const { l, x } = inputs(shape);
    const u = randomValues(shape);
    const got = await on(backend, () => tf.tidy(() => {
      const [xt, ut] = [tf.tensor(x, shape), tf.tensor(u, shape)];
      const first = tf.grad((a: tf.Tensor) => tf.sum(bernoulliNll(a, xt)) as tf.Scalar);
      return tf.grad((a: tf.Tensor) => tf.sum(tf.mul(first(a), ut)) as tf.Scalar)(tf.tensor(l, shape)).dataSync().slice();
    }));
    const want = Float32Array.from(l, (v, i) => u[i] * sigmoid(v) * (1 - sigmoid(v)));
    expect(maxRelativeError(got, want)).toBeLessThan(1e-4);
  });

  it('runs as one kernel each way', async () => {
    const { kernels } = await on(backend, () => tf.profile(() => tf.grad((a: tf.Tensor) => tf.sum(bernoulliNll(a, tf.onesLike(a))) as tf.Scalar)(tf.randomNormal([4, 8]))));
    const names = kernels.map((k) => k.name);
    expect(names).toEqual(expect.arrayContaining(['VaeLabBernoulliNll', 'VaeLabBernoulliNllGrad']));
    for (const composed of ['Log1p', 'Exp', 'Abs', 'Sigmoid']) expect(names).not.toContain(composed);
  });

  it('stays exact at extreme logits, and NaN stays NaN', async () => {
    const got = await on(backend, () => tf.tidy(() => bernoulliNll(tf.tensor([[100, -100, 0, 88], [Number.NaN, 1, 2, 3]]), tf.tensor([[0, 1, 0.5, 1], [0, 0, 0, 0]])).dataSync().slice()));
    expect(got[0]).toBeCloseTo(200 + Math.LN2, 3);
    expect(Number.isNaN(got[1])).toBe(true);
  });

  it('leaks no tensors through the forward pass and both gradients', async () => {
    await tf.setBackend(backend);
    const [l, x] = [tf.randomNormal([4, 12]), tf.randomUniform([4, 12])];
    const before = tf.memory().numTensors;
    tf.dispose(tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(bernoulliNll(a, b)) as tf.Scalar)([l, x]));
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([l, x]);
  });
});
