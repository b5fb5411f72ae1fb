// Transpose for WASM where the permutation, once size-1 axes are dropped and runs of axes that
// stay together are merged, swaps the outer and inner axes ([A, M, C] → [C, M, A], M may be 1):
// the explicit transposes before fast matmuls and around convolution gradients. A SIMD loop on
// the heap (heap-simd.wat) moves 4×4 blocks through registers; the stock kernel copies element
// by element. Other permutations and 1-byte dtypes go to the stock kernel.
import { type KernelConfig, type KernelFunc, type TensorInfo, Transpose, type TransposeAttrs } from '@tensorflow/tfjs-core';
import { heapSimd } from './heap-simd.js';

/**
 * The input as [A, M, C] if `perm` amounts to [C, M, A] of it, else null. Works on the
 * permutation with size-1 axes removed and consecutive axes that move together merged.
 */
export function outerInnerSwap(shape: number[], perm: number[]): [number, number, number] | null {
  const kept = perm.filter((axis) => shape[axis] !== 1);
  // Runs of input axes that appear consecutively in the output.
  const runs: number[][] = [];
  for (const axis of kept) {
    const last = runs[runs.length - 1];
    if (last != null && axis === last[last.length - 1] + 1) last.push(axis);
    else runs.push([axis]);
  }
  const size = (run: number[]) => run.reduce((n, axis) => n * shape[axis], 1);
  const byInput = [...runs].sort((x, y) => x[0] - y[0]);
  const order = runs.map((run) => byInput.indexOf(run));
  if (order.length === 2 && order[0] === 1) return [size(byInput[0]), 1, size(byInput[1])];
  if (order.length === 3 && order[0] === 2 && order[1] === 1) return [size(byInput[0]), size(byInput[1]), size(byInput[2])];
  return null;
}

export function transposeConfig(stock: KernelFunc): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    const { perm } = args.attrs as unknown as TransposeAttrs;
    const amc = x.dtype === 'float32' || x.dtype === 'int32' ? outerInnerSwap(x.shape, perm) : null;
    if (amc == null) return stock(args);
    const simd = heapSimd(args.backend);
    const out = simd.alloc(perm.map((axis) => x.shape[axis]), x.dtype as 'float32' | 'int32');
    simd.run.transpose_amc(simd.at(x), amc[0], amc[1], amc[2], simd.at(out));
    return out;
  };
  return { kernelName: Transpose, backendName: 'wasm', kernelFunc };
}
