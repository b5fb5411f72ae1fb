// End-to-end kernel check for any model: every trainable variable's gradient of its loss on
// WASM (with VAE Lab's kernels) or WebGPU against the CPU backend running tfjs's stock kernels.
import * as tf from '@tensorflow/tfjs-core';
import { stockKernel } from '../backend/kernels/register-kernels.js';
import { type BackendOptions, useBackend } from '../backend/select-backend.js';
import { type Batch, disposeBatch } from '../data/batches.js';
import type { StepContext, TrainableModel } from '../model/types.js';

/** ‖a − b‖ / ‖b‖. */
export function relativeL2Error(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < a.length; i++) {
    diff += (a[i] - b[i]) ** 2;
    norm += b[i] ** 2;
  }
  return Math.sqrt(diff) / Math.max(Math.sqrt(norm), 1e-12);
}

/** Runs `fn` with the CPU backend's kernels as tfjs shipped them, then puts ours back. */
async function withStockCpuKernels<T>(fn: () => Promise<T>): Promise<T> {
  await useBackend('cpu');
  const ours = tf.getKernelsForBackend('cpu').filter((k) => stockKernel(k.kernelName, 'cpu') !== k.kernelFunc);
  for (const k of ours) {
    tf.unregisterKernel(k.kernelName, 'cpu');
    const stock = stockKernel(k.kernelName, 'cpu');
    if (stock != null) tf.registerKernel({ kernelName: k.kernelName, backendName: 'cpu', kernelFunc: stock });
  }
  try {
    return await fn();
  } finally {
    for (const k of ours) {
      if (tf.getKernel(k.kernelName, 'cpu') != null) tf.unregisterKernel(k.kernelName, 'cpu');
      tf.registerKernel(k);
    }
  }
}

async function gradients(model: TrainableModel, batch: Batch, ctx: StepContext): Promise<Map<string, Float32Array>> {
  const trainable = new Set(model.trainableVariables);
  const named = model.params.entries().filter(([, v]) => trainable.has(v));
  const grads = tf.tidy(() => {
    const { grads: byName } = tf.variableGrads(() => model.computeLoss(batch, ctx).total, model.trainableVariables);
    return named.map(([, v]) => byName[v.name]);
  });
  // Async reads: WebGPU cannot read synchronously in Node.
  const values = await Promise.all(grads.map(async (g) => (await g.data()) as Float32Array));
  const out = new Map(named.map(([name], i) => [name, values[i]]));
  tf.dispose(grads);
  return out;
}

/**
 * Relative L2 error of each trainable variable's gradient, `backend` vs stock CPU. `makeBatch` is
 * called once per backend so every tensor lives on the backend that uses it. Leaves `backend` active.
 */
export async function backendVsStockCpuGradientErrors(
  backend: 'wasm' | 'webgpu', model: TrainableModel, makeBatch: () => Batch, ctx: StepContext, options: BackendOptions = {},
): Promise<Map<string, number>> {
  const onCpu = await withStockCpuKernels(async () => {
    const batch = makeBatch();
    const out = await gradients(model, batch, ctx);
    disposeBatch(batch);
    return out;
  });
  await useBackend(backend, options);
  const batch = makeBatch();
  const onBackend = await gradients(model, batch, ctx);
  disposeBatch(batch);
  return new Map([...onBackend].map(([name, g]) => [name, relativeL2Error(g, onCpu.get(name)!)]));
}

/** WASM (with VAE Lab's kernels) vs stock CPU; see backendVsStockCpuGradientErrors. */
export async function wasmVsStockCpuGradientErrors(model: TrainableModel, makeBatch: () => Batch, ctx: StepContext): Promise<Map<string, number>> {
  return backendVsStockCpuGradientErrors('wasm', model, makeBatch, ctx);
}
