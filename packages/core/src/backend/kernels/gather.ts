// GatherV2 (batchDims 0) for WASM as row copies: the stock kernel costs ~30 ns per element,
// which made the VQ-VAE's codebook lookup (6,272 rows of 16) slower than its matmuls.
import { GatherV2, type GatherV2Attrs, type KernelConfig, type KernelFunc, type TensorInfo, util } from '@tensorflow/tfjs-core';
import { jsKernelIO } from './js-kernel-io.js';

export function gatherConfig(backendName: string, stock: KernelFunc): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { inputs, backend, attrs } = args;
    const { x, indices } = inputs as { x: TensorInfo; indices: TensorInfo };
    const { axis, batchDims } = attrs as unknown as GatherV2Attrs;
    if (batchDims !== 0 || x.dtype === 'string' || x.dtype === 'complex64') return stock(args);
    const at = util.parseAxisParam(axis, x.shape)[0];
    const outer = util.sizeFromShape(x.shape.slice(0, at));
    const dim = x.shape[at];
    const inner = util.sizeFromShape(x.shape.slice(at + 1));
    const count = util.sizeFromShape(indices.shape);
    const io = jsKernelIO(backend);
    const checked = io.view(indices);
    for (let i = 0; i < count; i++) {
      if (!(checked[i] >= 0 && checked[i] < dim)) throw new Error(`GatherV2: the index value ${checked[i]} is not in [0, ${dim - 1}]`);
    }
    const out = io.alloc([...x.shape.slice(0, at), ...indices.shape, ...x.shape.slice(at + 1)], x.dtype);
    const ids = io.view(indices);
    const src = io.view(x);
    const dst = io.view(out);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < count; i++) {
        const from = (o * dim + ids[i]) * inner;
        const to = (o * count + i) * inner;
        if (inner > 32) dst.set(src.subarray(from, from + inner), to);
        else for (let j = 0; j < inner; j++) dst[to + j] = src[from + j];
      }
    }
    return out;
  };
  return { kernelName: GatherV2, backendName, kernelFunc };
}
