// Every VQ-VAE variable's gradient on WASM (our conv, gather and segment-sum kernels) matches
// tfjs's stock CPU kernels, for both codebook modes (the loss-trained one has a codebook gradient).
import { beforeAll, expect, it } from 'vitest';
import { loadMnist, makeBatch, takeExamples, useBackend } from '@vaelab/core';
import { wasmVsStockCpuGradientErrors } from '@vaelab/core/testing';
import { createVqVae } from '@vaelab/vq-vae';


beforeAll(async () => {
  await useBackend('wasm');
});

it.each([
  ['ema', { kind: 'ema', decay: 0.99, epsilon: 1e-5 }],
  ['loss', { kind: 'loss' }],
])('VQ-VAE (%s codebook) gradients, wasm vs stock cpu: relative error < 1e-4 per variable', async (_, codebookUpdate) => {
  const data = takeExamples(loadMnist('test'), 8);
  const model = createVqVae({ filters: [8, 16], numEmbeddings: 16, embeddingDim: 4, codebookUpdate });
  const errors = await wasmVsStockCpuGradientErrors(model, () => makeBatch(data, [0, 1, 2, 3, 4, 5, 6, 7]), { step: 0, noiseSeed: 0, training: true });
  expect(errors.size).toBe(model.trainableVariables.length);
  expect(errors.has('quantizer/codebook')).toBe(codebookUpdate.kind === 'loss');
  for (const [name, error] of errors) expect(error, name).toBeLessThan(1e-4);
  model.dispose();
});
