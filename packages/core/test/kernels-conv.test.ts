// Our convolution gradient kernels against tfjs's stock CPU kernels on many shapes, strides and paddings.
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '@vaelab/core';
import { maxRelativeError } from '@vaelab/core/testing';
import { on, seededRandom, startBothBackends, stockCpu } from './kernel-check.js';

const { randInt, randomValues } = seededRandom(1234);

beforeAll(startBothBackends);

interface ConvCase {
  batch: number; h: number; w: number; inC: number; outC: number; k: number; stride: number;
  pad: 'same' | 'valid' | number;
}

function randomConvCases(n: number): ConvCase[] {
  const pads: ConvCase['pad'][] = ['same', 'valid', 0, 1, 2];
  return Array.from({ length: n }, () => {
    const k = randInt(1, 5);
    const stride = randInt(1, 3);
    return { batch: randInt(1, 4), h: randInt(k, 13), w: randInt(k, 13), inC: randInt(1, 5), outC: randInt(1, 6), k, stride, pad: pads[randInt(0, pads.length - 1)] };
  });
}

describe('Conv2DBackpropFilter', () => {
  // Random cases, plus the im2col path's (kh·kw·inC ≤ outC): a first layer and odd strides/pads,
  // and on WASM its SIMD product's tiles (kh·kw·inC a multiple of 4, outC of 8), several of them
  // across and down, over row counts that end mid-chunk.
  const cases: ConvCase[] = [
    ...randomConvCases(40),
    { batch: 3, h: 28, w: 28, inC: 1, outC: 32, k: 4, stride: 2, pad: 'same' },
    { batch: 2, h: 9, w: 7, inC: 1, outC: 6, k: 2, stride: 1, pad: 'valid' },
    { batch: 2, h: 8, w: 11, inC: 3, outC: 5, k: 1, stride: 3, pad: 1 },
    { batch: 1, h: 13, w: 10, inC: 1, outC: 9, k: 3, stride: 2, pad: 2 },
    { batch: 2, h: 23, w: 23, inC: 2, outC: 16, k: 2, stride: 1, pad: 'valid' },
    { batch: 5, h: 6, w: 9, inC: 1, outC: 8, k: 2, stride: 1, pad: 'same' },
    // 1×1 stride-1 filters are one product of x and dy: SIMD-tiled on WASM, and not.
    { batch: 3, h: 7, w: 7, inC: 64, outC: 16, k: 1, stride: 1, pad: 'same' },
    { batch: 2, h: 5, w: 3, inC: 6, outC: 3, k: 1, stride: 1, pad: 'valid' },
    // Channels in multiples of 4 in and 8 out: on WASM x's pixels read in place per filter tap,
    // with padding on every side, strides 1-3, several tiles across and down, and more rows than
    // one 256-row chunk (ending mid-chunk).
    { batch: 3, h: 14, w: 14, inC: 8, outC: 16, k: 4, stride: 2, pad: 'same' },
    { batch: 2, h: 9, w: 11, inC: 4, outC: 8, k: 3, stride: 1, pad: 2 },
    { batch: 4, h: 12, w: 10, inC: 12, outC: 24, k: 5, stride: 3, pad: 'valid' },
    { batch: 3, h: 7, w: 7, inC: 4, outC: 8, k: 2, stride: 2, pad: 1 },
  ];
  it.each(['wasm', 'cpu'])(`%s matches the stock CPU kernel on ${cases.length} shapes, strides and paddings`, async (backend) => {
    for (const c of cases) {
      const x = tf.tensor4d(randomValues([c.batch, c.h, c.w, c.inC]), [c.batch, c.h, c.w, c.inC]);
      const filterShape: [number, number, number, number] = [c.k, c.k, c.inC, c.outC];
      const outShape = await on('cpu', () => tf.conv2d(x, tf.zeros(filterShape) as tf.Tensor4D, c.stride, c.pad).shape);
      const dy = tf.tensor4d(randomValues(outShape), outShape);
      const attrs = { strides: [c.stride, c.stride], pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape };
      const want = await stockCpu('Conv2DBackpropFilter', { x, dy }, attrs);
      const got = await on(backend, () => tf.tidy(() => {
        const f = (filter: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(tf.clone(x), filter as tf.Tensor4D, c.stride, c.pad), tf.clone(dy)));
        return tf.grad(f)(tf.zeros(filterShape)).dataSync().slice();
      }));
      expect(got.length, JSON.stringify(c)).toBe(want.length);
      expect(maxRelativeError(got, want), JSON.stringify(c)).toBeLessThan(1e-4);
      tf.dispose([x, dy]);
    }
  });
});

