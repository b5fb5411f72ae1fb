// OneHot for WASM that honours its dtype: the stock WASM kernel always writes int32 values, so
// a float32 one-hot read back as denormals (1 became 1.4e-45). A plain fill, memory-bound anyway.
import { type KernelConfig, type KernelFunc, OneHot, type OneHotAttrs, type TensorInfo, util } from '@tensorflow/tfjs-core';
import { jsKernelIO } from './js-kernel-io.js';

export function oneHotConfig(backendName: string): KernelConfig {
  const kernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
    const { indices } = inputs as { indices: TensorInfo };
    const { dtype, depth, onValue, offValue } = attrs as unknown as OneHotAttrs;
    const io = jsKernelIO(backend);
    const count = util.sizeFromShape(indices.shape);
    const out = io.alloc([...indices.shape, depth], dtype);
    const ids = io.view(indices);
    const target = io.view(out);
    target.fill(offValue);
    for (let i = 0; i < count; i++) {
      if (ids[i] >= 0 && ids[i] < depth) target[i * depth + ids[i]] = onValue;
    }
    return out;
  };
  return { kernelName: OneHot, backendName, kernelFunc };
}
