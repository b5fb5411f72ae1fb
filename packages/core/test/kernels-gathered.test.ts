// The heap SIMD module's products (tall_at_b, gather_at_b, gather_a_b), with and without fused
// multiply-adds, on a memory of their own against float64 sums in JS: random tables that repeat
// rows and point at a zero row, tiles across and down, row counts that end mid-chunk.
import { describe, expect, it } from 'vitest';
import { maxRelativeError } from '@vaelab/core/testing';
import { heapSimdBytes, heapSimdFusedMultiplyAdd, type HeapSimdExports } from '../src/backend/kernels/heap-simd.js';
import { seededRandom } from './kernel-check.js';

const { randInt, randomValues } = seededRandom(5678);

/** The parts of WebAssembly used here (the ES libs this package compiles against carry no WebAssembly types). */
const { Memory, Module, Instance } = (globalThis as unknown as {
  WebAssembly: {
    Memory: new (d: { initial: number }) => { buffer: ArrayBuffer };
    Module: new (bytes: Uint8Array) => object;
    Instance: new (module: object, imports: object) => { exports: unknown };
  };
}).WebAssembly;

/** A fresh memory with the module on it, and a bump allocator for float32 / int32 arrays. */
function heap(fused: boolean) {
  const memory = new Memory({ initial: 256 });
  const run = new Instance(new Module(heapSimdBytes(false, fused)), { env: { memory } }).exports as HeapSimdExports;
  let next = 64;
  const put = (values: Float32Array | Int32Array) => {
    const at = next;
    next += Math.ceil(values.length / 4) * 16 + 16;
    (values instanceof Int32Array ? new Int32Array(memory.buffer, at, values.length) : new Float32Array(memory.buffer, at, values.length)).set(values);
    return at;
  };
  const read = (at: number, n: number) => new Float32Array(memory.buffer, at, n).slice();
  return { run, put, read };
}

const variants = heapSimdFusedMultiplyAdd() ? [false, true] : [false];

describe.each(variants)('heap SIMD products (fused multiply-add: %s)', (fused) => {
  it('tall_at_b: out = aᵀ·b over tall a, b', () => {
    for (const [rows, m, n] of [[1, 4, 8], [300, 8, 16], [517, 12, 24]]) {
      const h = heap(fused);
      const a = randomValues([rows, m]);
      const b = randomValues([rows, n]);
      const out = h.put(new Float32Array(m * n));
      h.run.tall_at_b(h.put(a), h.put(b), rows, m, n, out);
      const want = new Float64Array(m * n);
      for (let r = 0; r < rows; r++) for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) want[i * n + j] += a[r * m + i] * b[r * n + j];
      expect(maxRelativeError(h.read(out, m * n), Float32Array.from(want)), `${rows}×${m}·${n}`).toBeLessThan(1e-4);
    }
  });

  it('gather_at_b: out[t] = a_tᵀ·b with a_t\'s rows gathered through a table', () => {
    for (const [rows, taps, m, n, pool] of [[5, 1, 4, 8, 3], [300, 4, 8, 16, 40], [600, 3, 12, 24, 700]]) {
      const h = heap(fused);
      const source = randomValues([pool, m]);
      const zero = h.put(new Float32Array(m));
      const sourceAt = h.put(source);
      // Entry -1 is the zero row.
      const picks = Int32Array.from({ length: rows * taps }, () => randInt(-1, pool - 1));
      const table = h.put(picks.map((p) => (p < 0 ? zero : sourceAt + 4 * m * p)));
      const b = randomValues([rows, n]);
      const out = h.put(new Float32Array(taps * m * n));
      h.run.gather_at_b(table, taps, h.put(b), rows, m, n, out);
      const want = new Float64Array(taps * m * n);
      for (let r = 0; r < rows; r++) {
        for (let t = 0; t < taps; t++) {
          const p = picks[r * taps + t];
          if (p < 0) continue;
          for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) want[(t * m + i) * n + j] += source[p * m + i] * b[r * n + j];
        }
      }
      expect(maxRelativeError(h.read(out, taps * m * n), Float32Array.from(want)), `${rows} rows, ${taps} taps`).toBeLessThan(1e-4);
    }
  });

  it('gather_a_b: out_r = Σ_t a_rt·w[t], rows gathered through a table and written through another', () => {
    for (const [rows, taps, k, n, pool] of [[4, 1, 1, 8, 2], [64, 4, 7, 16, 30], [260, 9, 33, 24, 300]]) {
      const h = heap(fused);
      const source = randomValues([pool, k]);
      const zero = h.put(new Float32Array(k));
      const sourceAt = h.put(source);
      const picks = Int32Array.from({ length: rows * taps }, () => randInt(-1, pool - 1));
      const table = h.put(picks.map((p) => (p < 0 ? zero : sourceAt + 4 * k * p)));
      const w = randomValues([taps, k, n]);
      // Output rows in a shuffled order, to check each goes where its entry says.
      const order = Array.from({ length: rows }, (_, r) => r).sort(() => randInt(0, 1) - 0.5);
      const out = h.put(new Float32Array(rows * n));
      h.run.gather_a_b(table, taps, k, h.put(w), 0, h.put(Int32Array.from(order, (o) => out + 4 * n * o)), rows, n);
      const want = new Float64Array(rows * n);
      for (let r = 0; r < rows; r++) {
        for (let t = 0; t < taps; t++) {
          const p = picks[r * taps + t];
          if (p < 0) continue;
          for (let c = 0; c < k; c++) for (let j = 0; j < n; j++) want[order[r] * n + j] += source[p * k + c] * w[(t * k + c) * n + j];
        }
      }
      expect(maxRelativeError(h.read(out, rows * n), Float32Array.from(want)), `${rows} rows, ${taps} taps, k ${k}`).toBeLessThan(1e-4);
    }
  });
});

describe('fused multiply-adds', () => {
  it('are available on this Node (relaxed SIMD, behind a V8 flag on Node 20) unless VAELAB_WASM_FMA=0', () => {
    expect(heapSimdFusedMultiplyAdd()).toBe(process.env.VAELAB_WASM_FMA !== '0');
  });
});
