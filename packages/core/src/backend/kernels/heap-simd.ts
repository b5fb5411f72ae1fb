// Loads heap-simd.wat's SIMD loops onto tfjs's own WASM memory, so kernels can run them on
// tensors in place: inputs by heap offset, outputs allocated on the same heap.
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { HEAP_SIMD_PLAIN, HEAP_SIMD_SHARED } from './heap-simd-wasm.js';
import { jsKernelIO } from './js-kernel-io.js';

/** A WebAssembly.Memory (the ES libs this package compiles against carry no WebAssembly types). */
interface WasmMemory {
  readonly buffer: ArrayBufferLike;
}

interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

/** The parts of tfjs's WASM backend these kernels rely on. */
interface WasmBackendInternals {
  wasm: { asm?: { memory?: WasmMemory }; wasmMemory?: WasmMemory };
  dataIdMap: { get(dataId: object): { memoryOffset: number } };
}

export interface HeapSimdExports {
  adam(
    p0: number, g: number, m0: number, v0: number, p1: number, m1: number, v1: number, n: number,
    b1: number, a1: number, b2: number, a2: number, c: number, eps: number, s: number,
  ): void;
  column_sums(x: number, rows: number, cols: number, out: number): void;
  transpose_amc(x: number, a: number, m: number, c: number, out: number): void;
  tall_at_b(a: number, b: number, rows: number, m: number, n: number, out: number): void;
  relu_grad(dy: number, x: number, n: number, out: number): void;
}

export interface HeapSimd {
  run: HeapSimdExports;
  /** Byte offset of a tensor's values on the heap. */
  at(t: TensorInfo): number;
  alloc(shape: number[], dtype?: 'float32' | 'int32'): TensorInfo;
}

const instances = new WeakMap<WasmMemory, HeapSimdExports>();

function instantiate(memory: WasmMemory): HeapSimdExports {
  let exports = instances.get(memory);
  if (exports == null) {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const { Module, Instance } = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
    const bytes = Buffer.from(shared ? HEAP_SIMD_SHARED : HEAP_SIMD_PLAIN, 'base64');
    exports = new Instance(new Module(bytes), { env: { memory } }).exports as unknown as HeapSimdExports;
    instances.set(memory, exports);
  }
  return exports;
}

export function heapSimd(backend: unknown): HeapSimd {
  const wasm = backend as WasmBackendInternals;
  const memory = wasm.wasm.wasmMemory ?? wasm.wasm.asm?.memory;
  if (memory == null) throw new Error('heap-simd kernels need the WASM backend (no WASM memory found)');
  const io = jsKernelIO(backend);
  return {
    run: instantiate(memory),
    at: (t) => wasm.dataIdMap.get(t.dataId).memoryOffset,
    alloc: (shape, dtype = 'float32') => io.alloc(shape, dtype),
  };
}