describe('Conv2DBackpropInput', () => {
  // Random cases, plus shapes for the matmul + overlap-add path (≤ 2 output channels): a
  // decoder's last layer, a filter smaller than the stride (phases with no tap), odd sizes.
  const cases: ConvCase[] = [
    ...randomConvCases(40),
    { batch: 3, h: 28, w: 28, inC: 1, outC: 32, k: 4, stride: 2, pad: 'same' },
    { batch: 2, h: 11, w: 9, inC: 2, outC: 3, k: 2, stride: 3, pad: 'valid' },
    { batch: 2, h: 7, w: 10, inC: 1, outC: 4, k: 1, stride: 2, pad: 0 },
    { batch: 1, h: 13, w: 12, inC: 2, outC: 5, k: 5, stride: 2, pad: 2 },
    // dx channels in multiples of 8: on WASM one product per phase over gathered rows of dy,
    // strides 1-3, uneven phases, a filter smaller than the stride, rows not a multiple of 4.
    { batch: 3, h: 14, w: 14, inC: 32, outC: 16, k: 4, stride: 2, pad: 'same' },
    { batch: 2, h: 9, w: 11, inC: 8, outC: 3, k: 3, stride: 1, pad: 2 },
    { batch: 2, h: 13, w: 10, inC: 16, outC: 5, k: 5, stride: 3, pad: 'valid' },
    { batch: 1, h: 7, w: 9, inC: 8, outC: 4, k: 2, stride: 3, pad: 0 },
    { batch: 3, h: 7, w: 7, inC: 8, outC: 8, k: 4, stride: 2, pad: 1 },
  ];
  it.each(['wasm', 'cpu'])(`%s matches the stock CPU kernel on ${cases.length} shapes, strides and paddings`, async (backend) => {
    for (const c of cases) {
      const xShape: [number, number, number, number] = [c.batch, c.h, c.w, c.inC];
      const filterShape: [number, number, number, number] = [c.k, c.k, c.inC, c.outC];
      const filter = tf.tensor4d(randomValues(filterShape), filterShape);
      const outShape = await on('cpu', () => tf.conv2d(tf.zeros(xShape) as tf.Tensor4D, filter, c.stride, c.pad).shape);
      const dy = tf.tensor4d(randomValues(outShape), outShape);
      const attrs = { strides: [c.stride, c.stride], pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: undefined, inputShape: xShape };
      const want = await stockCpu('Conv2DBackpropInput', { dy, filter }, attrs);
      const got = await on(backend, () => tf.tidy(() => tf.conv2dTranspose(tf.clone(dy), tf.clone(filter), xShape, c.stride, c.pad).dataSync().slice()));
      expect(got.length, JSON.stringify(c)).toBe(want.length);
      expect(maxRelativeError(got, want), JSON.stringify(c)).toBeLessThan(1e-4);
      tf.dispose([filter, dy]);
    }
  });
});

describe('Conv2D (wasm)', () => {
  // Output channels in multiples of 8 and ≥ 4 input channels take the product over gathered rows;
  // the rest stay on XNNPACK. Strides, dilations, every padding, rows not a multiple of 4.
  const cases: (ConvCase & { dilation: number })[] = [
    { batch: 3, h: 14, w: 14, inC: 32, outC: 64, k: 4, stride: 2, pad: 'same', dilation: 1 },
    { batch: 2, h: 9, w: 11, inC: 4, outC: 8, k: 3, stride: 1, pad: 2, dilation: 1 },
    { batch: 1, h: 13, w: 10, inC: 12, outC: 16, k: 5, stride: 3, pad: 'valid', dilation: 1 },
    { batch: 2, h: 11, w: 11, inC: 8, outC: 8, k: 3, stride: 1, pad: 'same', dilation: 2 },
    { batch: 3, h: 7, w: 7, inC: 5, outC: 24, k: 1, stride: 1, pad: 'valid', dilation: 1 },
    { batch: 2, h: 8, w: 8, inC: 1, outC: 8, k: 3, stride: 2, pad: 'same', dilation: 1 },
    { batch: 2, h: 8, w: 8, inC: 6, outC: 5, k: 3, stride: 1, pad: 'same', dilation: 1 },
  ];
  it(`matches the stock CPU kernel on ${cases.length} shapes, strides, dilations and paddings`, async () => {
    for (const c of cases) {
      const x = tf.tensor4d(randomValues([c.batch, c.h, c.w, c.inC]), [c.batch, c.h, c.w, c.inC]);
      const filterShape: [number, number, number, number] = [c.k, c.k, c.inC, c.outC];
      const filter = tf.tensor4d(randomValues(filterShape), filterShape);
      const attrs = { strides: [c.stride, c.stride], pad: c.pad, dataFormat: 'NHWC', dilations: [c.dilation, c.dilation], dimRoundingMode: undefined };
      const want = await stockCpu('Conv2D', { x, filter }, attrs);
      const got = await on('wasm', () => tf.tidy(() => tf.conv2d(tf.clone(x), tf.clone(filter), c.stride, c.pad, 'NHWC', c.dilation).dataSync().slice()));
      expect(got.length, JSON.stringify(c)).toBe(want.length);
      expect(maxRelativeError(got, want), JSON.stringify(c)).toBeLessThan(1e-4);
      tf.dispose([x, filter]);
    }
  });
});
