// A fused Adam update for WASM: one pass over param, grad and both moments in a small SIMD
// module (adam-update.wat) that works directly on tfjs's WASM heap, instead of thirteen
// elementwise kernels that each stream the whole tensor. Bit-identical to the op-by-op path.
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { ADAM_WASM_PLAIN, ADAM_WASM_SHARED } from './adam-update-wasm.js';

export const ADAM_UPDATE = 'VaeLabAdamUpdate';

export interface AdamUpdateAttrs {
  beta1: number;
  beta2: number;
  epsilon: number;
  /** learningRate / (1 − beta1^t). */
  stepSize: number;
  /** sqrt(1 − beta2^t). */
  secondCorrection: number;
}

/** A WebAssembly.Memory (the ES libs this package compiles against carry no WebAssembly types). */
interface WasmMemory {
  readonly buffer: ArrayBufferLike;
}

interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

/** The parts of tfjs's WASM backend this kernel relies on. */
interface WasmBackendInternals {
  wasm: { asm?: { memory?: WasmMemory }; wasmMemory?: WasmMemory };
  dataIdMap: { get(dataId: object): { memoryOffset: number } };
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
}

type AdamFn = (
  p0: number, g: number, m0: number, v0: number, p1: number, m1: number, v1: number, n: number,
  b1: number, a1: number, b2: number, a2: number, c: number, eps: number, s: number,
) => void;

const instances = new WeakMap<WasmMemory, AdamFn>();

/** The module instantiated on tfjs's own memory (shared in the threaded build). */
function adamOn(memory: WasmMemory): AdamFn {
  let adam = instances.get(memory);
  if (adam == null) {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const bytes = Buffer.from(shared ? ADAM_WASM_SHARED : ADAM_WASM_PLAIN, 'base64');
    const { Module, Instance } = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
    const instance = new Instance(new Module(bytes), { env: { memory } });
    adam = instance.exports.adam as AdamFn;
    instances.set(memory, adam);
  }
  return adam;
}

export function adamUpdateConfig(): KernelConfig {
  const kernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
    const { param, grad, m, v } = inputs as Record<'param' | 'grad' | 'm' | 'v', TensorInfo>;
    const { beta1, beta2, epsilon, stepSize, secondCorrection } = attrs as unknown as AdamUpdateAttrs;
    const wasm = backend as unknown as WasmBackendInternals;
    const memory = wasm.wasm.wasmMemory ?? wasm.wasm.asm?.memory;
    if (memory == null) throw new Error('VaeLabAdamUpdate: cannot find the WASM backend memory');
    const outs = [param, m, v].map((t) => wasm.makeOutput(t.shape, 'float32'));
    const at = (t: TensorInfo) => wasm.dataIdMap.get(t.dataId).memoryOffset;
    const size = param.shape.reduce((a, b) => a * b, 1);
    // Scalars reach the module as float32, as the op path's scalar tensors do.
    adamOn(memory)(
      at(param), at(grad), at(m), at(v), at(outs[0]), at(outs[1]), at(outs[2]), size,
      beta1, 1 - beta1, beta2, 1 - beta2, secondCorrection, epsilon, stepSize,
    );
    return outs;
  };
  return { kernelName: ADAM_UPDATE, backendName: 'wasm', kernelFunc };
}
