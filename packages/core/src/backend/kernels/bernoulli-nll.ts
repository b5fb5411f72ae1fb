// The Bernoulli negative log-likelihood from logits, per example, and its logits gradient as one
// kernel each on wasm and cpu: the composed form is 10 kernels forward and ~15 backward over the
// whole image batch (2.6 ms of an MLP VAE's ~20 ms step on WASM here). On WASM the rows run in
// heap-simd.wat's SIMD loops (their own exp and log1p, relative error < 2e-7); the CPU kernel
// and rows whose width is not a multiple of 4 run in JS in float64. Other backends, and tfjs's
// stock CPU kernels in reference checks, keep the composed form.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { heapSimd } from './heap-simd.js';
import { jsKernelIO } from './js-kernel-io.js';

export const BERNOULLI_NLL = 'VaeLabBernoulliNll';
export const BERNOULLI_NLL_GRAD = 'VaeLabBernoulliNllGrad';

/** Rows (the batch) and columns (everything else) of a tensor. */
function rowsCols(t: TensorInfo): [number, number] {
  const rows = t.shape[0];
  return [rows, rows === 0 ? 0 : tf.util.sizeFromShape(t.shape) / rows];
}

export function bernoulliNllConfigs(backendName: 'wasm' | 'cpu'): KernelConfig[] {
  const forward: KernelFunc = ({ inputs, backend }) => {
    const { logits, x } = inputs as { logits: TensorInfo; x: TensorInfo };
    const [rows, cols] = rowsCols(logits);
    if (backendName === 'wasm' && cols % 4 === 0) {
      const simd = heapSimd(backend);
      const out = simd.alloc([rows]);
      simd.run.bernoulli_nll(simd.at(logits), simd.at(x), rows, cols, simd.at(out));
      return out;
    }
    const io = jsKernelIO(backend);
    const out = io.alloc([rows], 'float32');
    const [l, v, o] = [io.view(logits), io.view(x), io.view(out)];
    for (let r = 0, i = 0; r < rows; r++) {
      let sum = 0;
      for (const end = i + cols; i < end; i++) sum += Math.max(l[i], 0) - l[i] * v[i] + Math.log1p(Math.exp(-Math.abs(l[i])));
      o[r] = sum;
    }
    return out;
  };
  const gradient: KernelFunc = ({ inputs, backend }) => {
    const { dy, logits, x } = inputs as { dy: TensorInfo; logits: TensorInfo; x: TensorInfo };
    const [rows, cols] = rowsCols(logits);
    if (backendName === 'wasm' && cols % 4 === 0) {
      const simd = heapSimd(backend);
      const out = simd.alloc(logits.shape);
      simd.run.bernoulli_nll_grad(simd.at(dy), simd.at(logits), simd.at(x), rows, cols, simd.at(out));
      return out;
    }
    const io = jsKernelIO(backend);
    const out = io.alloc(logits.shape, 'float32');
    const [d, l, v, o] = [io.view(dy), io.view(logits), io.view(x), io.view(out)];
    for (let r = 0, i = 0; r < rows; r++) {
      for (const end = i + cols; i < end; i++) o[i] = d[r] * (1 / (1 + Math.exp(-l[i])) - v[i]);
    }
    return out;
  };
  return [
    { kernelName: BERNOULLI_NLL, backendName, kernelFunc: forward },
    { kernelName: BERNOULLI_NLL_GRAD, backendName, kernelFunc: gradient },
  ];
}

const hasKernel = (name: string) => tf.getKernel(name, tf.getBackend()) != null;

/** dy [B] against [B, …]: dy as [B, 1, …, 1]. */
const perRow = (dy: tf.Tensor, like: tf.Tensor) => tf.reshape(dy, [like.shape[0], ...like.shape.slice(1).map(() => 1)]);

/** dL/dlogits = dy·(σ(l) − x), one kernel where the backend has it. */
function logitsGradient(dy: tf.Tensor, logits: tf.Tensor, x: tf.Tensor): tf.Tensor {
  if (hasKernel(BERNOULLI_NLL_GRAD)) return tf.engine().runKernel(BERNOULLI_NLL_GRAD, { dy, logits, x }) as tf.Tensor;
  return tf.mul(perRow(dy, logits), tf.sub(tf.sigmoid(logits), x));
}

let registered = false;

/** Gradients of both kernels (the gradient's own for second order), composed from ops. */
export function registerBernoulliNllGradients(): void {
  if (registered) return;
  registered = true;
  tf.registerGradient({
    kernelName: BERNOULLI_NLL,
    inputsToSave: ['logits', 'x'],
    gradFunc: (dy, [logits, x]) => ({
      logits: () => logitsGradient(dy as tf.Tensor, logits, x),
      x: () => tf.mul(perRow(dy as tf.Tensor, logits), tf.neg(logits)),
    }),
  });
  tf.registerGradient({
    kernelName: BERNOULLI_NLL_GRAD,
    inputsToSave: ['dy', 'logits', 'x'],
    gradFunc: (ddl, [dy, logits, x]) => {
      const g = ddl as tf.Tensor;
      const sigma = () => tf.sigmoid(logits);
      return {
        dy: () => tf.sum(tf.reshape(tf.mul(g, tf.sub(sigma(), x)), [logits.shape[0], -1]), 1),
        logits: () => tf.mul(tf.mul(g, perRow(dy, logits)), tf.mul(sigma(), tf.sub(1, sigma()))),
        x: () => tf.neg(tf.mul(g, perRow(dy, logits))),
      };
    },
  });
}

/** The per-example NLL as one kernel, or null where the backend lacks it or the inputs do not fit. */
export function fusedBernoulliNll(logits: tf.Tensor, x: tf.Tensor): tf.Tensor1D | null {
  const fits = logits.dtype === 'float32' && x.dtype === 'float32' && logits.rank >= 1 && tf.util.arraysEqual(logits.shape, x.shape);
  if (!fits || !hasKernel(BERNOULLI_NLL)) return null;
  return tf.engine().runKernel(BERNOULLI_NLL, { logits, x }) as tf.Tensor1D;
}
