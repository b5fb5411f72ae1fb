// BatchMatMul that transposes operands explicitly, so the backend always takes its fast
// non-transposed path (WASM's XNNPACK path is ~11x faster than its transposed loop).
// XNNPACK repacks its right operand on every call, so each product is computed in whichever
// of the equivalent orders moves the fewest elements: A·Bᵀ either as A·(Bᵀ), transposing and
// packing B, or as (B·Aᵀ)ᵀ, transposing and packing A and transposing the (often small) result.
import { BatchMatMul, type BatchMatMulAttrs, type KernelBackend, type KernelConfig, type KernelFunc, type TensorInfo, util } from '@tensorflow/tfjs-core';
import { kernelRunner, type KernelRunner } from '../kernel-compose.js';

function swapLastTwo(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]];
  return perm;
}

function transposed(k: KernelRunner, x: TensorInfo): TensorInfo {
  return k.run('Transpose', { x }, { perm: swapLastTwo(x.shape.length) });
}

/** Elements of the product: broadcast batch × M × N. */
function outputSize(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): number {
  const batch = Math.max(util.sizeFromShape(a.shape.slice(0, -2)), util.sizeFromShape(b.shape.slice(0, -2)));
  const m = a.shape[a.shape.length - (transposeA ? 1 : 2)];
  const n = b.shape[b.shape.length - (transposeB ? 2 : 1)];
  return batch * m * n;
}

export function fastBatchMatMulConfig(backendName: string, stock: KernelFunc): KernelConfig {
  const kernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
    const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
    const { transposeA, transposeB } = attrs as unknown as BatchMatMulAttrs;
    if (!transposeA && !transposeB) return stock({ inputs, backend, attrs });
    const k = kernelRunner(backend as KernelBackend, backendName);
    const plain = { ...attrs, transposeA: false, transposeB: false };
    const sizeA = util.sizeFromShape(a.shape);
    const sizeB = util.sizeFromShape(b.shape);
    const sizeC = outputSize(a, b, transposeA, transposeB);
    // Cost of the direct order: transpose what needs it, then pack B (or Bᵀ).
    const direct = (transposeA ? sizeA : 0) + (transposeB ? 2 * sizeB : sizeB);
    // Cost of (Bᵀ·Aᵀ)ᵀ computed as (B'·A')ᵀ: A is packed, the result transposed.
    const swapped = (transposeA ? sizeA : 2 * sizeA) + (transposeB ? 0 : sizeB) + sizeC;
    if (swapped < direct) {
      const left = transposeB ? b : transposed(k, b);
      const right = transposeA ? a : transposed(k, a);
      const product = stock({ inputs: { a: left, b: right }, backend, attrs: plain }) as TensorInfo;
      if (!transposeB) k.release(left);
      if (!transposeA) k.release(right);
      const out = transposed(k, product);
      k.release(product);
      return out;
    }
    const a2 = transposeA ? transposed(k, a) : a;
    const b2 = transposeB ? transposed(k, b) : b;
    const out = stock({ inputs: { a: a2, b: b2 }, backend, attrs: plain });
    if (transposeA) k.release(a2);
    if (transposeB) k.release(b2);
    return out;
  };
  return { kernelName: BatchMatMul, backendName, kernelFunc };
}
