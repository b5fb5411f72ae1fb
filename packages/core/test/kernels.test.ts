// Our matmul, gather, segment-sum and one-hot kernels against tfjs's stock CPU kernels.
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '@vaelab/core';
import { maxRelativeError, swapIsCheaper } from '@vaelab/core/testing';
import { on, seededRandom, startBothBackends, stockCpu } from './kernel-check.js';

const { randInt, randomValues } = seededRandom(2345);

beforeAll(startBothBackends);

describe('BatchMatMul with transposes (wasm)', () => {
  // Random sizes, plus a wide-B and a wide-A product so both operand orders the kernel picks
  // between (transpose and pack B, or compute (B·Aᵀ)ᵀ) are taken, and products whose columns fit
  // the heap products' tiles (rows a multiple of 4 or not, past one 4-row tile).
  const sizes = () => [[randInt(1, 9), randInt(1, 9), randInt(1, 9)], [2, 8, 9], [9, 2, 2], [5, 7, 16], [8, 33, 24], [13, 3, 8]];
  it('matches the stock CPU kernel for every transpose combination, batch rank and operand order', async () => {
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]]) {
      for (const [batchDims, [m, k, n]] of [[], [3], [2, 2]].flatMap((dims) => sizes().map((mkn) => [dims, mkn] as const))) {
        const aShape = [...batchDims, ...(ta ? [k, m] : [m, k])];
        const bShape = [...batchDims, ...(tb ? [n, k] : [k, n])];
        const a = tf.tensor(randomValues(aShape), aShape);
        const b = tf.tensor(randomValues(bShape), bShape);
        const want = await stockCpu('BatchMatMul', { a: tf.reshape(a, [-1, ...aShape.slice(-2)]), b: tf.reshape(b, [-1, ...bShape.slice(-2)]) }, { transposeA: ta, transposeB: tb });
        const got = await on('wasm', () => tf.matMul(a, b, ta, tb).dataSync().slice());
        expect(maxRelativeError(got, want), `ta=${ta} tb=${tb} batch=${batchDims}`).toBeLessThan(1e-5);
      }
    }
  });

  it('packs the smaller operand unless the swapped product is much larger: a narrow batch against a wide layer is computed swapped, a wide batch or a thin layer directly', () => {
    const info = (shape: number[]) => ({ dataId: {}, shape, dtype: 'float32' as const });
    expect(swapIsCheaper(info([128, 784]), info([784, 400]), false, false)).toBe(true);
    expect(swapIsCheaper(info([4096, 784]), info([784, 16]), false, false)).toBe(false);
    // A thin B with a wide product: packing 16×3136 is cheaper than transposing the 128×3136 result.
    expect(swapIsCheaper(info([128, 16]), info([16, 3136]), false, false)).toBe(false);
    expect(swapIsCheaper(info([1, 128, 400]), info([1, 128, 784]), true, false)).toBe(false);
  });
});

describe('_FusedMatMul (wasm)', () => {
  it('matches the stock CPU kernel for both operand orders, the heap products, transposes, with and without bias, for each activation', async () => {
    for (const activation of ['linear', 'relu', 'sigmoid', 'elu', 'relu6'] as const) {
      for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]]) {
        for (const [m, k, n] of [[2, 8, 9], [9, 2, 2], [randInt(1, 9), randInt(1, 9), randInt(1, 9)], [5, 7, 16], [8, 33, 24]]) {
          for (const withBias of [true, false]) {
            const aShape = [1, ...(ta ? [k, m] : [m, k])];
            const bShape = [1, ...(tb ? [n, k] : [k, n])];
            const a = tf.tensor(randomValues(aShape), aShape);
            const b = tf.tensor(randomValues(bShape), bShape);
            const bias = withBias ? tf.tensor(randomValues([n]), [n]) : undefined;
            const attrs = { transposeA: ta, transposeB: tb, activation, leakyreluAlpha: 0 };
            const want = await stockCpu('_FusedMatMul', bias ? { a, b, bias } : { a, b }, attrs);
            const got = await on('wasm', () => tf.fused.matMul({ a: a as tf.Tensor3D, b: b as tf.Tensor3D, bias, transposeA: ta, transposeB: tb, activation }).dataSync().slice());
            expect(maxRelativeError(got, want), `${activation} ta=${ta} tb=${tb} ${m}x${k}x${n} bias=${withBias}`).toBeLessThan(1e-5);
          }
        }
      }
    }
  });
});

