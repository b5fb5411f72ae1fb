// Every quantiser inside the VQ-VAE: WASM gradients match the stock CPU kernels, a training step
// leaks nothing and logs usage, a checkpoint resumes bit for bit, and both priors fit, score and
// sample the model's tokens (residual VQ: one token per stage, the stages of a cell side by side).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { disposeBatch, loadCheckpoint, loadMnist, makeBatch, parseTrainConfig, takeExamples, tf, Trainer, useBackend } from '@vaelab/core';
import { expectNoLeak, wasmVsStockCpuGradientErrors } from '@vaelab/core/testing';
import { codesDataset, createAutoregressivePrior, createVqVae, encodeDatasetCodes, UnigramPrior } from '@vaelab/vq-vae';

const mnist = takeExamples(loadMnist('test'), 64);
const small = { filters: [8, 16], numEmbeddings: 16, embeddingDim: 4, deadCodeSteps: 5 };

beforeAll(async () => {
  await useBackend('wasm');
});

const KINDS = [
  ['codebook + rotation', { quantizer: { kind: 'codebook', gradient: { kind: 'rotation' } } }, 1],
  ['codebook + rotation, loss-trained', { codebookUpdate: { kind: 'loss' }, quantizer: { kind: 'codebook', gradient: { kind: 'rotation' } } }, 1],
  ['fsq [4, 4]', { quantizer: { kind: 'fsq', levels: [4, 4] } }, 1],
  ['residual × 3', { quantizer: { kind: 'residual', stages: 3 } }, 3],
  ['residual × 2, shared, loss-trained, dropout', { codebookUpdate: { kind: 'loss' }, quantizer: { kind: 'residual', stages: 2, sharedCodebook: true, dropout: 0.5 } }, 2],
] as const;

describe.each(KINDS)('VQ-VAE with %s', (_, quantizer, tokensPerCell) => {
  const config = { ...small, ...quantizer };

  it('gradients on WASM match the stock CPU kernels (relative error < 1e-4 per variable)', async () => {
    const model = createVqVae(config);
    const errors = await wasmVsStockCpuGradientErrors(model, () => makeBatch(mnist, [0, 1, 2, 3, 4, 5, 6, 7]), { step: 0, noiseSeed: 0, training: true });
    expect(errors.size).toBe(model.trainableVariables.length);
    for (const [name, error] of errors) expect(error, name).toBeLessThan(1e-4);
    model.dispose();
  });

  it('a training step leaks no tensors and logs perplexity and used fraction', async () => {
    const model = createVqVae(config);
    const trainer = new Trainer(model, parseTrainConfig({ batchSize: 8 }));
    const batch = makeBatch(mnist, [0, 1, 2, 3, 4, 5, 6, 7]);
    let step = 0;
    await expectNoLeak(() => trainer.trainStep(batch, step++), 'training step');
    await expectNoLeak(() => model.reconstruct(batch.x), 'reconstruct');
    await expectNoLeak(() => model.encodeCodes(batch.x), 'encodeCodes');
    disposeBatch(batch);
    const records: Record<string, number>[] = [];
    await new Trainer(model, parseTrainConfig({ batchSize: 16, epochs: 1, logEvery: 1 })).fit(mnist, { onSteps: (r) => void records.push(...r.map((x) => x.values)) });
    const last = records[records.length - 1];
    expect(last.perplexity).toBeGreaterThanOrEqual(1);
    expect(last.perplexity).toBeLessThanOrEqual(model.numEmbeddings);
    expect(last.usedFraction).toBeGreaterThan(0);
    expect(last.usedFraction).toBeLessThanOrEqual(1);
    trainer.dispose();
    model.dispose();
  });

  it('resumes from a checkpoint bit for bit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vq-kinds-'));
    const train = parseTrainConfig({ batchSize: 16, epochs: 2 });
    const a = createVqVae(config);
    await new Trainer(a, train).fit(mnist);
    const b = createVqVae(config);
    await new Trainer(b, { ...train, epochs: 1 }).fit(mnist, { checkpoint: join(dir, 'b.ckpt') });
    const resumed = createVqVae(config);
    const tr = new Trainer(resumed, train);
    tr.restore(await loadCheckpoint(join(dir, 'b.ckpt')));
    await tr.fit(mnist);
    for (const [name, v] of a.params.entries()) expect(Array.from(resumed.params.get(name).dataSync()), name).toEqual(Array.from(v.dataSync()));
    [a, b, resumed].forEach((m) => m.dispose());
  });

  it('both priors fit its tokens, score them and sample images from them', async () => {
    const model = createVqVae(config);
    await new Trainer(model, parseTrainConfig({ batchSize: 16, epochs: 1 })).fit(mnist);
    expect(model.gridShape).toEqual([7, 7 * tokensPerCell]);
    const codes = await encodeDatasetCodes(model, mnist);
    expect(codes.length).toBe(64 * 49 * tokensPerCell);
    expect(Math.max(...codes)).toBeLessThan(model.numEmbeddings);
    const unigram = UnigramPrior.fromCodes(codes, model.numEmbeddings, model.gridShape);
    expect(unigram.nllPerCode(codes)).toBeLessThanOrEqual(Math.log(model.numEmbeddings) + 1e-9);
    model.attachPrior(unigram, { owned: true });
    const images = model.sample(3, { seed: 1 });
    expect(images.shape).toEqual([3, 28, 28, 1]);
    images.dispose();
    const ar = createAutoregressivePrior({ gridShape: model.gridShape, numEmbeddings: model.numEmbeddings, embeddingDim: 4, hiddenUnits: 8, seed: 0 });
    await new Trainer(ar, parseTrainConfig({ batchSize: 32, epochs: 1 })).fit(codesDataset(codes, model.gridShape));
    const grid = tf.tensor3d(codes, [64, ...model.gridShape], 'int32');
    expect(Number.isFinite(ar.nllPerCode(grid).dataSync()[0])).toBe(true);
    grid.dispose();
    model.attachPrior(ar, { owned: true });
    await expectNoLeak(() => model.sample(2, { seed: 2 }), 'sample');
    model.dispose();
  }, 120_000);
});
