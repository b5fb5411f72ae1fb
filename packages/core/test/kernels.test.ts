// Our kernels against tfjs's stock CPU kernels on random shapes, strides and paddings.
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { Adam, createRng, maxRelativeError, stockKernel, tf, useBackend } from '@vaelab/core';
import { outerInnerSwap } from '../src/backend/kernels/transpose.js';

const rng = createRng(1234);
const randInt = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
/** Values from their own seed, so two backends see the same numbers. */
const randomValuesSeeded = (shape: number[], seed: number) => {
  const r = createRng(seed);
  return Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => r() * 2 - 1);
};
const randomValues = (shape: number[]) => Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng() * 2 - 1);

/** Runs a stock CPU kernel directly on plain arrays. */
async function stockCpu(kernelName: string, inputs: Record<string, tf.Tensor>, attrs: object): Promise<Float32Array> {
  await tf.setBackend('cpu');
  const kernel = stockKernel(kernelName, 'cpu');
  if (kernel == null) throw new Error(`cpu has no stock ${kernelName}`);
  const cpuInputs = Object.fromEntries(Object.entries(inputs).map(([k, t]) => [k, tf.tensor(t.dataSync(), t.shape, t.dtype)]));
  const info = kernel({ inputs: cpuInputs, backend: tf.backend(), attrs: attrs as never }) as tf.TensorInfo;
  const out = tf.engine().makeTensorFromTensorInfo(info);
  const values = out.dataSync().slice() as Float32Array;
  out.dispose();
  tf.dispose(Object.values(cpuInputs));
  return values;
}

async function on<T>(backend: string, fn: () => T): Promise<T> {
  await tf.setBackend(backend);
  return fn();
}