describe('Identity (wasm)', () => {
  it('shares the data instead of copying it, and each reference outlives the other', async () => {
    await tf.setBackend('wasm');
    const values = randomValues([64, 33]);
    const counts = () => ({ tensors: tf.memory().numTensors, buffers: tf.memory().numDataBuffers, data: tf.engine().backend.numDataIds() });
    const before = counts();
    const a = tf.tensor(values, [64, 33]);
    const b = tf.clone(a);
    expect(counts()).toEqual({ tensors: before.tensors + 2, buffers: before.buffers + 1, data: before.data + 1 });
    a.dispose();
    expect(Array.from(b.dataSync())).toEqual(Array.from(values));
    const c = tf.clone(b);
    b.dispose();
    expect(Array.from(c.dataSync())).toEqual(Array.from(values));
    c.dispose();
    expect(counts()).toEqual(before);
  });
});

describe('UnsortedSegmentSum (wasm)', () => {
  it('matches the stock CPU kernel, including out-of-range ids, and drives gather gradients', async () => {
    for (let t = 0; t < 10; t++) {
      const rows = randInt(1, 20), cols = randInt(1, 6), numSegments = randInt(1, 8);
      const x = tf.tensor2d(randomValues([rows, cols]), [rows, cols]);
      const ids = tf.tensor1d(Array.from({ length: rows }, () => randInt(-1, numSegments)), 'int32');
      const want = await stockCpu('UnsortedSegmentSum', { x, segmentIds: ids }, { numSegments });
      const got = await on('wasm', () => tf.unsortedSegmentSum(x, ids, numSegments).dataSync().slice());
      expect(maxRelativeError(got, want)).toBeLessThan(1e-5);
    }
    const table = tf.tensor2d(randomValues([5, 3]), [5, 3]);
    const idx = tf.tensor1d([0, 3, 3, 4, 0, 0], 'int32');
    const grad = await on('wasm', () => tf.grad((t: tf.Tensor) => tf.sum(tf.gather(t, idx)))(table).arraySync());
    expect(grad).toEqual([[3, 3, 3], [0, 0, 0], [0, 0, 0], [2, 2, 2], [1, 1, 1]]);
  });
});

describe('OneHot (wasm)', () => {
  it('matches the stock CPU kernel for float32 and int32, with out-of-range indices and other on/off values', async () => {
    for (const [dtype, onValue, offValue] of [['float32', 1, 0], ['float32', 0.9, 0.1], ['int32', 1, 0], ['int32', 5, -2]] as const) {
      const depth = randInt(2, 9);
      const indices = tf.tensor2d(Array.from({ length: 12 }, () => randInt(-1, depth)), [3, 4], 'int32');
      const want = await stockCpu('OneHot', { indices }, { dtype, depth, onValue, offValue });
      const got = await on('wasm', () => tf.oneHot(indices, depth, onValue, offValue, dtype));
      expect(got.dtype).toBe(dtype);
      expect(got.shape).toEqual([3, 4, depth]);
      expect(Array.from(got.dataSync())).toEqual(Array.from(want));
    }
  });
});

describe('GatherV2 (wasm)', () => {
  it('matches the stock CPU kernel on random axes (negative too), index ranks and dtypes', async () => {
    for (let t = 0; t < 20; t++) {
      const rank = randInt(1, 4);
      const shape = Array.from({ length: rank }, () => randInt(1, 5));
      const axis = randInt(-rank, rank - 1);
      const dim = shape[axis < 0 ? axis + rank : axis];
      const indexShape = Array.from({ length: randInt(1, 2) }, () => randInt(1, 4));
      const dtype = t % 3 === 0 ? 'int32' : 'float32';
      const x = tf.tensor(dtype === 'int32' ? randomValues(shape).map((v) => Math.round(v * 100)) : randomValues(shape), shape, dtype);
      const indices = tf.tensor(Array.from({ length: indexShape.reduce((a, b) => a * b, 1) }, () => randInt(0, dim - 1)), indexShape, 'int32');
      const attrs = { axis, batchDims: 0 };
      const want = await stockCpu('GatherV2', { x, indices }, attrs);
      const got = await on('wasm', () => tf.gather(x, indices, axis));
      const label = JSON.stringify({ shape, axis, indexShape, dtype });
      expect(got.dtype, label).toBe(dtype);
      expect(Array.from(got.dataSync()), label).toEqual(Array.from(want));
      tf.dispose([x, indices, got]);
    }
  });

  it('rejects an out-of-range index, as the CPU backend does', async () => {
    const x = tf.tensor2d([[1, 2], [3, 4]]);
    const bad = tf.tensor1d([0, 2], 'int32');
    await on('wasm', () => expect(() => tf.gather(x, bad)).toThrow(/index value 2 is not in \[0, 1\]/));
    tf.dispose([x, bad]);
  });
});
