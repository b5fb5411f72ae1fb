// End to end: every variable's gradient of a whole model's loss on WASM (with our kernels)
// matches tfjs's stock CPU kernels, relative error < 1e-4 per variable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVae, disposeBatch, makeBatch, stockKernel, tf, useBackend } from '@vaelab/core';
import { mnistSubset } from './helpers.js';

const replaced = ['Conv2DBackpropFilter', 'Conv2DBackpropInput'];
let ours: tf.KernelConfig[] = [];

beforeAll(async () => {
  await useBackend('cpu');
  await useBackend('wasm');
  // Put tfjs's own CPU kernels back for the reference side.
  ours = replaced.map((name) => tf.getKernel(name, 'cpu')!);
  for (const name of replaced) {
    tf.unregisterKernel(name, 'cpu');
    tf.registerKernel({ kernelName: name, backendName: 'cpu', kernelFunc: stockKernel(name, 'cpu')! });
  }
});

afterAll(() => {
  for (const config of ours) {
    tf.unregisterKernel(config.kernelName, 'cpu');
    tf.registerKernel(config);
  }
});

function relativeError(a: Float32Array, b: Float32Array): number {
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < a.length; i++) {
    diff += (a[i] - b[i]) ** 2;
    norm += b[i] ** 2;
  }
  return Math.sqrt(diff) / Math.max(Math.sqrt(norm), 1e-12);
}

describe('model gradients, wasm vs stock cpu', () => {
  it.each([
    ['mlp VAE', { architecture: { kind: 'mlp', hiddenUnits: [32] }, latentDim: 4 }],
    ['conv VAE', { architecture: { kind: 'conv', filters: [8, 16], kernelSize: 4, denseUnits: 32 }, latentDim: 4 }],
  ])('%s', async (_, config) => {
    const model = createVae(config);
    const gradsOn = async (backend: string): Promise<Float32Array[]> => {
      await tf.setBackend(backend);
      const batch = makeBatch(mnistSubset(6), [0, 1, 2, 3, 4, 5]);
      const { grads } = tf.variableGrads(() => model.computeLoss(batch, { step: 0, noiseSeed: 11 }).total, model.trainableVariables);
      const out = model.trainableVariables.map((v) => grads[v.name].dataSync().slice() as Float32Array);
      tf.dispose(Object.values(grads));
      disposeBatch(batch);
      return out;
    };
    const wasm = await gradsOn('wasm');
    const cpu = await gradsOn('cpu');
    const names = model.params.entries().map(([n]) => n);
    names.forEach((name, i) => expect(relativeError(wasm[i], cpu[i]), name).toBeLessThan(1e-4));
    await tf.setBackend('wasm');
    model.dispose();
  });
});
