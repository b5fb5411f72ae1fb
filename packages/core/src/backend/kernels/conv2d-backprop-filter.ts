// Conv2DBackpropFilter as one forward convolution: with batch and channels swapped,
// dW[kh,kw,ci,co] = conv2d(x^T, dy^T, stride = 1, dilation = original stride) — the standard
// identity that lets the backend's fast Conv2D do the work (missing on WASM, slow on CPU).
import {
  backend_util,
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { kernelRunner } from '../kernel-compose.js';

export function conv2dBackpropFilterConfig(backendName: string): KernelConfig {
  const kernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as Conv2DBackpropFilterAttrs;
    if (dataFormat !== undefined && dataFormat !== 'NHWC') {
      throw new Error(`Conv2DBackpropFilter on ${backendName} supports only NHWC, got ${dataFormat}`);
    }
    const info = backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filterShape,
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    const [batch, height, width, inChannels] = x.shape;
    const { filterHeight, filterWidth, strideHeight, strideWidth, outHeight, outWidth } = info;
    const { top, left } = info.padInfo;
    // Rows/cols past the last window position are never read; crop them instead of padding negatively.
    const bottom = filterHeight + (outHeight - 1) * strideHeight - height - top;
    const right = filterWidth + (outWidth - 1) * strideWidth - width - left;
    const k = kernelRunner(backend as KernelBackend, backendName);

    let xT = k.run('Transpose', { x }, { perm: [3, 1, 2, 0] });
    if (bottom < 0 || right < 0) {
      const cropped = k.run('Slice', { x: xT }, {
        begin: [0, 0, 0, 0],
        size: [inChannels, height + Math.min(bottom, 0), width + Math.min(right, 0), batch],
      });
      k.release(xT);
      xT = cropped;
    }
    const dyT = k.run('Transpose', { x: dy }, { perm: [1, 2, 0, 3] });
    const explicitPad = [[0, 0], [top, Math.max(bottom, 0)], [left, Math.max(right, 0)], [0, 0]];
    const dwT = k.run('Conv2D', { x: xT, filter: dyT }, {
      strides: [1, 1],
      pad: explicitPad as unknown as 'valid',
      dataFormat: 'NHWC',
      dilations: [strideHeight, strideWidth],
      dimRoundingMode: undefined as unknown as 'floor',
    });
    k.release(xT);
    k.release(dyT);
    const dw = k.run('Transpose', { x: dwT }, { perm: [1, 2, 0, 3] });
    k.release(dwT);
    return dw;
  };
  return { kernelName: Conv2DBackpropFilter, backendName, kernelFunc };
}
