import { beforeAll, describe, expect, it } from 'vitest';
import { createRng, expectNoLeak, tf, useBackend } from '@vaelab/core';
import { codeUsage, DeadCodeTracker, EmaCodebook, nearestCodeIndices, quantize } from '@vaelab/vq-vae';

const rng = createRng(42);
const rand = (n: number) => Array.from({ length: n }, () => rng() * 4 - 2);

beforeAll(async () => {
  await useBackend('wasm');
});

describe('quantiser', () => {
  it('picks the same nearest code as a brute-force search in plain JS', () => {
    const [n, k, d] = [300, 16, 5];
    const x = rand(n * d);
    const e = rand(k * d);
    const got = nearestCodeIndices(tf.tensor2d(x, [n, d]), tf.tensor2d(e, [k, d])).arraySync();
    const want = Array.from({ length: n }, (_, i) => {
      let best = 0;
      let bestDist = Infinity;
      for (let j = 0; j < k; j++) {
        let dist = 0;
        for (let c = 0; c < d; c++) dist += (x[i * d + c] - e[j * d + c]) ** 2;
        if (dist < bestDist) [best, bestDist] = [j, dist];
      }
      return best;
    });
    expect(got).toEqual(want);
  });

  it('returns codebook vectors forward and passes the decoder gradient to z_e unchanged', () => {
    const ze = tf.tensor4d(rand(2 * 3 * 3 * 4), [2, 3, 3, 4]);
    const codebook = tf.tensor2d(rand(8 * 4), [8, 4]);
    const out = quantize(ze, codebook);
    const idx = out.indices.arraySync();
    const q = out.quantized.arraySync() as number[][][][];
    const cb = codebook.arraySync();
    expect(q[1][2][0]).toEqual(cb[idx[9 + 2 * 3 + 0]].map((v) => Math.fround(v)));
    const upstream = tf.tensor4d(rand(2 * 3 * 3 * 4), [2, 3, 3, 4]);
    const grad = tf.grad((z: tf.Tensor) => tf.sum(tf.mul(quantize(z, codebook).quantized, upstream)))(ze);
    expect(grad.arraySync()).toEqual(upstream.arraySync());
  });

  it('the codebook loss moves only codes and the commitment loss moves only z_e', () => {
    const ze = tf.tensor2d(rand(6 * 3), [6, 3]);
    const codebook = tf.tensor2d(rand(4 * 3), [4, 3]);
    const [dzCb, deCb] = tf.grads((z: tf.Tensor, e: tf.Tensor) => quantize(z, e as tf.Tensor2D).codebookLoss)([ze, codebook]);
    const [dzCm, deCm] = tf.grads((z: tf.Tensor, e: tf.Tensor) => quantize(z, e as tf.Tensor2D).commitmentLoss)([ze, codebook]);
    const abs = (t: tf.Tensor) => Math.max(...Array.from(t.dataSync(), Math.abs));
    expect(abs(dzCb)).toBe(0);
    expect(abs(deCb)).toBeGreaterThan(0);
    expect(abs(deCm)).toBe(0);
    // d/dz mean((z − e)²) = 2(z − e)/(N·D)
    const idx = nearestCodeIndices(ze, codebook);
    const want = tf.div(tf.mul(2, tf.sub(ze, tf.gather(codebook, idx))), 18).dataSync();
    Array.from(dzCm.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(want[i], 6));
  });

  it('rejects a channel count that differs from embeddingDim', () => {
    expect(() => quantize(tf.zeros([2, 5]), tf.zeros([4, 3]) as tf.Tensor2D)).toThrow('encoder output has 5 channels, the codebook has embeddingDim 3');
  });

  it('perplexity is K for uniform usage and 1 for a single code', () => {
    const uniform = codeUsage(tf.tensor1d([0, 1, 2, 3, 0, 1, 2, 3], 'int32'), 4);
    expect(uniform.perplexity.dataSync()[0]).toBeCloseTo(4, 4);
    expect(uniform.usedFraction.dataSync()[0]).toBe(1);
    const single = codeUsage(tf.tensor1d([2, 2, 2], 'int32'), 8);
    expect(single.perplexity.dataSync()[0]).toBeCloseTo(1, 4);
    expect(single.usedFraction.dataSync()[0]).toBe(1 / 8);
  });
});

