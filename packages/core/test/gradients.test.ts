// End to end: every variable's gradient of a whole model's loss on WASM (with our kernels)
// matches tfjs's stock CPU kernels, relative error < 1e-4 per variable.
import { beforeAll, describe, expect, it } from 'vitest';
import { createVae, makeBatch, useBackend } from '@vaelab/core';
import { wasmVsStockCpuGradientErrors } from '@vaelab/core/testing';
import { mnistSubset } from './helpers.js';

beforeAll(async () => {
  await useBackend('wasm');
});

describe('model gradients, wasm vs stock cpu', () => {
  it.each([
    ['mlp VAE', { architecture: { kind: 'mlp', hiddenUnits: [32] }, latentDim: 4 }],
    ['conv VAE', { architecture: { kind: 'conv', filters: [8, 16], kernelSize: 4, denseUnits: 32 }, latentDim: 4 }],
  ])('%s', async (_, config) => {
    const model = createVae(config);
    const data = mnistSubset(6);
    const errors = await wasmVsStockCpuGradientErrors(model, () => makeBatch(data, [0, 1, 2, 3, 4, 5]), { step: 0, noiseSeed: 11 });
    expect(errors.size).toBe(model.trainableVariables.length);
    for (const [name, error] of errors) expect(error, name).toBeLessThan(1e-4);
    model.dispose();
  });
});
