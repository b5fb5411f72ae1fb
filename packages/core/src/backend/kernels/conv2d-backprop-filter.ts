// Conv2DBackpropFilter as one forward convolution: with batch and channels swapped,
// dW[kh,kw,ci,co] = conv2d(x^T, dy^T, stride = 1, dilation = original stride) — the standard
// identity that lets the backend's fast Conv2D do the work (missing on WASM, slow on CPU).
// For few input channels (the first layer, a last layer's filter) that conv has a tiny output
// and runs at a fraction of the backend's speed; there im2col + one product is ~3× faster, the
// product on WASM a SIMD loop (heap-simd.wat) because XNNPACK would first pack every patch row.
// On WASM with channels in multiples of 4 in and 8 out, the same loop reads x's pixels in place
// (gathered-conv.ts): no transposes, no im2col, nothing packed.
import {
  backend_util,
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { kernelRunner, type KernelRunner } from '../kernel-compose.js';
import { gatheredConvFilterGradient, gatheredFilterFits } from './gathered-conv.js';
import { heapSimd } from './heap-simd.js';

/** patchesᵀ·dy [size, co] for patches [rows, size] and dy [rows, co] (any layouts with those rows). */
function patchProduct(k: KernelRunner, backend: KernelBackend, backendName: string, patches: TensorInfo, dy: TensorInfo, rows: number, size: number, co: number): TensorInfo {
  if (backendName === 'wasm' && size % 4 === 0 && co % 8 === 0) {
    const simd = heapSimd(backend);
    const out = simd.alloc([size, co]);
    simd.run.tall_at_b(simd.at(patches), simd.at(dy), rows, size, co, simd.at(out));
    return out;
  }
  const a = k.run('Reshape', { x: patches }, { shape: [1, rows, size] });
  const b = k.run('Reshape', { x: dy }, { shape: [1, rows, co] });
  const product = k.run('BatchMatMul', { a, b }, { transposeA: true, transposeB: false });
  k.release(a);
  k.release(b);
  return product;
}

/**
 * dW = patches(x)ᵀ · dy, with patches extracted by a conv with an identity filter (as cheap as
 * the product when kh·kw·ci ≤ co, which is when this path is used).
 */
function viaPatches(
  k: KernelRunner, backend: KernelBackend, backendName: string, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo, filterShape: number[],
): TensorInfo {
  const [kh, kw, ci, co] = filterShape;
  const size = kh * kw * ci;
  const eye = new Float32Array(size * size);
  for (let i = 0; i < size; i++) eye[i * size + i] = 1;
  const identity = k.write(eye, [kh, kw, ci, size]);
  const { top, bottom, left, right } = info.padInfo;
  const patches = k.conv2d(x, identity, [[top, bottom], [left, right]], { strides: [info.strideHeight, info.strideWidth] });
  const product = patchProduct(k, backend, backendName, patches, dy, info.batchSize * info.outHeight * info.outWidth, size, co);
  const dw = k.run('Reshape', { x: product }, { shape: filterShape });
  for (const t of [identity, patches, product]) k.release(t);
  return dw;
}

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
    const [, , , outChannels] = filterShape;
    // A 1×1 stride-1 filter's gradient is one product of x and dy as they lie.
    if (filterHeight === 1 && filterWidth === 1 && strideHeight === 1 && strideWidth === 1 && outHeight === height && outWidth === width) {
      const product = patchProduct(k, backend as KernelBackend, backendName, x, dy, batch * height * width, inChannels, outChannels);
      const dw = k.run('Reshape', { x: product }, { shape: filterShape });
      k.release(product);
      return dw;
    }
    if (backendName === 'wasm' && gatheredFilterFits(inChannels, outChannels)) return gatheredConvFilterGradient(backend as KernelBackend, x, dy, info, filterShape);
    if (filterHeight * filterWidth * inChannels <= outChannels) return viaPatches(k, backend as KernelBackend, backendName, x, dy, info, filterShape);

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
    const dwT = k.conv2d(xT, dyT, [[top, Math.max(bottom, 0)], [left, Math.max(right, 0)]], { dilations: [strideHeight, strideWidth] });
    k.release(xT);
    k.release(dyT);
    const dw = k.run('Transpose', { x: dwT }, { perm: [1, 2, 0, 3] });
    k.release(dwT);
    return dw;
  };
  return { kernelName: Conv2DBackpropFilter, backendName, kernelFunc };
}
