// AddN for WebGPU within the device's storage-buffer limit. tfjs's WebGPU AddN binds every input
// in one shader; past maxStorageBuffersPerShaderStage − 1 inputs (7 under WebGPU's default
// limits, which tfjs keeps) the pipeline is invalid and the sum is silently wrong. Sums chunks
// with the stock kernel, then sums the partial sums.
import { AddN, type KernelBackend, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';

interface StorageLimits {
  device?: { limits?: { maxStorageBuffersPerShaderStage?: number } };
}

export function chunkedAddNConfig(stock: KernelFunc): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const inputs = args.inputs as unknown as TensorInfo[];
    const limit = (args.backend as unknown as StorageLimits).device?.limits?.maxStorageBuffersPerShaderStage ?? 8;
    const most = Math.max(2, limit - 1);
    if (inputs.length <= most) return stock(args);
    const partials: TensorInfo[] = [];
    for (let i = 0; i < inputs.length; i += most) {
      const chunk = inputs.slice(i, i + most);
      partials.push(chunk.length === 1 ? chunk[0] : (stock({ ...args, inputs: chunk as unknown as typeof args.inputs }) as TensorInfo));
    }
    const out = kernelFunc({ ...args, inputs: partials as unknown as typeof args.inputs }) as TensorInfo;
    for (const p of partials) if (!inputs.includes(p)) (args.backend as KernelBackend).disposeData(p.dataId);
    return out;
  };
  return { kernelName: AddN, backendName: 'webgpu', kernelFunc };
}
