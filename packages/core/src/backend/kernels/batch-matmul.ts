// BatchMatMul for WASM that picks the cheaper of two equivalent operand orders. XNNPACK packs
// its right operand into a new operator for every tensor it has not seen before (it caches the
// operator by that tensor), and packing costs 4–28 ns per element here against 0.3–0.8 ns for
// one of our transposes. So A·B is computed either directly (transposing what needs it, packing
// B) or as (Bᵀ·Aᵀ)ᵀ (packing Aᵀ, transposing the often small result), whichever moves less: in
// training every weight is a new tensor after each update, and the batch is narrower than the
// layers. The choice depends on shapes only: the two orders round differently, and the same
// call must give the same bits every time (a standing weight reused in evaluation would favour
// the direct order, but choosing by history would make results depend on it).
import { BatchMatMul, type BatchMatMulAttrs, type KernelBackend, type KernelConfig, type KernelFunc, type TensorInfo, util } from '@tensorflow/tfjs-core';
import { kernelRunner, type KernelRunner, transposed } from '../kernel-compose.js';
import { heapProduct, heapProductFits } from './heap-matmul.js';

/** Packing one element costs about this many transposed elements (measured, see above). */
const PACK_COST = 10;
/**
 * Transposing the swapped order's product costs this many times a transpose of an operand: it is
 * fresh and larger than the cache (in a conv VAE step, z·W for a 16×3136 W took 3.4 ms swapped
 * and 0.73 ms directly, where alone both took 0.8 ms).
 */
const RESULT_TRANSPOSE_COST = 4;

/** Elements of the product: broadcast batch × M × N. */
function outputSize(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): number {
  const batch = Math.max(util.sizeFromShape(a.shape.slice(0, -2)), util.sizeFromShape(b.shape.slice(0, -2)));
  const m = a.shape[a.shape.length - (transposeA ? 1 : 2)];
  const n = b.shape[b.shape.length - (transposeB ? 2 : 1)];
  return batch * m * n;
}

/** Whether (Bᵀ·Aᵀ)ᵀ is cheaper than A·B for operands of these shapes. */
export function swapIsCheaper(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): boolean {
  const sizeA = util.sizeFromShape(a.shape);
  const sizeB = util.sizeFromShape(b.shape);
  const direct = (transposeA ? sizeA : 0) + (transposeB ? sizeB : 0) + PACK_COST * sizeB;
  const swapped = (transposeB ? 0 : sizeB) + (transposeA ? 0 : sizeA) + PACK_COST * sizeA + RESULT_TRANSPOSE_COST * outputSize(a, b, transposeA, transposeB);
  return swapped < direct;
}

/**
 * A·B (with the given transposes) through the stock kernel's plain path, as (Bᵀ·Aᵀ)ᵀ when `swap`.
 * `plainStock` receives operands that need no transposes.
 */
export function orderedProduct(
  k: KernelRunner, a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean, swap: boolean,
  plainStock: (a: TensorInfo, b: TensorInfo) => TensorInfo,
): TensorInfo {
  if (swap) {
    const left = transposeB ? b : transposed(k, b);
    const right = transposeA ? a : transposed(k, a);
    const product = plainStock(left, right);
    if (!transposeB) k.release(left);
    if (!transposeA) k.release(right);
    const out = transposed(k, product);
    k.release(product);
    return out;
  }
  const a2 = transposeA ? transposed(k, a) : a;
  const b2 = transposeB ? transposed(k, b) : b;
  const out = plainStock(a2, b2);
  if (transposeA) k.release(a2);
  if (transposeB) k.release(b2);
  return out;
}

export function fastBatchMatMulConfig(backendName: string, stock: KernelFunc): KernelConfig {
  const kernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
    const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
    const { transposeA, transposeB } = attrs as unknown as BatchMatMulAttrs;
    const plain = { ...attrs, transposeA: false, transposeB: false };
    const k = kernelRunner(backend as KernelBackend, backendName);
    if (heapProductFits(a, b, transposeA, transposeB)) return heapProduct(k, backend as KernelBackend, a, b, transposeA, transposeB);
    const swap = swapIsCheaper(a, b, transposeA, transposeB);
    return orderedProduct(k, a, b, transposeA, transposeB, swap, (left, right) => stock({ inputs: { a: left, b: right }, backend, attrs: plain }) as TensorInfo);
  };
  return { kernelName: BatchMatMul, backendName, kernelFunc };
}
