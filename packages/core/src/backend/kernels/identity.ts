// Identity for WASM as a second reference to the same data (what tfjs's CPU backend does) rather
// than a copy. The tape clones every tensor a gradient will need (60–68 per training step of our
// models) and the stock kernel copied each one; no kernel writes into its inputs, so sharing is safe.
import { Identity, type KernelBackend, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';

export function sharedIdentityConfig(stock: KernelFunc): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    if (x.dtype === 'string') return stock(args);
    (args.backend as KernelBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
  return { kernelName: Identity, backendName: 'wasm', kernelFunc };
}
