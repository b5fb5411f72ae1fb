import { beforeAll, describe, expect, it } from 'vitest';
import { disposeBatch, loadCheckpoint, loadMnist, makeBatch, parseTrainConfig, takeExamples, tf, Trainer, useBackend } from '@vaelab/core';
import { expectNoLeak } from '@vaelab/core/testing';
import { createVqVae, parseVqVaeConfig, vqVaeSpec } from '@vaelab/vq-vae';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const mnist = takeExamples(loadMnist('test'), 64);
const small = { filters: [8, 16], numEmbeddings: 16, embeddingDim: 4, deadCodeSteps: 5 };

beforeAll(async () => {
  await useBackend('wasm');
});

describe('VQ-VAE model', () => {
  it('loss is per-pixel NLL + commitment (EMA) or + codebook loss too (loss-trained codebook), with the codebook trained only then', () => {
    const batch = makeBatch(mnist, [0, 1, 2, 3]);
    for (const kind of ['ema', 'loss'] as const) {
      const update = kind === 'ema' ? { kind, decay: 0.99, epsilon: 1e-5 } : { kind };
      const model = createVqVae({ ...small, codebookUpdate: update, commitmentCost: 0.5, likelihood: { kind: 'gaussian', sigma: 0.5 } });
      const out = model.computeLoss(batch, { step: 0, noiseSeed: 0 });
      const [rec, cb, cm, total] = [out.parts.reconstruction, out.parts.codebook, out.parts.commitment, out.total].map((t) => t.dataSync()[0]);
      // Gaussian σ = 0.5: (x − μ)²/(2σ²) + log σ + ½ log 2π per pixel.
      const mse = tf.tidy(() => tf.mean(tf.squaredDifference(model.reconstruct(batch.x), batch.x)).dataSync()[0]);
      expect(rec).toBeCloseTo(mse / 0.5 + Math.log(0.5) + 0.5 * Math.log(2 * Math.PI), 5);
      expect(cb).toBeCloseTo(cm, 6); // same value, different gradients
      expect(total).toBeCloseTo(rec + 0.5 * cm + (kind === 'loss' ? cb : 0), 6);
      expect(model.trainableVariables.includes(model.codebook)).toBe(kind === 'loss');
      model.dispose();
    }
    disposeBatch(batch);
  });

  it('a training step (with EMA, usage and restarts) leaks no tensors and logs usage metrics', async () => {
    const model = createVqVae(small);
    const trainer = new Trainer(model, parseTrainConfig({ batchSize: 8 }));
    const batch = makeBatch(mnist, [0, 1, 2, 3, 4, 5, 6, 7]);
    let step = 0;
    await expectNoLeak(() => trainer.trainStep(batch, step++), 'vq-vae training step');
    await expectNoLeak(() => model.reconstruct(batch.x), 'reconstruct');
    const [a, b] = [tf.slice(batch.x, 0, 1), tf.slice(batch.x, 1, 1)];
    await expectNoLeak(() => model.interpolate(a, b, 5), 'interpolate');
    const records: Record<string, number>[] = [];
    const fitter = new Trainer(createVqVae(small), parseTrainConfig({ batchSize: 16, epochs: 1, logEvery: 1 }));
    await fitter.fit(mnist, { onSteps: (r) => { records.push(...r.map((x) => x.values)); } });
    expect(Object.keys(records[0]).sort()).toEqual(['codebook', 'commitment', 'deadCodes', 'gradNorm', 'loss', 'perplexity', 'reconstruction', 'usedFraction']);
    for (const r of records) {
      expect(r.perplexity).toBeGreaterThanOrEqual(1);
      expect(r.perplexity).toBeLessThanOrEqual(16);
      expect(r.usedFraction).toBeGreaterThan(0);
    }
    disposeBatch(batch);
  });

  it('overfits a tiny batch', async () => {
    const tiny = takeExamples(mnist, 16);
    const model = createVqVae({ ...small, codebookInit: { kind: 'kmeans', iterations: 5 } });
    const trainer = new Trainer(model, parseTrainConfig({ batchSize: 16, epochs: 150, learningRate: 3e-3, logEvery: 50 }));
    const losses: number[] = [];
    await trainer.fit(tiny, { onSteps: (r) => { losses.push(...r.map((x) => x.values.reconstruction)); } });
    expect(losses[losses.length - 1]).toBeLessThan(losses[0] / 4);
  });

  it('resumes from a checkpoint with the codebook, EMA statistics and usage counters restored', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vq-ckpt-'));
    const config = parseTrainConfig({ batchSize: 16, epochs: 2 });
    const a = createVqVae(small);
    const ta = new Trainer(a, config);
    await ta.fit(mnist, { checkpoint: join(dir, 'a.ckpt') });
    const b = createVqVae(small);
    const tb = new Trainer(b, { ...config, epochs: 1 });
    await tb.fit(mnist, { checkpoint: join(dir, 'b.ckpt') });
    const resumed = createVqVae(small);
    const tr = new Trainer(resumed, config);
    tr.restore(await loadCheckpoint(join(dir, 'b.ckpt')));
    await tr.fit(mnist);
    const names = a.params.entries().map(([n]) => n);
    expect(names).toContain('quantizer/emaClusterSize');
    expect(names).toContain('quantizer/lastUsed');
    for (const name of names) expect(Array.from(resumed.params.get(name).dataSync())).toEqual(Array.from(a.params.get(name).dataSync()));
  });

  it('config errors name the field', () => {
    expect(() => parseVqVaeConfig({ numEmbedings: 8 })).toThrow('vq-vae config: (root): Unrecognized key: "numEmbedings"');
    expect(() => parseVqVaeConfig({ codebookUpdate: { kind: 'ema', decay: 1.5, epsilon: 1e-5 } })).toThrow('vq-vae config: codebookUpdate.decay');
    expect(() => createVqVae({ inputShape: [30, 30, 1] })).toThrow('inputShape height and width must be divisible by 4, got 30x30');
    expect(vqVaeSpec.parseConfig({}).commitmentCost).toBe(0.25);
  });
});
