// Every CVAE variable's gradient on WASM (our kernels) matches tfjs's stock CPU kernels.
import { beforeAll, expect, it } from 'vitest';
import { loadMnist, makeBatch, takeExamples, useBackend } from '@vaelab/core';
import { wasmVsStockCpuGradientErrors } from '@vaelab/core/testing';
import { createCvae } from '@vaelab/cvae';


beforeAll(async () => {
  await useBackend('wasm');
});

it('CVAE gradients, wasm vs stock cpu: relative error < 1e-4 per variable', async () => {
  const data = takeExamples(loadMnist('test'), 8);
  const model = createCvae({ architecture: { kind: 'mlp', hiddenUnits: [32] }, latentDim: 4 });
  const errors = await wasmVsStockCpuGradientErrors(model, () => makeBatch(data, [0, 1, 2, 3, 4, 5, 6, 7]), { step: 0, noiseSeed: 3 });
  expect(errors.size).toBe(model.trainableVariables.length);
  for (const [name, error] of errors) expect(error, name).toBeLessThan(1e-4);
  model.dispose();
});
