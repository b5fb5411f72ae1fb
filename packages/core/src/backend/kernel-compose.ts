// Runs registered kernels directly on TensorInfos so composite kernels can be built from
// existing backend ops without touching the engine's tape or tensor tracking.
import { getKernel, type KernelBackend, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';

export interface KernelRunner {
  run(kernelName: string, inputs: Record<string, TensorInfo>, attrs?: NamedAttrMap): TensorInfo;
  /** Releases an intermediate produced by `run` (ref-counted, so views share safely). */
  release(info: TensorInfo): void;
  /** A tensor's values, synchronously (small tensors such as filters). */
  read(info: TensorInfo): Float32Array;
  /** A new float32 tensor from values computed in JS; release it like any intermediate. */
  write(values: Float32Array, shape: number[]): TensorInfo;
  /** NHWC Conv2D with explicit [top, bottom] and [left, right] padding. */
  conv2d(x: TensorInfo, filter: TensorInfo, pads: ConvPads, options?: { strides?: [number, number]; dilations?: [number, number] }): TensorInfo;
}

export type ConvPads = [[number, number], [number, number]];

export function kernelRunner(backend: KernelBackend, backendName: string): KernelRunner {
  return {
    run(kernelName, inputs, attrs = {}) {
      const kernel = getKernel(kernelName, backendName);
      if (kernel == null) throw new Error(`kernel ${kernelName} is not registered for backend ${backendName}`);
      const out = kernel.kernelFunc({ inputs, attrs, backend });
      if (Array.isArray(out)) throw new Error(`kernel ${kernelName} returned several outputs`);
      return out as TensorInfo;
    },
    release(info) {
      backend.disposeData(info.dataId);
    },
    read(info) {
      return backend.readSync(info.dataId) as Float32Array;
    },
    write(values, shape) {
      return { dataId: backend.write(values, shape, 'float32'), shape, dtype: 'float32' };
    },
    conv2d(x, filter, [rows, cols], { strides = [1, 1], dilations = [1, 1] } = {}) {
      return this.run('Conv2D', { x, filter }, {
        strides,
        pad: [[0, 0], rows, cols, [0, 0]] as unknown as 'valid',
        dataFormat: 'NHWC',
        dilations,
        dimRoundingMode: undefined as unknown as 'floor',
      });
    },
  };
}

/** x with its last two axes swapped. */
export function transposed(k: KernelRunner, x: TensorInfo): TensorInfo {
  const perm = x.shape.map((_, i) => i);
  const rank = perm.length;
  [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]];
  return k.run('Transpose', { x }, { perm });
}
