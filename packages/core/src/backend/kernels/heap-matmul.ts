// A·B on WASM with heap-simd.wat's products, which read both operands where they lie: Aᵀ·B is
// tall_at_b (or gather_at_b), A·B is gather_a_b over A's rows (one tap). XNNPACK instead packs B
// into a new operator for every tensor it has not seen, and in training every weight is new each
// step. Used where the products have fused multiply-adds (a 512³ product here: 39-42 GFLOP/s,
// XNNPACK 32 with nothing repacked) and the columns fit their 4×8 tiles.
import { type KernelBackend, type TensorInfo, util } from '@tensorflow/tfjs-core';
import { type KernelRunner, transposed } from '../kernel-compose.js';
import { gatherProduct } from './gathered-conv.js';
import { heapSimd, heapSimdFusedMultiplyAdd } from './heap-simd.js';

/** M, K, N of A·B with these transposes, or null when either operand has a batch of more than one. */
function productShape(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean) {
  if (util.sizeFromShape(a.shape.slice(0, -2)) !== 1 || util.sizeFromShape(b.shape.slice(0, -2)) !== 1) return null;
  const [a0, a1] = a.shape.slice(-2);
  const [b0, b1] = b.shape.slice(-2);
  return { m: transposeA ? a1 : a0, k: transposeA ? a0 : a1, n: transposeB ? b0 : b1 };
}

export function heapProductFits(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): boolean {
  const shape = productShape(a, b, transposeA, transposeB);
  return shape != null && shape.n % 8 === 0 && heapSimdFusedMultiplyAdd();
}

/**
 * Aᵀ·B [m, n] for A [rows, m], B [rows, n]: tall_at_b, or where m % 4 ≠ 0 (a CVAE's input with
 * its one-hot label) gather_at_b over A's rows for the first m − m % 4 columns and JS for the rest.
 */
function transposedLeftProduct(k: KernelRunner, simd: ReturnType<typeof heapSimd>, a: TensorInfo, b: TensorInfo, rows: number, m: number, n: number, outShape: number[]): TensorInfo {
  const out = simd.alloc(outShape);
  if (m % 4 === 0) {
    simd.run.tall_at_b(simd.at(a), simd.at(b), rows, m, n, simd.at(out));
    return out;
  }
  const head = m - (m % 4);
  const table = simd.alloc([rows], 'int32');
  const aAt = simd.at(a);
  const entries = simd.view(table) as Int32Array;
  for (let r = 0; r < rows; r++) entries[r] = aAt + 4 * m * r;
  simd.run.gather_at_b(simd.at(table), 1, simd.at(b), rows, head, n, simd.at(out));
  k.release(table);
  const [av, bv, ov] = [simd.view(a), simd.view(b), simd.view(out)];
  ov.fill(0, head * n);
  for (let r = 0; r < rows; r++) {
    for (let c = head; c < m; c++) {
      const s = av[r * m + c];
      const o = c * n;
      const br = r * n;
      for (let j = 0; j < n; j++) ov[o + j] += s * bv[br + j];
    }
  }
  return out;
}

/** Whether heapProduct adds this bias itself (one value per column; Aᵀ·B has no bias step). */
export function heapProductTakesBias(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean, bias: TensorInfo): boolean {
  return !(transposeA && !transposeB) && util.sizeFromShape(bias.shape) === productShape(a, b, transposeA, transposeB)?.n;
}

/** A·B (+ bias where heapProductTakesBias) as [..batch of a (all ones), M, N]; call only where heapProductFits. */
export function heapProduct(k: KernelRunner, backend: KernelBackend, a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean, bias?: TensorInfo): TensorInfo {
  const { m, k: inner, n } = productShape(a, b, transposeA, transposeB)!;
  const outShape = [...a.shape.slice(0, -2), m, n];
  const simd = heapSimd(backend);
  if (transposeA && !transposeB) {
    if (bias != null) throw new Error('heapProduct: Aᵀ·B takes no bias');
    return transposedLeftProduct(k, simd, a, b, inner, m, n, outShape);
  }
  const left = transposeA ? transposed(k, a) : a;
  const right = transposeB ? transposed(k, b) : b;
  const out = simd.alloc(outShape);
  const product = gatherProduct(backend, simd, m, 1, inner, n);
  const [leftAt, outAt] = [simd.at(left), simd.at(out)];
  for (let r = 0; r < m; r++) {
    product.table[r] = leftAt + 4 * inner * r;
    product.outs[r] = outAt + 4 * n * r;
  }
  product.run(simd.at(right), bias == null ? 0 : simd.at(bias));
  if (transposeA) k.release(left);
  if (transposeB) k.release(right);
  return out;
}
