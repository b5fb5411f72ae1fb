// The slice of a backend's API that hand-written JS kernels use: read an input, allocate an
// output and write it in place (the WASM heap; the CPU backend has no such output API).
import type { DataType, TensorInfo } from '@tensorflow/tfjs-core';

export interface HeapBackend {
  readSync(dataId: object): ArrayLike<number>;
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array;
}
