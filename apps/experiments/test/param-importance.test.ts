// Parameter importance on constructed sweeps whose answer is known: one parameter decides the
// metric and another is noise; categorical values count too; too little data is said, not guessed.
import { describe, expect, it } from 'vitest';
import { parameterImportance } from '../src/dashboard/param-importance.js';

/** A seeded stream of uniform numbers, independent of the module's own. */
function uniform(seed: number): () => number {
  let state = seed;
  return () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
}

describe('parameter importance', () => {
  it('ranks the parameter that decides the metric first, far above noise, and repeats itself', () => {
    const next = uniform(3);
    const trials = Array.from({ length: 60 }, () => {
      const lr = 10 ** (-4 + 3 * next());
      const width = [16, 32, 64, 128][Math.floor(next() * 4)];
      return { params: { 'train.learningRate': lr, hiddenUnits: width, seed: Math.floor(next() * 5) }, value: (Math.log10(lr) + 2.5) ** 2 + 0.01 * next() };
    });
    const result = parameterImportance(trials);
    expect(result.ranking?.map((r) => r.param)).toEqual(['train.learningRate', 'hiddenUnits']); // seed is never a parameter here
    expect(result.ranking![0].importance).toBeGreaterThan(0.9);
    expect(result.ranking!.reduce((s, r) => s + r.importance, 0)).toBeCloseTo(1, 10);
    expect(parameterImportance(trials)).toEqual(result);
  });

  it('counts categorical parameters (strings, objects) by their distinct values', () => {
    const next = uniform(9);
    const kinds = ['ema', 'loss', 'fsq'];
    const trials = Array.from({ length: 45 }, (_, i) => {
      const kind = kinds[i % 3];
      return { params: { quantizer: { kind }, beta: next() }, value: kind === 'fsq' ? 5 : kind === 'ema' ? 1 : 3 };
    });
    expect(parameterImportance(trials).ranking?.[0].param).toBe('quantizer');
  });

  it('says why when it cannot rank', () => {
    expect(parameterImportance([{ params: { a: 1 }, value: 1 }])).toEqual({ ranking: null, reason: 'needs 5 finished trials with the metric, has 1' });
    const same = Array.from({ length: 6 }, (_, i) => ({ params: { a: 1, seed: i }, value: i }));
    expect(parameterImportance(same)).toEqual({ ranking: null, reason: 'no parameter varies between the finished trials' });
  });
});
