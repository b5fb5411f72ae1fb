// Zero-copy tensor access for kernels written in JS, on the WASM heap or the CPU backend's own
// arrays. WASM's readSync copies; its heap views are free but go stale when the heap grows, so
// allocate every output before taking views.
import type { DataType, KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';

interface WasmHeapApi {
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array;
}

export interface JsKernelIO {
  /** A new tensor whose values the kernel fills through `view`. */
  alloc(shape: number[], dtype: DataType): TensorInfo;
  /** The tensor's values without copying; writes go straight into the tensor. */
  view(info: TensorInfo): Float32Array | Int32Array;
}

export function jsKernelIO(kernelBackend: unknown): JsKernelIO {
  const backend = kernelBackend as KernelBackend;
  const wasm = kernelBackend as Partial<WasmHeapApi>;
  if (typeof wasm.makeOutput === 'function' && typeof wasm.typedArrayFromHeap === 'function') {
    return {
      alloc: (shape, dtype) => wasm.makeOutput!(shape, dtype),
      view: (info) => wasm.typedArrayFromHeap!(info),
    };
  }
  return {
    alloc(shape, dtype) {
      const size = shape.reduce((a, b) => a * b, 1);
      const values = dtype === 'int32' ? new Int32Array(size) : new Float32Array(size);
      return { dataId: backend.write(values, shape, dtype), shape, dtype };
    },
    // The CPU backend's readSync hands back its own array for float32 and int32.
    view: (info) => backend.readSync(info.dataId) as Float32Array | Int32Array,
  };
}
