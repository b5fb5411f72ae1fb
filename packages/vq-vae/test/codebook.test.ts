import { beforeAll, describe, expect, it } from 'vitest';
import { tf, useBackend } from '@vaelab/core';
import { expectNoLeak } from '@vaelab/core/testing';
import { codeUsage, deadCodeMask, EmaCodebook, kMeans, markUsed, nearestCodeIndices, restartDeadCodes } from '@vaelab/vq-vae';

beforeAll(async () => {
  await useBackend('wasm');
});

const rows = (t: tf.Tensor) => (t.arraySync() as number[][]).map((r) => r.map((v) => Number(v.toFixed(5))));

describe('EMA codebook', () => {
  it('matches a hand-computed update with Laplace smoothing, from N_k = 1, m_k = e_k', () => {
    const codebook = tf.variable(tf.tensor2d([[0, 0], [10, 10], [5, -5]]), false);
    const ema = EmaCodebook.standalone(codebook, 0.9, 1e-5);
    ema.update(tf.tensor2d([[1, 2], [3, 4], [9, 9]]), tf.tensor1d([0, 0, 1], 'int32'));
    // N = 0.9·1 + 0.1·[2, 1, 0]; m = 0.9·E0 + 0.1·[[4, 6], [9, 9], [0, 0]]
    const N = [1.1, 1.0, 0.9];
    const m = [[0.4, 0.6], [9.9, 9.9], [4.5, -4.5]];
    const n = 3;
    const smoothed = N.map((v) => ((v + 1e-5) / (n + 3e-5)) * n);
    const want = m.map((row, k) => row.map((v) => v / smoothed[k]));
    const got = codebook.arraySync() as number[][];
    want.forEach((row, k) => row.forEach((v, c) => expect(Math.abs(got[k][c] - v) / Math.abs(v)).toBeLessThan(1e-5)));
    expect(rows(tf.expandDims(ema.state.clusterSize, 0))[0]).toEqual(N);
    // The unused code decays in both averages alike and stays where it was.
    expect(got[2][0]).toBeCloseTo(5, 3);
  });

  it('an update leaks no tensors', async () => {
    const codebook = tf.variable(tf.randomNormal([8, 4], 0, 1, 'float32', 1), false);
    const ema = EmaCodebook.standalone(codebook, 0.99, 1e-5);
    const flat = tf.randomNormal([32, 4], 0, 1, 'float32', 2) as tf.Tensor2D;
    const idx = nearestCodeIndices(flat, codebook as tf.Tensor2D);
    await expectNoLeak(() => ema.update(flat, idx), 'EMA update');
  });
});

describe('dead-code restart', () => {
  it('finds codes unused for afterSteps steps and moves them onto encoder outputs', () => {
    // Data sits near codes 0 and 1; codes 2 and 3 are never chosen.
    const codebook = tf.variable(tf.tensor2d([[0, 0], [1, 1], [50, 50], [-50, 50]]), false);
    const ema = EmaCodebook.standalone(codebook, 0.99, 1e-5);
    const lastUsed = tf.variable(tf.zeros([4]), false);
    const data = tf.tensor2d([[0.1, 0], [0.9, 1.1], [0, 0.2], [1.2, 0.8]]);
    for (let step = 1; step <= 3; step++) {
      markUsed(lastUsed, codeUsage(nearestCodeIndices(data, codebook as tf.Tensor2D), 4).counts, step);
    }
    expect(Array.from(deadCodeMask(lastUsed as tf.Tensor1D, 2, 3).dataSync())).toEqual([0, 0, 0, 0]);
    const mask = deadCodeMask(lastUsed as tf.Tensor1D, 3, 3);
    expect(Array.from(mask.dataSync())).toEqual([0, 0, 1, 1]);
    const restarted = restartDeadCodes(codebook, lastUsed, mask, data, 3, 7);
    ema.resetCodes(mask);
    expect(restarted.dataSync()[0]).toBe(2);
    const after = rows(codebook);
    expect(after.slice(0, 2)).toEqual([[0, 0], [1, 1]]);
    const dataRows = rows(data).map((r) => r.join());
    for (const row of after.slice(2)) expect(dataRows).toContain(row.join());
    expect(Array.from(ema.state.clusterSize.dataSync()).slice(2)).toEqual([1, 1]);
    expect(rows(ema.state.embedSum).slice(2)).toEqual(after.slice(2));
    expect(Array.from(lastUsed.dataSync())).toEqual([3, 3, 3, 3]);
    expect(Array.from(deadCodeMask(lastUsed as tf.Tensor1D, 4, 3).dataSync())).toEqual([0, 0, 0, 0]);
    const used = new Set(nearestCodeIndices(data, codebook as tf.Tensor2D).arraySync());
    expect(used.has(2) || used.has(3)).toBe(true);
  });
});

describe('k-means initialisation', () => {
  it('finds the centres of well-separated clusters', () => {
    const centres = [[0, 0], [10, 0], [0, 10]];
    const points: number[][] = [];
    for (let i = 0; i < 90; i++) {
      const c = centres[i % 3];
      points.push([c[0] + Math.sin(i) * 0.5, c[1] + Math.cos(i * 1.7) * 0.5]);
    }
    const x = tf.tensor2d(points);
    const found = kMeans(x, 3, 10, 4).arraySync() as number[][];
    const want = centres.map((_, k) => {
      const own = points.filter((__, i) => i % 3 === k);
      return [own.reduce((s, p) => s + p[0], 0) / own.length, own.reduce((s, p) => s + p[1], 0) / own.length];
    });
    for (const w of want) {
      const nearest = Math.min(...found.map((f) => Math.hypot(f[0] - w[0], f[1] - w[1])));
      expect(nearest).toBeLessThan(1e-4);
    }
  });
});
