// Sum over leading axes (bias gradients reduce every axis but the channels) for WASM as one SIMD
// pass of column sums (heap-simd.wat). The stock kernel first transposes the reduced axes to
// the end, doubling the memory traffic of every bias gradient.
import { type KernelConfig, type KernelFunc, Sum, type SumAttrs, type TensorInfo, util } from '@tensorflow/tfjs-core';
import { heapSimd } from './heap-simd.js';

/** How many leading axes are reduced, if the axes are exactly 0..n−1; else null. */
function leadingAxes(axis: number | number[], shape: number[]): number | null {
  const axes = [...new Set(util.parseAxisParam(axis, shape))].sort((a, b) => a - b);
  return axes.length > 0 && axes.every((a, i) => a === i) ? axes.length : null;
}

export function sumLeadingAxesConfig(stock: KernelFunc): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    const { axis, keepDims } = args.attrs as unknown as SumAttrs;
    const n = x.dtype === 'float32' ? leadingAxes(axis, x.shape) : null;
    // A full reduction is a contiguous sum the stock kernel already does in one pass.
    if (n == null || n === x.shape.length) return stock(args);
    const kept = x.shape.slice(n);
    const simd = heapSimd(args.backend);
    const out = simd.alloc(keepDims ? [...x.shape.slice(0, n).map(() => 1), ...kept] : kept);
    simd.run.column_sums(simd.at(x), util.sizeFromShape(x.shape.slice(0, n)), util.sizeFromShape(kept), simd.at(out));
    return out;
  };
  return { kernelName: Sum, backendName: 'wasm', kernelFunc };
}
