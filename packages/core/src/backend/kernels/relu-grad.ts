// The ReLU gradient dy · step(x) as one kernel on wasm and cpu instead of Step then Multiply,
// two passes and an intermediate the size of the activation (in a conv VAE step, 2.5 of its
// 4 ms of Step + Multiply). Same bits as tfjs's own gradient; other backends keep that one.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { heapSimd } from './heap-simd.js';
import { jsKernelIO } from './js-kernel-io.js';

export const RELU_GRAD = 'VaeLabReluGrad';

/** tfjs's step(x) with alpha 0, as its CPU kernel defines it: NaN stays NaN. */
function step(x: number): number {
  return Number.isNaN(x) ? Number.NaN : x > 0 ? 1 : 0;
}

export function reluGradConfig(backendName: 'wasm' | 'cpu'): KernelConfig {
  const kernelFunc: KernelFunc = ({ inputs, backend }) => {
    const { dy, x } = inputs as { dy: TensorInfo; x: TensorInfo };
    const size = x.shape.reduce((a, b) => a * b, 1);
    if (backendName === 'wasm') {
      const simd = heapSimd(backend);
      const out = simd.alloc(x.shape);
      simd.run.relu_grad(simd.at(dy), simd.at(x), size, simd.at(out));
      return out;
    }
    const io = jsKernelIO(backend);
    const out = io.alloc(x.shape, 'float32');
    const [d, v, o] = [io.view(dy), io.view(x), io.view(out)];
    for (let i = 0; i < size; i++) o[i] = d[i] * step(v[i]);
    return out;
  };
  return { kernelName: RELU_GRAD, backendName, kernelFunc };
}

function reluGrad(dy: tf.Tensor, x: tf.Tensor): tf.Tensor {
  if (dy.dtype === 'float32' && x.dtype === 'float32' && tf.getKernel(RELU_GRAD, tf.getBackend()) != null) {
    return tf.engine().runKernel(RELU_GRAD, { dy, x }) as tf.Tensor;
  }
  return tf.mul(dy, tf.cast(tf.step(x), 'float32'));
}

/** Relu's gradient through RELU_GRAD where the backend has it; RELU_GRAD's own for second order. */
export function registerReluGradient(): void {
  tf.registerGradient({ kernelName: tf.Relu, inputsToSave: ['x'], gradFunc: (dy, [x]) => ({ x: () => reluGrad(dy as tf.Tensor, x) }) });
  tf.registerGradient({
    kernelName: RELU_GRAD,
    inputsToSave: ['x'],
    gradFunc: (ddx, [x]) => ({ dy: () => reluGrad(ddx as tf.Tensor, x), x: () => tf.zerosLike(x) }),
  });
}
