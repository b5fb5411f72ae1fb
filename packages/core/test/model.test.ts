import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createVae, deriveSeed, evaluateGaussianModel, imageGridPng, makeBatch, parseTrainConfig, parseVaeConfig, tf, Trainer, useBackend,
  vaeSpec,
} from '@vaelab/core';
import { maxRelativeError } from '@vaelab/core/testing';
import { mnistSubset } from './helpers.js';

beforeAll(async () => {
  await useBackend('wasm');
});

describe('Gaussian VAE model', () => {
  it('encodes, decodes, samples and interpolates with the right shapes and ranges', () => {
    const model = createVae({ latentDim: 5 });
    const batch = makeBatch(mnistSubset(4), [0, 1, 2, 3]);
    const { zMean, zLogVar } = model.encode(batch.x);
    expect(zMean.shape).toEqual([4, 5]);
    expect(zLogVar.shape).toEqual([4, 5]);
    const samples = model.sample(6, { seed: 1 });
    expect(samples.shape).toEqual([6, 28, 28, 1]);
    const values = samples.dataSync();
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThanOrEqual(1);
    const a = tf.slice(batch.x, [0, 0, 0, 0], [1, 28, 28, 1]);
    const b = tf.slice(batch.x, [1, 0, 0, 0], [1, 28, 28, 1]);
    const path = model.interpolate(a, b, 5);
    expect(path.shape).toEqual([5, 28, 28, 1]);
    const ends = model.reconstruct(tf.concat([a, b]));
    const pathValues = path.arraySync();
    const endValues = ends.arraySync();
    expect(maxRelativeError(pathValues[0].flat(2), endValues[0].flat(2))).toBeLessThan(1e-5);
    expect(maxRelativeError(pathValues[4].flat(2), endValues[1].flat(2))).toBeLessThan(1e-5);
    const score = model.anomalyScore(batch.x, { seed: 3 }).arraySync();
    expect(score).toHaveLength(4);
    score.forEach((s) => expect(s).toBeGreaterThan(0));
    model.dispose();
  });

  it('every seed reproduces, 0 included (tfjs treats a normal seed of 0 as no seed)', () => {
    const model = createVae({ latentDim: 5 });
    for (const seed of [0, 1]) {
      const [a, b] = [model.sample(3, { seed: seed }), model.sample(3, { seed: seed })];
      expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
      tf.dispose([a, b]);
    }
    const [zero, one] = [model.sample(3, { seed: 0 }), model.sample(3, { seed: 1 })];
    expect(Array.from(zero.dataSync())).not.toEqual(Array.from(one.dataSync()));
    tf.dispose([zero, one]);
    expect([0, 1, 2].map((s) => deriveSeed(s))).not.toContain(0);
    model.dispose();
  });

  it('vaeSpec bundles the variant contract', () => {
    expect(vaeSpec.name).toBe('vae');
    expect(vaeSpec.parseConfig({ latentDim: 3 }).latentDim).toBe(3);
    const model = vaeSpec.create({ latentDim: 3, architecture: { kind: 'mlp', hiddenUnits: [8] } });
    expect(model.latentDim).toBe(3);
    model.dispose();
  });

  it('rejects unknown and wrongly typed config fields by name', () => {
    expect(() => parseVaeConfig({ latentDims: 3 })).toThrow('vae config: (root): Unrecognized key: "latentDims"');
    expect(() => parseVaeConfig({ latentDim: -1 })).toThrow('vae config: latentDim: Too small: expected number to be >0');
    expect(() => parseVaeConfig({ architecture: { kind: 'mlp', hiddenUnits: [] } })).toThrow('architecture.hiddenUnits');
    expect(() => parseVaeConfig({ architecture: { kind: 'conv', filters: [8, 8], kernelSize: 4, denseUnits: 0 }, inputShape: [30, 30, 1] }))
      .not.toThrow();
    expect(() => createVae({ architecture: { kind: 'conv', filters: [8, 8], kernelSize: 4, denseUnits: 0 }, inputShape: [30, 30, 1] }))
      .toThrow('conv architecture with 2 stride-2 layers needs height and width divisible by 4, got 30x30');
  });
});

describe('evaluation', () => {
  it('IW-NLL is at most the single-sample negative ELBO and tightens with k; KL parts add up', async () => {
    const data = mnistSubset(200);
    const model = createVae({ architecture: { kind: 'mlp', hiddenUnits: [64] }, latentDim: 4 });
    await new Trainer(model, parseTrainConfig({ epochs: 3, batchSize: 32 })).fit(data);
    const k1 = await evaluateGaussianModel(model, data, { importanceSamples: 1, seed: 1 });
    const k50 = await evaluateGaussianModel(model, data, { importanceSamples: 50, seed: 1 });
    expect(k50.iwNll!).toBeLessThan(k50.negativeElbo);
    expect(k50.iwNll!).toBeLessThan(k1.iwNll!);
    expect(Math.abs(k1.iwNll! - k1.negativeElbo)).toBeLessThan(0.05 * k1.negativeElbo);
    expect(k50.klPerDimension.reduce((a, b) => a + b, 0)).toBeCloseTo(k50.kl, 3);
    expect(k50.negativeElbo).toBeCloseTo(k50.reconstructionNll + k50.kl, 3);
    expect(k50.activeUnits).toBeGreaterThanOrEqual(0);
    expect(k50.activeUnits).toBeLessThanOrEqual(4);
  });
});

describe('image grid PNG', () => {
  it('tiles images with padding and scale, pixel-exact', () => {
    const images = new Float32Array([0, 1, 1, 0, /* second */ 0.5, 0.5, 0.5, 0.5, /* third */ 1, 1, 1, 1]);
    const png = PNG.sync.read(imageGridPng(images, [2, 2, 1], { columns: 2, padding: 1, scale: 2 }));
    expect([png.width, png.height]).toEqual([2 * 5 + 1, 2 * 5 + 1]);
    const px = (x: number, y: number) => png.data[(y * png.width + x) * 4];
    expect(px(0, 0)).toBe(64); // padding
    expect([px(1, 1), px(3, 1), px(1, 3), px(3, 4)]).toEqual([0, 255, 255, 0]);
    expect(px(6, 1)).toBe(128);
    expect(px(1, 6)).toBe(255);
    expect(px(6, 6)).toBe(64); // empty cell
  });
});
