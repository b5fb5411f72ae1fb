// The acceptance check on real MNIST: a small conv VQ-VAE (64 codes × 16) with EMA and
// dead-code restarts keeps codebook perplexity above half the codebook size and reconstructs
// at least 5× better (MSE) than predicting the mean training image.
import { beforeAll, expect, it } from 'vitest';
import { loadMnist, meanImageMse, parseTrainConfig, takeExamples, Trainer, useBackend } from '@vaelab/core';
import { createVqVae, evaluateVqVae } from '@vaelab/vq-vae';

beforeAll(async () => {
  await useBackend('wasm');
});

it('MNIST: perplexity > K/2 and MSE < mean-image MSE / 5', async () => {
  const train = takeExamples(loadMnist('train'), 12_800);
  const test = takeExamples(loadMnist('test'), 2_000);
  const model = createVqVae({ numEmbeddings: 64, embeddingDim: 16, seed: 1 });
  const trainer = new Trainer(model, parseTrainConfig({ epochs: 2, batchSize: 128, learningRate: 2e-3, seed: 1 }));
  const perplexities: number[] = [];
  await trainer.fit(train, { onSteps: (r) => { perplexities.push(...r.map((x) => x.values.perplexity)); } });
  const report = await evaluateVqVae(model, test);
  const baseline = meanImageMse(train, test);
  console.log(`VQ-VAE 64x16 on MNIST: test MSE ${report.mse.toFixed(5)} vs mean-image ${baseline.toFixed(5)} ` +
    `(${(baseline / report.mse).toFixed(1)}x), test perplexity ${report.perplexity.toFixed(1)}, codes used ${(report.usedFraction * 100).toFixed(0)}%, ` +
    `last-step perplexity ${perplexities[perplexities.length - 1].toFixed(1)}`);
  expect(report.perplexity).toBeGreaterThan(32);
  expect(Math.min(...perplexities.slice(-20))).toBeGreaterThan(32);
  expect(report.mse).toBeLessThan(baseline / 5);
  model.dispose();
});
