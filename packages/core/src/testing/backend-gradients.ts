// End-to-end kernel check for any model: every trainable variable's gradient of its loss on
// WASM (with VAE Lab's kernels) against the CPU backend running tfjs's stock kernels.
import * as tf from '@tensorflow/tfjs-core';
import { stockKernel } from '../backend/kernels/register-kernels.js';
import { useBackend } from '../backend/select-backend.js';
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
async function withStockCpuKernels<T>(fn: () => T): Promise<T> {
  await useBackend('cpu');
  const ours = tf.getKernelsForBackend('cpu').filter((k) => stockKernel(k.kernelName, 'cpu') !== k.kernelFunc);
  for (const k of ours) {
    tf.unregisterKernel(k.kernelName, 'cpu');
    const stock = stockKernel(k.kernelName, 'cpu');
    if (stock != null) tf.registerKernel({ kernelName: k.kernelName, backendName: 'cpu', kernelFunc: stock });
  }
  try {
    return fn();
  } finally {
    for (const k of ours) {
      if (tf.getKernel(k.kernelName, 'cpu') != null) tf.unregisterKernel(k.kernelName, 'cpu');
      tf.registerKernel(k);
    }
  }
}

function gradients(model: TrainableModel, batch: Batch, ctx: StepContext): Map<string, Float32Array> {
  const trainable = new Set(model.trainableVariables);
  const named = model.params.entries().filter(([, v]) => trainable.has(v));
  const grads = tf.tidy(() => {
    const { grads: byName } = tf.variableGrads(() => model.computeLoss(batch, ctx).total, model.trainableVariables);
    return named.map(([, v]) => byName[v.name]);
  });
  const out = new Map(named.map(([name], i) => [name, grads[i].dataSync().slice() as Float32Array]));
  tf.dispose(grads);
  return out;
}

/**
 * Relative L2 error of each trainable variable's gradient, WASM vs stock CPU. `makeBatch` is
 * called once per backend so every tensor lives on the backend that uses it. Leaves WASM active.
 */
export async function wasmVsStockCpuGradientErrors(
  model: TrainableModel, makeBatch: () => Batch, ctx: StepContext,
): Promise<Map<string, number>> {
  const onCpu = await withStockCpuKernels(() => {
    const batch = makeBatch();
    const out = gradients(model, batch, ctx);
    disposeBatch(batch);
    return out;
  });
  await useBackend('wasm');
  const batch = makeBatch();
  const onWasm = gradients(model, batch, ctx);
  disposeBatch(batch);
  return new Map([...onWasm].map(([name, g]) => [name, relativeL2Error(g, onCpu.get(name)!)]));
}
