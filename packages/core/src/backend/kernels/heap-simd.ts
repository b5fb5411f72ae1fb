// Loads heap-simd.wat's SIMD loops onto tfjs's own WASM memory, so kernels can run them on
// tensors in place: inputs by heap offset, outputs allocated on the same heap.
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { HEAP_SIMD_PLAIN, HEAP_SIMD_PLAIN_FMA, HEAP_SIMD_SHARED, HEAP_SIMD_SHARED_FMA } from './heap-simd-wasm.js';
import { jsKernelIO } from './js-kernel-io.js';

/** A WebAssembly.Memory (the ES libs this package compiles against carry no WebAssembly types). */
interface WasmMemory {
  readonly buffer: ArrayBufferLike;
}

interface WasmApi {
  validate(bytes: Uint8Array): boolean;
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
  gather_at_b(table: number, taps: number, b: number, rows: number, m: number, n: number, out: number): void;
  gather_a_b(table: number, taps: number, k: number, w: number, bias: number, outs: number, rows: number, n: number): void;
  relu_grad(dy: number, x: number, n: number, out: number): void;
  sum_squares(x: number, n: number): number;
  bernoulli_nll(logits: number, x: number, rows: number, cols: number, out: number): void;
  bernoulli_nll_grad(dy: number, logits: number, x: number, rows: number, cols: number, out: number): void;
}

export interface HeapSimd {
  run: HeapSimdExports;
  /** Byte offset of a tensor's values on the heap. */
  at(t: TensorInfo): number;
  alloc(shape: number[], dtype?: 'float32' | 'int32'): TensorInfo;
  /** A tensor's values on the heap without copying (stale once the heap grows: allocate first). */
  view(t: TensorInfo): Float32Array | Int32Array;
}

const wasmApi = () => (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
let fusedMultiplyAdd: boolean | undefined;

/**
 * Whether the products run with relaxed-SIMD multiply-adds (28 → 36 GFLOP/s for tall_at_b here).
 * Node ≥ 22 and Chrome ≥ 114 have relaxed SIMD; Node 20's V8 11.3 has it behind a flag, which
 * only gates validation, so it is switched on before the module compiles. VAELAB_WASM_FMA=0
 * keeps the separate multiply and add.
 */
export function heapSimdFusedMultiplyAdd(): boolean {
  if (fusedMultiplyAdd !== undefined) return fusedMultiplyAdd;
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined>; getBuiltinModule?: (id: string) => unknown } }).process;
  if (proc?.env?.VAELAB_WASM_FMA === '0') return (fusedMultiplyAdd = false);
  const bytes = heapSimdBytes(false, true);
  if (!wasmApi().validate(bytes)) {
    const v8 = proc?.getBuiltinModule?.('node:v8') as { setFlagsFromString(flags: string): void } | undefined;
    v8?.setFlagsFromString('--experimental-wasm-relaxed-simd');
  }
  return (fusedMultiplyAdd = wasmApi().validate(bytes));
}

/** The module's bytes for a memory: shared or not, with or without fused multiply-adds. */
export function heapSimdBytes(shared: boolean, fused: boolean): Uint8Array {
  const base64 = fused ? (shared ? HEAP_SIMD_SHARED_FMA : HEAP_SIMD_PLAIN_FMA) : shared ? HEAP_SIMD_SHARED : HEAP_SIMD_PLAIN;
  return Buffer.from(base64, 'base64');
}

const instances = new WeakMap<WasmMemory, HeapSimdExports>();

function instantiate(memory: WasmMemory): HeapSimdExports {
  let exports = instances.get(memory);
  if (exports == null) {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const { Module, Instance } = wasmApi();
    const bytes = heapSimdBytes(shared, heapSimdFusedMultiplyAdd());
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
    view: (t) => io.view(t),
  };
}
