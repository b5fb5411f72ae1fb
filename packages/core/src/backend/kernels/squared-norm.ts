// Σ over tensors of Σ x² as one kernel on wasm and cpu, for the global gradient norm every step
// reports: the composed form is a Square (a new tensor the size of every weight) and a Sum per
// variable, then an AddN. Squares in float32, sums in float64. Other backends, and tfjs's stock
// CPU kernels in reference checks, keep the composed form.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { heapSimd } from './heap-simd.js';
import { jsKernelIO } from './js-kernel-io.js';

export const SQUARED_NORM = 'VaeLabSquaredNorm';

export function squaredNormConfig(backendName: 'wasm' | 'cpu'): KernelConfig {
  const kernelFunc: KernelFunc = ({ inputs, backend }) => {
    const xs = inputs as unknown as TensorInfo[];
    const io = jsKernelIO(backend);
    const out = io.alloc([], 'float32');
    let total = 0;
    if (backendName === 'wasm') {
      const simd = heapSimd(backend);
      for (const x of xs) total += simd.run.sum_squares(simd.at(x), tf.util.sizeFromShape(x.shape));
    } else {
      for (const x of xs) {
        for (const v of io.view(x)) total += Math.fround(v * v);
      }
    }
    io.view(out)[0] = total;
    return out;
  };
  return { kernelName: SQUARED_NORM, backendName, kernelFunc };
}

let registered = false;

/** d/dx_i of Σ‖x‖² is 2·x_i. */
export function registerSquaredNormGradient(): void {
  if (registered) return;
  registered = true;
  tf.registerGradient({
    kernelName: SQUARED_NORM,
    saveAllInputs: true,
    gradFunc: (dy, saved) => Object.fromEntries(saved.map((x, i) => [i, () => tf.mul(tf.mul(dy as tf.Tensor, 2), x)])),
  });
}

/** Σ_i Σ x_i² as one kernel where the backend has it (float32 inputs), else null. */
export function fusedSquaredNorm(xs: tf.Tensor[]): tf.Scalar | null {
  if (xs.length === 0 || xs.some((x) => x.dtype !== 'float32') || tf.getKernel(SQUARED_NORM, tf.getBackend()) == null) return null;
  return tf.engine().runKernel(SQUARED_NORM, xs as unknown as tf.NamedTensorMap) as tf.Scalar;
}
