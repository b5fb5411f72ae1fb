// BatchMatMul that transposes operands explicitly, so the backend always takes its fast
// non-transposed path (WASM's XNNPACK path is ~11x faster than its transposed scalar loop).
import { BatchMatMul, type BatchMatMulAttrs, type KernelBackend, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { kernelRunner } from '../kernel-compose.js';

function swapLastTwo(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]];
  return perm;
}

export function fastBatchMatMulConfig(backendName: string, stock: KernelFunc): KernelConfig {
  const kernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
    const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
    const { transposeA, transposeB } = attrs as unknown as BatchMatMulAttrs;
    if (!transposeA && !transposeB) return stock({ inputs, backend, attrs });
    const k = kernelRunner(backend as KernelBackend, backendName);
    const a2 = transposeA ? k.run('Transpose', { x: a }, { perm: swapLastTwo(a.shape.length) }) : a;
    const b2 = transposeB ? k.run('Transpose', { x: b }, { perm: swapLastTwo(b.shape.length) }) : b;
    const out = stock({ inputs: { a: a2, b: b2 }, backend, attrs: { ...attrs, transposeA: false, transposeB: false } });
    if (transposeA) k.release(a2);
    if (transposeB) k.release(b2);
    return out;
  };
  return { kernelName: BatchMatMul, backendName, kernelFunc };
}
