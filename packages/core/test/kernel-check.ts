// Shared by the kernel tests: seeded random inputs, and tfjs's stock CPU kernels called directly
// as the reference for ours.
import { createRng, tf, useBackend } from '@vaelab/core';
import { stockKernel } from '@vaelab/core/testing';

export function seededRandom(seed: number) {
  const rng = createRng(seed);
  return {
    randInt: (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1)),
    randomValues: (shape: number[]) => Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng() * 2 - 1),
  };
}

/** Runs a stock CPU kernel directly on plain arrays. */
export async function stockCpu(kernelName: string, inputs: Record<string, tf.Tensor>, attrs: object): Promise<Float32Array> {
  await tf.setBackend('cpu');
  const kernel = stockKernel(kernelName, 'cpu');
  if (kernel == null) throw new Error(`cpu has no stock ${kernelName}`);
  const cpuInputs = Object.fromEntries(Object.entries(inputs).map(([k, t]) => [k, tf.tensor(t.dataSync(), t.shape, t.dtype)]));
  const info = kernel({ inputs: cpuInputs, backend: tf.backend(), attrs: attrs as never }) as tf.TensorInfo;
  const out = tf.engine().makeTensorFromTensorInfo(info);
  const values = out.dataSync().slice() as Float32Array;
  out.dispose();
  tf.dispose(Object.values(cpuInputs));
  return values;
}

export async function on<T>(backend: string, fn: () => T): Promise<T> {
  await tf.setBackend(backend);
  return fn();
}

/** Both backends started with VAE Lab's kernels registered. */
export async function startBothBackends(): Promise<void> {
  await useBackend('cpu');
  await useBackend('wasm');
}
