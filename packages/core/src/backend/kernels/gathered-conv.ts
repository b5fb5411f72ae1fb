// Convolutions on WASM as products over gathered rows (heap-simd.wat's gather_a_b and
// gather_at_b, XNNPACK's indirect GEMM in our own loops): a table holds, for every output
// position and filter tap, the heap address of the pixel under that tap (or of a zero row), so
// the loops read tensors where they lie. No im2col, no transposes, and nothing packed, where
// XNNPACK packs every new weight tensor, which in training is every step.
import type { backend_util, KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';
import { heapSimd, type HeapSimd } from './heap-simd.js';
import { axisPhase } from './transposed-conv-phases.js';

/** The 4×8 tiles of gather_a_b (output channels) and gather_at_b (input, output channels). */
export const gatheredOutputFits = (outChannels: number) => outChannels % 8 === 0;
export const gatheredFilterFits = (inChannels: number, outChannels: number) => inChannels % 4 === 0 && outChannels % 8 === 0;

const roundUp4 = (n: number) => Math.ceil(n / 4) * 4;

/**
 * table[r·taps + t] = x's pixel under tap t of output position r of a conv (r over batch, rows,
 * columns; t over filter rows, columns), or `zeroAt` where the tap falls in the padding.
 */
function fillConvTable(table: Int32Array, info: backend_util.Conv2DInfo, xAt: number, zeroAt: number): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, strideHeight, strideWidth, dilationHeight, dilationWidth, filterHeight, filterWidth } = info;
  const { top, left } = info.padInfo;
  const pixelBytes = 4 * inChannels;
  let e = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++) {
        for (let i = 0; i < filterHeight; i++) {
          const h = oh * strideHeight + i * dilationHeight - top;
          const rowAt = xAt + (b * inHeight + h) * inWidth * pixelBytes;
          for (let j = 0; j < filterWidth; j++) {
            const w = ow * strideWidth + j * dilationWidth - left;
            table[e++] = h >= 0 && h < inHeight && w >= 0 && w < inWidth ? rowAt + w * pixelBytes : zeroAt;
          }
        }
      }
    }
  }
}

/** Heap scratch for one call: int32 tables and float rows, disposed together. */
function scratch(backend: KernelBackend, simd: HeapSimd) {
  const held: TensorInfo[] = [];
  return {
    alloc(shape: number[], dtype: 'float32' | 'int32' = 'float32') {
      const t = simd.alloc(shape, dtype);
      held.push(t);
      return t;
    },
    dispose: () => held.forEach((t) => backend.disposeData(t.dataId)),
  };
}

/** One gather_a_b call being set up: fill table[r·taps + t] and outs[r] for r < rows, then run. */
export interface GatherProduct {
  /** Input row addresses, [rows × taps]; entries left unset read the zero row. */
  table: Int32Array;
  /** Output row addresses, [rows]. */
  outs: Int32Array;
  zeroAt: number;
  /** out_r = bias + Σ_t a_rt · w[t] (w [taps × k × n]); frees the tables. */
  run(wAt: number, biasAt?: number): void;
}

/**
 * Tables for gather_a_b over `rows` rows of `taps` taps with k inputs and n outputs per row, rows
 * padded to the kernel's 4 with zero rows into a spare output. Allocate every tensor the call
 * touches before this, since the heap views it hands out go stale when the heap grows.
 */
export function gatherProduct(backend: KernelBackend, simd: HeapSimd, rows: number, taps: number, k: number, n: number): GatherProduct {
  const temp = scratch(backend, simd);
  const padded = roundUp4(rows);
  const tableInfo = temp.alloc([padded * taps], 'int32');
  const outsInfo = temp.alloc([padded], 'int32');
  const zero = temp.alloc([k]);
  const spare = temp.alloc([n]);
  simd.view(zero).fill(0);
  const zeroAt = simd.at(zero);
  const table = simd.view(tableInfo) as Int32Array;
  const outs = simd.view(outsInfo) as Int32Array;
  table.fill(zeroAt);
  outs.fill(simd.at(spare), rows);
  return {
    table,
    outs,
    zeroAt,
    run(wAt, biasAt = 0) {
      simd.run.gather_a_b(simd.at(tableInfo), taps, k, wAt, biasAt, simd.at(outsInfo), padded, n);
      temp.dispose();
    },
  };
}

/** dW [kh, kw, ci, co] = Σ over output positions of x's pixel under each tap ⊗ dy there. */
export function gatheredConvFilterGradient(backend: KernelBackend, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo, filterShape: number[]): TensorInfo {
  const [kh, kw, ci, co] = filterShape;
  const rows = info.batchSize * info.outHeight * info.outWidth;
  const simd = heapSimd(backend);
  const temp = scratch(backend, simd);
  const out = simd.alloc(filterShape);
  const table = temp.alloc([rows * kh * kw], 'int32');
  const zero = temp.alloc([ci]);
  simd.view(zero).fill(0);
  fillConvTable(simd.view(table) as Int32Array, info, simd.at(x), simd.at(zero));
  simd.run.gather_at_b(simd.at(table), kh * kw, simd.at(dy), rows, ci, co, simd.at(out));
  temp.dispose();
  return out;
}