beforeAll(async () => {
  await useBackend('cpu');
  await useBackend('wasm');
});

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
  // Random cases, plus the im2col path's (kh·kw·inC ≤ outC): a first layer and odd strides/pads.
  const cases: ConvCase[] = [
    ...randomConvCases(40),
    { batch: 3, h: 28, w: 28, inC: 1, outC: 32, k: 4, stride: 2, pad: 'same' },
    { batch: 2, h: 9, w: 7, inC: 1, outC: 6, k: 2, stride: 1, pad: 'valid' },
    { batch: 2, h: 8, w: 11, inC: 3, outC: 5, k: 1, stride: 3, pad: 1 },
    { batch: 1, h: 13, w: 10, inC: 1, outC: 9, k: 3, stride: 2, pad: 2 },
  ];
  it.each(['wasm', 'cpu'])('%s matches the stock CPU kernel on 44 shapes, strides and paddings', async (backend) => {
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
  // Random cases, plus shapes for the one-conv-for-all-phases path (≤ 2 output channels): a
  // decoder's last layer, a filter smaller than the stride (phases with no tap), odd sizes.
  const cases: ConvCase[] = [
    ...randomConvCases(40),
    { batch: 3, h: 28, w: 28, inC: 1, outC: 32, k: 4, stride: 2, pad: 'same' },
    { batch: 2, h: 11, w: 9, inC: 2, outC: 3, k: 2, stride: 3, pad: 'valid' },
    { batch: 2, h: 7, w: 10, inC: 1, outC: 4, k: 1, stride: 2, pad: 0 },
    { batch: 1, h: 13, w: 12, inC: 2, outC: 5, k: 5, stride: 2, pad: 2 },
  ];
  it.each(['wasm', 'cpu'])('%s matches the stock CPU kernel on 44 shapes, strides and paddings', async (backend) => {
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

describe('BatchMatMul with transposes (wasm)', () => {
  // Random sizes, plus a wide-B and a wide-A product so both operand orders the kernel picks
  // between (transpose and pack B, or compute (B·Aᵀ)ᵀ) are taken.
  const sizes = () => [[randInt(1, 9), randInt(1, 9), randInt(1, 9)], [2, 8, 9], [9, 2, 2]];
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

describe('fused Adam update (wasm)', () => {
  it('gives the same bits as the op-by-op update on the CPU backend, over several steps and odd sizes', async () => {
    const shapes = [[7], [3, 5], [64, 33]];
    const run = async (backend: string) => {
      await tf.setBackend(backend);
      const params = shapes.map((s, i) => tf.variable(tf.tensor(randomValuesSeeded(s, 10 + i), s), true, `adam-test-${backend}-${i}`));
      const adam = new Adam({ learningRate: 0.01 });
      for (let step = 0; step < 5; step++) {
        const grads = shapes.map((s, i) => tf.tensor(randomValuesSeeded(s, 100 * step + i), s));
        adam.apply(params.map((p, i) => [`p${i}`, p]), grads);
        tf.dispose(grads);
      }
      const out = params.map((p) => Array.from(p.dataSync()));
      const moments = [...adam.stateTensors().values()].map((t) => Array.from(t.dataSync()));
      adam.dispose();
      tf.dispose(params);
      return { out, moments };
    };
    expect(tf.getKernel('VaeLabAdamUpdate', 'wasm')).toBeDefined();
    expect(tf.getKernel('VaeLabAdamUpdate', 'cpu')).toBeUndefined();
    const cpu = await run('cpu');
    const wasm = await run('wasm');
    expect(wasm.out).toEqual(cpu.out);
    expect(wasm.moments).toEqual(cpu.moments);
  });

  it('is compiled from the committed adam-update.wat (the generated bytes are up to date)', async () => {
    const { compileHeapSimd } = await import('../scripts/compile-wat.mjs');
    const committed = readFileSync(new URL('../src/backend/kernels/heap-simd-wasm.ts', import.meta.url), 'utf8');
    expect(await compileHeapSimd()).toBe(committed);
  });
});

describe('Sum over leading axes (wasm)', () => {
  it('matches the stock CPU kernel for leading, other and all axes, keepDims, odd widths', async () => {
    const cases: [number[], number[]][] = [
      [[128, 14, 14, 32], [0, 1, 2]], [[5, 7], [0]], [[3, 4, 9], [0, 1]], [[6, 5, 3], [-3, -2]],
      [[2, 3, 4], [1]], [[2, 3, 4], [0, 2]], [[4, 6], [0, 1]], [[9, 1], [0]],
    ];
    for (const [shape, axis] of cases) {
      for (const keepDims of [false, true]) {
        const x = tf.tensor(randomValues(shape), shape);
        const want = await stockCpu('Sum', { x }, { axis, keepDims });
        // Float32 sums in different orders differ by up to ~n·ε·Σ|x|: bound each by its Σ|x|.
        const magnitude = await stockCpu('Sum', { x: tf.abs(x) }, { axis, keepDims });
        const got = await on('wasm', () => tf.sum(x, axis, keepDims));
        const label = JSON.stringify({ shape, axis, keepDims });
        expect(got.shape, label).toEqual(tf.tidy(() => tf.sum(tf.zeros(shape), axis, keepDims).shape));
        const values = got.dataSync();
        const worst = Math.max(...Array.from(values, (v, i) => Math.abs(v - want[i]) / Math.max(magnitude[i], 1e-6)));
        expect(worst, label).toBeLessThan(1e-5);
        tf.dispose([x, got]);
      }
    }
  });
});

describe('Transpose (wasm)', () => {
  const permutations = (n: number): number[][] =>
    n === 0 ? [[]] : permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));

  it('matches the stock CPU kernel for every permutation up to rank 4, size-1 axes, odd sizes and int32', async () => {
    let swaps = 0;
    for (let rank = 1; rank <= 4; rank++) {
      for (const perm of permutations(rank)) {
        for (const dtype of ['float32', 'int32'] as const) {
          const shape = Array.from({ length: rank }, () => randInt(1, 7));
          const values = randomValues(shape).map((v) => (dtype === 'int32' ? Math.round(v * 1000) : v));
          const x = tf.tensor(values, shape, dtype);
          const want = await stockCpu('Transpose', { x }, { perm });
          const got = await on('wasm', () => tf.transpose(x, perm));
          const label = JSON.stringify({ shape, perm, dtype });
          expect(got.shape, label).toEqual(perm.map((axis) => shape[axis]));
          expect(Array.from(got.dataSync()), label).toEqual(Array.from(want));
          if (outerInnerSwap(shape, perm) != null) swaps++;
          tf.dispose([x, got]);
        }
      }
    }
    expect(swaps).toBeGreaterThan(20); // the SIMD path really ran
  });

  it('takes the SIMD path for the shapes training uses, 4×4 blocks and edges alike', async () => {
    for (const [shape, perm] of [[[128, 14, 14, 32], [3, 1, 2, 0]], [[1, 130, 787], [0, 2, 1]], [[9, 3, 1, 6], [3, 1, 2, 0]]] as const) {
      expect(outerInnerSwap([...shape], [...perm])).not.toBeNull();
      const x = tf.tensor(randomValues([...shape]), [...shape]);
      const want = await stockCpu('Transpose', { x }, { perm });
      const got = await on('wasm', () => tf.transpose(x, [...perm]));
      // Large: count mismatches rather than diff 800k-element arrays.
      const values = got.dataSync();
      expect(values.length).toBe(want.length);
      expect(values.filter((v, i) => v !== want[i]).length, JSON.stringify(shape)).toBe(0);
      tf.dispose([x, got]);
    }
  });
});
