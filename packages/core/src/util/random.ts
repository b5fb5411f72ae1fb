// Seeded randomness: a small PRNG for data order and a mixer that derives independent
// per-purpose seeds (epoch shuffles, per-step noise) from one config `seed`.

/**
 * Mixes integers into one 32-bit seed (splitmix-style avalanche), stable across platforms. Never
 * 0: tfjs's randomNormal treats a seed of 0 as "no seed" and draws differently every call.
 */
export function deriveSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    h = Math.imul(h ^ (part >>> 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    h = (h + 0x7f4a7c15) | 0;
  }
  return h >>> 0 || 0x9e3779b9;
}

/** mulberry32: fast, good enough for shuffles and sampling; returns floats in [0, 1). */
export function createRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A permutation of 0..n-1 (Fisher–Yates) determined by the seed. */
export function shuffledIndices(n: number, seed: number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const rng = createRng(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const tmp = order[i];
    order[i] = order[j];
    order[j] = tmp;
  }
  return order;
}

/** Streams of draws a user's seed feeds besides training (so seed 0 is a seed like any other). */
export const SAMPLE_STREAM = 3;
