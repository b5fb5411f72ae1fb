import { beforeAll, describe, expect, it } from 'vitest';
import { createRng, tf, useBackend } from '@vaelab/core';
import { codeUsage, nearestCodeIndices, quantize } from '@vaelab/vq-vae';

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

