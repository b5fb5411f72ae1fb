import { beforeAll, describe, expect, it } from 'vitest';
import { parseTrainConfig, tf, Trainer, useBackend } from '@vaelab/core';
import { expectNoLeak } from '@vaelab/core/testing';
import { AutoregressivePrior, codesDataset, createAutoregressivePrior, createVqVae, UnigramPrior } from '@vaelab/vq-vae';

beforeAll(async () => {
  await useBackend('wasm');
});

/** Grids whose first cell is uniform and each next cell is the previous one plus 1 (mod K). */
function patternCodes(count: number, cells: number, k: number, seed: number): Int32Array {
  const codes = new Int32Array(count * cells);
  let state = seed;
  for (let n = 0; n < count; n++) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const first = state % k;
    for (let i = 0; i < cells; i++) codes[n * cells + i] = (first + i) % k;
  }
  return codes;
}

describe('unigram prior', () => {
  it('draws codes with the empirical frequencies', () => {
    const prior = new UnigramPrior(Float64Array.from([0.7, 0.2, 0.1, 0]), [10, 10]);
    const drawn = prior.sampleCodes(100, 3).dataSync();
    const freq = [0, 1, 2, 3].map((c) => drawn.filter((v) => v === c).length / drawn.length);
    expect(freq[0]).toBeCloseTo(0.7, 1);
    expect(freq[1]).toBeCloseTo(0.2, 1);
    expect(freq[2]).toBeCloseTo(0.1, 1);
    expect(freq[3]).toBe(0);
    const fitted = UnigramPrior.fromCodes(Int32Array.from([0, 0, 1]), 3, [1, 3]);
    expect(Array.from(fitted.probabilities)).toEqual([3 / 6, 2 / 6, 1 / 6]); // add-one smoothing
  });
});

describe('autoregressive prior', () => {
  const config = { gridShape: [2, 3] as [number, number], numEmbeddings: 4, embeddingDim: 4, hiddenUnits: 16, seed: 1 };

  it('each cell depends only on the cells before it in raster order', () => {
    const prior = createAutoregressivePrior(config);
    const base = [[0, 1, 2, 3, 0, 1]];
    const logits = prior.logits(tf.tensor2d(base, [1, 6], 'int32')).arraySync()[0];
    for (let j = 0; j < 6; j++) {
      const changed = base[0].map((c, i) => (i >= j ? (c + 2) % 4 : c));
      const other = prior.logits(tf.tensor2d([changed], [1, 6], 'int32')).arraySync()[0];
      for (let i = 0; i <= j; i++) other[i].forEach((v, c) => expect(v).toBeCloseTo(logits[i][c], 5));
      if (j < 5) expect(Math.max(...other[5].map((v, c) => Math.abs(v - logits[5][c])))).toBeGreaterThan(1e-4);
    }
  });

  it('learns a sequential pattern the unigram prior cannot express, and samples it', async () => {
    const codes = patternCodes(512, 6, 4, 9);
    const prior = createAutoregressivePrior(config);
    const trainer = new Trainer(prior, parseTrainConfig({ epochs: 40, batchSize: 64, learningRate: 3e-3 }));
    await trainer.fit(codesDataset(codes, [2, 3]));
    const arNll = prior.nllPerCode(tf.tensor3d(codes, [512, 2, 3], 'int32')).dataSync()[0];
    const unigramNll = UnigramPrior.fromCodes(codes, 4, [2, 3]).nllPerCode(codes);
    // Only the first cell is random: log(4)/6 = 0.23 nats per cell at best; unigram ≈ log 4 = 1.39 (less for this generator's uneven first cell).
    expect(unigramNll).toBeGreaterThan(1.2);
    expect(arNll).toBeLessThan(0.35);
    const samples = prior.sampleCodes(200, 5).arraySync() as number[][][];
    const following = samples.filter((g) => g.flat().every((c, i, row) => i === 0 || c === (row[i - 1] + 1) % 4)).length;
    expect(following / 200).toBeGreaterThan(0.9);
    await expectNoLeak(() => prior.sampleCodes(3, 1), 'prior sampling');
  });

  it('a VQ-VAE samples images through an attached prior, and says so when it has none', async () => {
    const model = createVqVae({ filters: [8, 16], numEmbeddings: 16, embeddingDim: 4 });
    expect(() => model.sample(2, { seed: 0 })).toThrow('VQ-VAE cannot sample without a prior over codes');
    expect(() => model.attachPrior(new UnigramPrior(new Float64Array(16).fill(1 / 16), [4, 4]))).toThrow('prior is over 4x4 grids of 16 codes, the model has 7x7 grids of 16');
    const prior = new AutoregressivePrior({ ...config, gridShape: [7, 7], numEmbeddings: 16 });
    model.attachPrior(prior);
    const images = model.sample(3, { seed: 0 });
    expect(images.shape).toEqual([3, 28, 28, 1]);
    const values = images.dataSync();
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThanOrEqual(1);
    await expectNoLeak(() => model.sample(2, { seed: 1 }), 'vq-vae sample');
  });
});
