// A fused Adam update for WASM: one pass over param, grad and both moments in a small SIMD
// loop (heap-simd.wat) that works directly on tfjs's WASM heap, instead of thirteen
// elementwise kernels that each stream the whole tensor. Bit-identical to the op-by-op path.
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { heapSimd } from './heap-simd.js';

export const ADAM_UPDATE = 'VaeLabAdamUpdate';

export interface AdamUpdateAttrs {
  beta1: number;
  beta2: number;
  epsilon: number;
  /** learningRate / (1 − beta1^t). */
  stepSize: number;
  /** sqrt(1 − beta2^t). */
  secondCorrection: number;
}

export function adamUpdateConfig(): KernelConfig {
  const kernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
    const { param, grad, m, v } = inputs as Record<'param' | 'grad' | 'm' | 'v', TensorInfo>;
    const { beta1, beta2, epsilon, stepSize, secondCorrection } = attrs as unknown as AdamUpdateAttrs;
    const simd = heapSimd(backend);
    const outs = [param, m, v].map((t) => simd.alloc(t.shape));
    const at = simd.at;
    const size = param.shape.reduce((a, b) => a * b, 1);
    // Scalars reach the module as float32, as the op path's scalar tensors do.
    simd.run.adam(
      at(param), at(grad), at(m), at(v), at(outs[0]), at(outs[1]), at(outs[2]), size,
      beta1, 1 - beta1, beta2, 1 - beta2, secondCorrection, epsilon, stepSize,
    );
    return outs;
  };
  return { kernelName: ADAM_UPDATE, backendName: 'wasm', kernelFunc };
}