describe('EMA codebook', () => {
  it('matches a hand-computed update with Laplace smoothing', () => {
    const codebook = tf.variable(tf.tensor2d([[0, 0], [10, 10], [5, -5]]), false);
    const ema = new EmaCodebook(codebook, 0.9, 1e-5);
    const flat = tf.tensor2d([[1, 2], [3, 4], [9, 9]]);
    ema.update(flat, tf.tensor1d([0, 0, 1], 'int32'));
    // N = 0.1·[2, 1, 0]; m = 0.9·E0 + 0.1·[[4, 6], [9, 9], [0, 0]]
    const N = [0.2, 0.1, 0];
    const m = [[0.4, 0.6], [9.9, 9.9], [4.5, -4.5]];
    const n = 0.3;
    const smoothed = N.map((v) => ((v + 1e-5) / (n + 3e-5)) * n);
    const want = m.map((row, k) => row.map((v) => v / smoothed[k]));
    const got = codebook.arraySync() as number[][];
    want.forEach((row, k) => row.forEach((v, c) => expect(Math.abs(got[k][c] - v) / Math.abs(v)).toBeLessThan(1e-5)));
    expect((ema.clusterSize.arraySync() as number[]).map((v) => Number(v.toFixed(6)))).toEqual(N);
  });

  it('an update leaks no tensors', async () => {
    const codebook = tf.variable(tf.randomNormal([8, 4], 0, 1, 'float32', 1), false);
    const ema = new EmaCodebook(codebook, 0.99, 1e-5);
    const flat = tf.randomNormal([32, 4], 0, 1, 'float32', 2) as tf.Tensor2D;
    const idx = nearestCodeIndices(flat, codebook as tf.Tensor2D);
    await expectNoLeak(() => ema.update(flat, idx), 'EMA update');
  });
});

describe('dead-code restart', () => {
  it('finds codes unused for deadAfter steps and re-initialises them from encoder outputs', () => {
    // Data sits near codes 0 and 1; codes 2 and 3 are never chosen.
    const codebook = tf.variable(tf.tensor2d([[0, 0], [1, 1], [50, 50], [-50, 50]]), false);
    const ema = new EmaCodebook(codebook, 0.99, 1e-5);
    const tracker = new DeadCodeTracker(4, 3);
    const data = tf.tensor2d([[0.1, 0], [0.9, 1.1], [0, 0.2], [1.2, 0.8]]);
    for (let step = 1; step <= 3; step++) {
      const counts = codeUsage(nearestCodeIndices(data, codebook as tf.Tensor2D), 4).counts.arraySync();
      tracker.observe(counts, step);
    }
    expect(tracker.deadCodes(2)).toEqual([]); // unused at steps 1-2 only
    expect(tracker.deadCodes(3)).toEqual([2, 3]); // unused at steps 1-3
    const replacements = tf.tensor2d([[0.1, 0], [1.2, 0.8]]);
    ema.restart([2, 3], replacements);
    tracker.revive([2, 3], 4);
    const rows = codebook.arraySync() as number[][];
    expect(rows.slice(2).map((r) => r.map((v) => Number(v.toFixed(5))))).toEqual([[0.1, 0], [1.2, 0.8]]);
    expect(rows.slice(0, 2)).toEqual([[0, 0], [1, 1]]);
    expect((ema.clusterSize.arraySync() as number[]).slice(2)).toEqual([1, 1]);
    expect(tracker.deadCodes(5)).toEqual([]);
    const used = new Set(nearestCodeIndices(data, codebook as tf.Tensor2D).arraySync());
    expect(used.has(2) || used.has(3)).toBe(true);
  });
});
