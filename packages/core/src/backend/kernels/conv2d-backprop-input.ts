// Conv2DBackpropInput (transposed-conv forward, conv input gradient) as stride² small stride-1
// convolutions, one per output phase (the sub-pixel decomposition, Shi et al. 2016): output
// rows i = s·m + r only ever meet filter taps t ≡ r + pad (mod s), so each phase is a plain
// conv of dy with every s-th tap, flipped. Phases are interleaved by transposes. Unlike
// zero-insertion this does no multiply-by-zero work (4× less for k=4, s=2) and replaces WASM's
// naive loop with the backend's fast convolution. On WASM with dx channels in multiples of 8 the
// phases are products over gathered rows that write dx in place (gathered-conv.ts).
import {
  backend_util, Conv2DBackpropInput, type Conv2DBackpropInputAttrs, type KernelBackend, type KernelConfig, type KernelFunc, type TensorInfo,
} from '@tensorflow/tfjs-core';
import { kernelRunner, type KernelRunner } from '../kernel-compose.js';
import { type AxisPhase, axisPhase, cropTo, phaseFilter, windowConv } from './transposed-conv-phases.js';
import { jsKernelIO } from './js-kernel-io.js';
import { col2imTransposedConv } from './transposed-conv-col2im.js';
import { gatheredConvBackpropInput, gatheredOutputFits } from './gathered-conv.js';

/** The phase's outputs; a phase that meets no filter tap (k < s) or no output row is zeros of `zeroShape`. */
function phaseOutput(k: KernelRunner, dy: TensorInfo, filter: TensorInfo, w: Float32Array, py: AxisPhase, px: AxisPhase, zeroShape: number[]): TensorInfo {
  if (py.taps === 0 || px.taps === 0 || py.count === 0 || px.count === 0) {
    return k.run('Fill', {}, { shape: zeroShape, value: 0, dtype: 'float32' });
  }
  const swapped = k.write(phaseFilter(w, filter.shape, py, px), [py.taps, px.taps, filter.shape[3], filter.shape[2]]);
  const out = windowConv(k, dy, swapped, py, px);
  k.release(swapped);
  return out;
}

/** Pads a phase at the bottom/right to the largest phase's size (phases with r ≥ H mod s are one shorter). */
function padTo(k: KernelRunner, x: TensorInfo, rows: number, cols: number): TensorInfo {
  const [, h, w] = x.shape;
  if (h === rows && w === cols) return x;
  const out = k.run('PadV2', { x }, { paddings: [[0, 0], [0, rows - h], [0, cols - w], [0, 0]], constantValue: 0 });
  k.release(x);
  return out;
}

/** Stacks same-shape tensors along a new leading axis. */
function stack(k: KernelRunner, xs: TensorInfo[]): TensorInfo {
  const parts = xs.map((x) => k.run('Reshape', { x }, { shape: [1, ...x.shape] }));
  const out = k.run('Concat', parts as unknown as Record<string, TensorInfo>, { axis: 0 });
  for (const p of parts) k.release(p);
  return out;
}

/**
 * out[b, s·m + ry, s·n + rx, c] = phases[ry·sw + rx][b, m, n, c], cropped to [B, H, W, C].
 * Columns first, then rows: two rank-≤4 transposes (WASM's rank-5 transpose is ~300× slower).
 */
function interleave(k: KernelRunner, phases: TensorInfo[], sh: number, sw: number, height: number, width: number): TensorInfo {
  const [b, rows, cols, c] = phases[0].shape;
  const rowBlocks = Array.from({ length: sh }, (_, ry) => {
    const byCol = stack(k, phases.slice(ry * sw, (ry + 1) * sw)); // [sw, B, M, N, C]
    const grid = k.run('Reshape', { x: byCol }, { shape: [sw, b * rows, cols, c] });
    const moved = k.run('Transpose', { x: grid }, { perm: [1, 2, 0, 3] }); // [B·M, N, sw, C]
    const flat = k.run('Reshape', { x: moved }, { shape: [b * rows, cols * sw * c] });
    for (const t of [byCol, grid, moved]) k.release(t);
    return flat;
  });
  const byRow = stack(k, rowBlocks); // [sh, B·M, N·sw·C]
  const moved = k.run('Transpose', { x: byRow }, { perm: [1, 0, 2] });
  const full = k.run('Reshape', { x: moved }, { shape: [b, rows * sh, cols * sw, c] });
  for (const t of [...rowBlocks, byRow, moved]) k.release(t);
  return cropTo(k, full, height, width);
}

export function conv2dBackpropInputConfig(backendName: string): KernelConfig {
  const kernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
    const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as Conv2DBackpropInputAttrs;
    if (dataFormat !== undefined && dataFormat !== 'NHWC') {
      throw new Error(`Conv2DBackpropInput on ${backendName} supports only NHWC, got ${dataFormat}`);
    }
    const info = backend_util.computeConv2DInfo(
      inputShape, filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode,
    );
    const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw, inHeight, inWidth, outHeight, outWidth } = info;
    const k = kernelRunner(backend as KernelBackend, backendName);
    // Few output channels (a decoder's last layer): one matmul and an overlap-add.
    if (sh * sw > 1 && filter.shape[2] <= 2) return col2imTransposedConv(k, jsKernelIO(backend), dy, filter, info);
    if (backendName === 'wasm' && gatheredOutputFits(filter.shape[2])) return gatheredConvBackpropInput(backend as KernelBackend, dy, filter, info);
    const rowPhases = Array.from({ length: sh }, (_, r) => axisPhase(r, sh, fh, info.padInfo.top, inHeight, outHeight));
    const colPhases = Array.from({ length: sw }, (_, r) => axisPhase(r, sw, fw, info.padInfo.left, inWidth, outWidth));
    const w = k.read(filter);
    // Phase r = 0 is the longest; the others are padded to it before interleaving.
    const rows = rowPhases[0].count;
    const cols = colPhases[0].count;
    const zeroShape = [dy.shape[0], rows, cols, filter.shape[2]];
    const phases = rowPhases.flatMap((py) => colPhases.map((px) => phaseOutput(k, dy, filter, w, py, px, zeroShape)));
    if (phases.length === 1) return phases[0];
    const padded = phases.map((p) => padTo(k, p, rows, cols));
    const out = interleave(k, padded, sh, sw, inHeight, inWidth);
    for (const p of padded) k.release(p);
    return out;
  };
  return { kernelName: Conv2DBackpropInput, backendName, kernelFunc };
}
