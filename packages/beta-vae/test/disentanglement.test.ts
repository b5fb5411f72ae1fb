import { beforeAll, describe, expect, it } from 'vitest';
import {
  createRng, disposeBatch, generateShapes, makeBatch, mutualInformationGap, parseTrainConfig, Trainer, useBackend,
} from '@vaelab/core';
import { expectNoLeak } from '@vaelab/core/testing';
import { createBetaVae, modelMig, traversal } from '@vaelab/beta-vae';

beforeAll(async () => {
  await useBackend('wasm');
});

describe('Mutual Information Gap on constructed latents', () => {
  const n = 4000;
  const sizes = [3, 6, 16, 16];
  const rng = createRng(9);
  const factors = Int32Array.from({ length: n * 4 }, (_, i) => Math.floor(rng() * sizes[i % 4]));
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  // One latent per factor (scaled value + small noise), plus one pure-noise latent.
  const disentangled = new Float32Array(n * 5);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 4; k++) disentangled[i * 5 + k] = factors[i * 4 + k] / sizes[k] + 0.001 * gauss();
    disentangled[i * 5 + 4] = gauss();
  }

  it('a perfectly disentangled code scores near 1', () => {
    const { mig, perFactor } = mutualInformationGap(disentangled, 5, factors, sizes);
    expect(mig).toBeGreaterThan(0.9);
    perFactor.forEach((g) => expect(g).toBeGreaterThan(0.85));
  });

  it('a random rotation of it scores near 0', () => {
    // Random orthogonal 5×5 matrix by Gram–Schmidt on Gaussian columns.
    const q: number[][] = [];
    while (q.length < 5) {
      let v = Array.from({ length: 5 }, gauss);
      for (const u of q) {
        const dot = v.reduce((s, x, i) => s + x * u[i], 0);
        v = v.map((x, i) => x - dot * u[i]);
      }
      const norm = Math.hypot(...v);
      q.push(v.map((x) => x / norm));
    }
    const rotated = new Float32Array(n * 5);
    for (let i = 0; i < n; i++) {
      for (let r = 0; r < 5; r++) rotated[i * 5 + r] = q[r].reduce((s, w, j) => s + w * disentangled[i * 5 + j], 0);
    }
    expect(mutualInformationGap(rotated, 5, factors, sizes).mig).toBeLessThan(0.2);
  });

  it('rejects mismatched shapes', () => {
    expect(() => mutualInformationGap(new Float32Array(10), 5, factors, sizes)).toThrow(`latents hold 10 values, expected ${n} × 5`);
  });
});

describe('β-VAE on the shapes set', () => {
  const data = generateShapes({ count: 6000, size: 32, seed: 1, factorSizes: [3, 6, 1, 16, 16] });
  const config = (beta: number) => ({
    inputShape: [32, 32, 1], latentDim: 4, architecture: { kind: 'mlp', hiddenUnits: [256] }, objective: { kind: 'beta', beta }, seed: 3,
  });

  it('traversals have one row per latent and the model leaks no tensors', async () => {
    const model = createBetaVae(config(4));
    const batch = makeBatch(data, [0, 1, 2, 3]);
    expect((await traversal(model, batch.x, 7)).shape).toEqual([4 * 7, 32, 32, 1]);
    await expectNoLeak(() => traversal(model, batch.x, 7), 'traversal');
    const trainer = new Trainer(model, parseTrainConfig({ batchSize: 4 }));
    let step = 0;
    await expectNoLeak(() => trainer.trainStep(batch, step++), 'β-VAE training step');
    disposeBatch(batch);
  });

  it('β = 4 reaches a higher MIG than β = 1 for the same seed and budget', async () => {
    const migs: number[] = [];
    for (const beta of [1, 4]) {
      const model = createBetaVae(config(beta));
      await new Trainer(model, parseTrainConfig({ epochs: 12, batchSize: 64, seed: 3 })).fit(data);
      migs.push((await modelMig(model, data)).mig);
      model.dispose();
    }
    console.log(`MIG β=1: ${migs[0].toFixed(4)}, β=4: ${migs[1].toFixed(4)}`);
    expect(migs[1]).toBeGreaterThan(migs[0]);
  }, 300_000); // two 12-epoch trainings: about 50 s alone on 2 cores, more beside other test files
});
