// The output phases of a transposed convolution (the sub-pixel decomposition, Shi et al. 2016):
// output rows i = s·m + r only ever meet filter taps t ≡ r + pad (mod s), so each phase is a
// stride-1 conv of dy with every s-th tap of the filter, flipped.
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { KernelRunner } from '../kernel-compose.js';

/** How a stride-1 conv's window lines up with dy along one axis: padding before/after (negative: crop). */
export interface Window {
  before: number;
  after: number;
}

/** One output phase along one axis: which taps it uses and how it lines up with dy. */
export interface AxisPhase extends Window {
  stride: number;
  /** First filter tap of this phase; the phase uses taps first, first+s, … */
  first: number;
  taps: number;
  /** Output positions of this phase: i = s·m + r for m < count. */
  count: number;
}

export function axisPhase(r: number, stride: number, filterSize: number, pad: number, inSize: number, dySize: number): AxisPhase {
  const first = (r + pad) % stride;
  const taps = Math.max(Math.ceil((filterSize - first) / stride), 0);
  const count = Math.max(Math.ceil((inSize - r) / stride), 0);
  const before = taps - 1 - Math.floor((r + pad) / stride);
  const after = count + taps - 1 - before - dySize;
  return { stride, first, taps, count, before, after };
}

/** Crops dy where the phase's window never reaches, so every remaining pad is ≥ 0. */
function cropToWindow(k: KernelRunner, dy: TensorInfo, py: Window, px: Window): TensorInfo {
  const [b, h, w, c] = dy.shape;
  const top = Math.max(-py.before, 0);
  const left = Math.max(-px.before, 0);
  const size = [b, h - top - Math.max(-py.after, 0), w - left - Math.max(-px.after, 0), c];
  if (top === 0 && left === 0 && size[1] === h && size[2] === w) return k.run('Reshape', { x: dy }, { shape: dy.shape });
  return k.run('Slice', { x: dy }, { begin: [0, top, left, 0], size });
}

/** Stride-1 conv of dy with `filter`, dy padded (or cropped) as the windows say. */
export function windowConv(k: KernelRunner, dy: TensorInfo, filter: TensorInfo, py: Window, px: Window): TensorInfo {
  const input = cropToWindow(k, dy, py, px);
  const out = k.conv2d(input, filter, [[Math.max(py.before, 0), Math.max(py.after, 0)], [Math.max(px.before, 0), Math.max(px.after, 0)]]);
  k.release(input);
  return out;
}

/**
 * The phase's filter for a stride-1 conv over dy: every s-th tap from `first`, flipped, with
 * in/out channels swapped — [taps_y, taps_x, dyChannels, dxChannels]. Filters are small; JS is
 * cheaper here than four kernel calls (WASM's StridedSlice and Reverse are slow loops).
 */
export function phaseFilter(w: Float32Array, shape: number[], py: AxisPhase, px: AxisPhase): Float32Array {
  const [, fw, inC, outC] = shape;
  const out = new Float32Array(py.taps * px.taps * outC * inC);
  let o = 0;
  for (let u = 0; u < py.taps; u++) {
    const ky = py.first + py.stride * (py.taps - 1 - u);
    for (let v = 0; v < px.taps; v++) {
      const base = (ky * fw + px.first + px.stride * (px.taps - 1 - v)) * inC * outC;
      for (let co = 0; co < outC; co++) {
        for (let ci = 0; ci < inC; ci++) out[o++] = w[base + ci * outC + co];
      }
    }
  }
  return out;
}

/** Crops an interleaved [B, M·s, N·s, C] result to the transposed conv's [B, H, W, C]. */
export function cropTo(k: KernelRunner, full: TensorInfo, height: number, width: number): TensorInfo {
  const [b, h, w, c] = full.shape;
  if (h === height && w === width) return full;
  const out = k.run('Slice', { x: full }, { begin: [0, 0, 0, 0], size: [b, height, width, c] });
  k.release(full);
  return out;
}
