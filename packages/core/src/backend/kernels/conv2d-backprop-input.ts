// Conv2DBackpropInput (transposed-conv forward, conv input gradient) as one stride-1 Conv2D:
// insert stride−1 zeros between dy's rows and columns, then correlate with the spatially
// flipped filter with in/out channels swapped (Dumoulin & Visin 2016, §4). Replaces WASM's
// naive loop with the backend's fast convolution.
import {
  backend_util, Conv2DBackpropInput, type Conv2DBackpropInputAttrs, type KernelBackend, type KernelConfig, type KernelFunc, type TensorInfo,
} from '@tensorflow/tfjs-core';
import { kernelRunner, type KernelRunner } from '../kernel-compose.js';

/** [B, H, W, C] → [B, (H−1)·sh+1, (W−1)·sw+1, C] with zeros between the original entries. */
function insertZeros(k: KernelRunner, dy: TensorInfo, sh: number, sw: number): TensorInfo {
  // Same-shape reshape: an owned, ref-counted view of dy, no copy.
  if (sh === 1 && sw === 1) return k.run('Reshape', { x: dy }, { shape: dy.shape });
  const [b, h, w, c] = dy.shape;
  const expanded = k.run('Reshape', { x: dy }, { shape: [b, h, 1, w, 1, c] });
  const padded = k.run('PadV2', { x: expanded }, { paddings: [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]], constantValue: 0 });
  const flat = k.run('Reshape', { x: padded }, { shape: [b, h * sh, w * sw, c] });
  const out = k.run('Slice', { x: flat }, { begin: [0, 0, 0, 0], size: [b, (h - 1) * sh + 1, (w - 1) * sw + 1, c] });
  for (const t of [expanded, padded, flat]) k.release(t);
  return out;
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
    const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw, inHeight, inWidth } = info;
    const k = kernelRunner(backend as KernelBackend, backendName);

    let spread = insertZeros(k, dy, sh, sw);
    const [, hd, wd] = spread.shape;
    const top = fh - 1 - info.padInfo.top;
    const left = fw - 1 - info.padInfo.left;
    const bottom = inHeight + fh - 1 - hd - top;
    const right = inWidth + fw - 1 - wd - left;
    // Negative padding means the window never reaches those rows/cols: crop them instead.
    if (top < 0 || left < 0 || bottom < 0 || right < 0) {
      const cropped = k.run('Slice', { x: spread }, {
        begin: [0, Math.max(-top, 0), Math.max(-left, 0), 0],
        size: [spread.shape[0], hd - Math.max(-top, 0) - Math.max(-bottom, 0), wd - Math.max(-left, 0) - Math.max(-right, 0), spread.shape[3]],
      });
      k.release(spread);
      spread = cropped;
    }
    const flipped = k.run('Reverse', { x: filter }, { dims: [0, 1] });
    const swapped = k.run('Transpose', { x: flipped }, { perm: [0, 1, 3, 2] });
    k.release(flipped);
    const dx = k.run('Conv2D', { x: spread, filter: swapped }, {
      strides: [1, 1],
      pad: [[0, 0], [Math.max(top, 0), Math.max(bottom, 0)], [Math.max(left, 0), Math.max(right, 0)], [0, 0]] as unknown as 'valid',
      dataFormat: 'NHWC',
      dilations: [1, 1],
      dimRoundingMode: undefined as unknown as 'floor',
    });
    k.release(spread);
    k.release(swapped);
    return dx;
  };
  return { kernelName: Conv2DBackpropInput, backendName, kernelFunc };
}