/** conv2d(x, filter) [B, outH, outW, co]: each output pixel Σ over taps of x's pixel · filter[tap]. */
export function gatheredConv2d(backend: KernelBackend, x: TensorInfo, filter: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { batchSize, outHeight, outWidth, inChannels, outChannels, filterHeight, filterWidth } = info;
  const rows = batchSize * outHeight * outWidth;
  const simd = heapSimd(backend);
  const out = simd.alloc([batchSize, outHeight, outWidth, outChannels]);
  const product = gatherProduct(backend, simd, rows, filterHeight * filterWidth, inChannels, outChannels);
  fillConvTable(product.table, info, simd.at(x), product.zeroAt);
  const outAt = simd.at(out);
  for (let r = 0; r < rows; r++) product.outs[r] = outAt + 4 * r * outChannels;
  product.run(simd.at(filter));
  return out;
}

/**
 * Conv2DBackpropInput (a transposed conv) into dx [B, H, W, ci], one product per output phase
 * (the sub-pixel decomposition): rows ih = s·m + r meet only taps kh ≡ r + pad (mod s), each
 * from dy's row m + ⌊(r + pad)/s⌋ − q for its q-th such tap. Phases write their pixels of dx
 * in place through the output table, so nothing is interleaved afterwards.
 */
export function gatheredConvBackpropInput(backend: KernelBackend, dy: TensorInfo, filter: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { batchSize, inHeight, inWidth, inChannels: ci, outHeight: dyHeight, outWidth: dyWidth, outChannels: co, strideHeight: sh, strideWidth: sw, filterHeight, filterWidth } = info;
  const { top, left } = info.padInfo;
  const simd = heapSimd(backend);
  const dx = simd.alloc([batchSize, inHeight, inWidth, ci]);
  // A phase no tap reaches (filter smaller than the stride) stays zero.
  if (filterHeight < sh || filterWidth < sw) simd.view(dx).fill(0);
  for (let ry = 0; ry < sh; ry++) {
    for (let rx = 0; rx < sw; rx++) {
      const py = axisPhase(ry, sh, filterHeight, top, inHeight, dyHeight);
      const px = axisPhase(rx, sw, filterWidth, left, inWidth, dyWidth);
      if (py.taps === 0 || px.taps === 0 || py.count === 0 || px.count === 0) continue;
      // The phase's q-th tap reads dy's row m + ⌊(r + pad)/s⌋ − q, and ⌊(r + pad)/s⌋ = taps − 1 − before.
      const baseY = py.taps - 1 - py.before;
      const baseX = px.taps - 1 - px.before;
      const taps = py.taps * px.taps;
      const weights = simd.alloc([taps, co, ci]);
      const product = gatherProduct(backend, simd, batchSize * py.count * px.count, taps, co, ci);
      // weights[qy, qx][o][c] = filter[first_y + s·qy, first_x + s·qx, c, o]
      const w = simd.view(filter) as Float32Array;
      const wt = simd.view(weights) as Float32Array;
      let e = 0;
      for (let qy = 0; qy < py.taps; qy++) {
        for (let qx = 0; qx < px.taps; qx++) {
          const tapAt = ((py.first + sh * qy) * filterWidth + px.first + sw * qx) * ci * co;
          for (let o = 0; o < co; o++) for (let c = 0; c < ci; c++) wt[e++] = w[tapAt + c * co + o];
        }
      }
      const { table: tab, outs: outRows, zeroAt } = product;
      const dyAt = simd.at(dy);
      const dxAt = simd.at(dx);
      let t = 0;
      let r = 0;
      for (let b = 0; b < batchSize; b++) {
        for (let m = 0; m < py.count; m++) {
          for (let n = 0; n < px.count; n++) {
            outRows[r++] = dxAt + 4 * ci * ((b * inHeight + sh * m + ry) * inWidth + sw * n + rx);
            for (let qy = 0; qy < py.taps; qy++) {
              const oh = m + baseY - qy;
              for (let qx = 0; qx < px.taps; qx++) {
                const ow = n + baseX - qx;
                tab[t++] = oh >= 0 && oh < dyHeight && ow >= 0 && ow < dyWidth ? dyAt + 4 * co * ((b * dyHeight + oh) * dyWidth + ow) : zeroAt;
              }
            }
          }
        }
      }
      product.run(simd.at(weights));
      backend.disposeData(weights.dataId);
    }
  }
  return dx;
}
