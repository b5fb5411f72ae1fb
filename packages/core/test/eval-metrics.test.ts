// The evaluation suite's building blocks against closed forms and hand-computed cases.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  auprc, auroc, createRng, featureStats, fitPca, frechetDistance, latentPath, linearProbeAccuracy, loadMnist, pcaReconstructionError,
  selectExamples, tf, useBackend, type FeatureStats,
} from '@vaelab/core';
import { expectNoLeak } from '@vaelab/core/testing';

beforeAll(async () => {
  await useBackend('wasm');
});

const stats = (mean: number[], covariance: number[][]): FeatureStats => ({
  mean: Float64Array.from(mean), covariance: Float64Array.from(covariance.flat()), dim: mean.length, count: 100,
});

describe('AUROC and AUPRC', () => {
  it('a perfectly separating score gives 1 (0 for AUROC when reversed), whatever the scale', () => {
    const positive = [false, false, true, true];
    expect(auroc([0.1, 0.2, 0.8, 0.9], positive)).toBe(1);
    expect(auprc([0.1, 0.2, 0.8, 0.9], positive)).toBe(1);
    expect(auroc([-5, -4, -100, -200], positive)).toBe(0);
  });

  it('match hand-computed values (scikit-learn\'s: 0.75 and 0.8333)', () => {
    const positive = [false, false, true, true];
    expect(auroc([0.1, 0.4, 0.35, 0.8], positive)).toBeCloseTo(0.75, 12);
    expect(auprc([0.1, 0.4, 0.35, 0.8], positive)).toBeCloseTo(5 / 6, 12);
  });

  it('count ties as one half and enter tied scores together', () => {
    // Pairs (pos, neg): (0.5, 0.5) tie = 1/2, (0.2, 0.5) = 0 → 0.25. AP: {0.5,0.5} P=1/2 ΔR=1/2, then P=2/3 ΔR=1/2.
    expect(auroc([0.5, 0.5, 0.2], [true, false, true])).toBeCloseTo(0.25, 12);
    expect(auprc([0.5, 0.5, 0.2], [true, false, true])).toBeCloseTo(0.25 + 1 / 3, 12);
    expect(auroc([1, 1, 1, 1], [true, false, true, false])).toBe(0.5);
  });

  it('refuse one-class labels, mismatched lengths and non-finite scores', () => {
    expect(() => auroc([1, 2], [true, true])).toThrow('ranking needs both classes, got 2 positives and 0 negatives');
    expect(() => auprc([1, 2, 3], [true, false])).toThrow('3 scores but 2 labels');
    expect(() => auroc([1, Number.NaN], [true, false])).toThrow('score 1 is NaN');
  });
});

describe('Fréchet distance', () => {
  it('is (μ₁ − μ₂)² + (σ₁ − σ₂)² in one dimension', () => {
    expect(frechetDistance(stats([1], [[4]]), stats([-2], [[9]]))).toBeCloseTo(9 + 1, 10);
  });

  it('matches the 2×2 closed form tr√M = √(tr M + 2√det M) for non-commuting, non-diagonal covariances', () => {
    const s1 = [[2, 1], [1, 2]];
    const s2 = [[1, 0], [0, 4]];
    // M = Σ₁^½ Σ₂ Σ₁^½ has tr M = tr(Σ₁Σ₂) = 2·1 + 2·4 = 10 and det M = det Σ₁ · det Σ₂ = 3 · 4.
    const expected = (1 ** 2 + 3 ** 2) + 4 + 5 - 2 * Math.sqrt(10 + 2 * Math.sqrt(12));
    expect(frechetDistance(stats([0, 0], s1), stats([1, 3], s2))).toBeCloseTo(expected, 9);
    expect(frechetDistance(stats([1, 3], s2), stats([0, 0], s1))).toBeCloseTo(expected, 9);
    expect(frechetDistance(stats([1, 3], s2), stats([1, 3], s2))).toBeCloseTo(0, 9);
  });

  it('featureStats gives the sample mean and (n − 1) covariance', () => {
    const s = featureStats([1, 2, 3, 6, 5, 10], 2);
    expect(Array.from(s.mean)).toEqual([3, 6]);
    expect(Array.from(s.covariance)).toEqual([4, 8, 8, 16]);
  });
});

describe('linear probe', () => {
  it('separates well-separated Gaussian blobs and leaks no tensors', async () => {
    const rng = createRng(4);
    const gauss = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
    const make = (n: number) => {
      const labels = Int32Array.from({ length: n }, (_, i) => i % 3);
      const features = Float32Array.from({ length: n * 5 }, (_, i) => (Math.floor(i / 5) % 3 === i % 5 ? 6 : 0) + gauss());
      return { features, labels, dim: 5 };
    };
    const train = make(150);
    const test = make(600);
    expect(await linearProbeAccuracy(train, test, { numClasses: 3 })).toBeGreaterThan(0.99);
    await expectNoLeak(() => linearProbeAccuracy(train, test, { numClasses: 3, steps: 20 }), 'linear probe');
  });

  it('on raw MNIST pixels with 1,000 labels lands where logistic regression is known to (85–90%)', async () => {
    const train = loadMnist('train');
    const test = loadMnist('test');
    const subset = selectExamples(train, Array.from({ length: 1000 }, (_, i) => i));
    const pixels = (d: typeof train) => ({ features: d.images, labels: d.labels, dim: 784 });
    const accuracy = await linearProbeAccuracy(pixels(subset), pixels(test), { numClasses: 10 });
    console.log(`raw-pixel probe, 1,000 labels: ${(100 * accuracy).toFixed(1)}% test accuracy`);
    expect(accuracy).toBeGreaterThan(0.82);
    expect(accuracy).toBeLessThan(0.92);
  });
});

describe('PCA baseline', () => {
  it('reconstructs data lying in a 2-D subspace with 2 components and not with 1, leaking nothing', async () => {
    const rng = createRng(1);
    const d = 16;
    const u = Array.from({ length: d }, (_, i) => (i < 8 ? 1 : 0) / Math.sqrt(8));
    const v = Array.from({ length: d }, (_, i) => (i >= 8 ? 1 : 0) / Math.sqrt(8));
    const n = 300;
    const images = new Float32Array(n * d);
    for (let r = 0; r < n; r++) {
      const a = 3 * (rng() - 0.5);
      const b = rng() - 0.5;
      for (let j = 0; j < d; j++) images[r * d + j] = 0.5 + a * u[j] + b * v[j];
    }
    const data = { name: 'plane', images, labels: new Int32Array(n), inputShape: [4, 4, 1] as [number, number, number], count: n, numClasses: 1 };
    const x = tf.tensor4d(images, [n, 4, 4, 1]);
    for (const [k, small] of [[2, true], [1, false]] as const) {
      const pca = await fitPca(data, k);
      const err = pcaReconstructionError(pca, x);
      const mean = (await tf.mean(err).data())[0];
      if (small) expect(mean).toBeLessThan(1e-8);
      else expect(mean).toBeGreaterThan(0.01);
      await expectNoLeak(() => pcaReconstructionError(pca, x), 'PCA scores');
      err.dispose();
      pca.dispose();
    }
    x.dispose();
  });
});

describe('latent paths', () => {
  it('spherical paths keep the norm between orthogonal codes of equal norm; linear ones cut through the middle', async () => {
    const a = tf.tensor2d([[3, 0, 0]]);
    const b = tf.tensor2d([[0, 3, 0]]);
    const norms = async (kind: 'linear' | 'spherical') => {
      const path = latentPath(a, b, 5, kind);
      const n = await tf.norm(path, 'euclidean', 1).data();
      const ends = await path.data();
      path.dispose();
      expect(Array.from(ends.slice(0, 3))).toEqual([3, 0, 0]);
      expect(Array.from(ends.slice(12)).map((e) => Math.round(e * 1e5) / 1e5)).toEqual([0, 3, 0]);
      return Array.from(n);
    };
    (await norms('spherical')).forEach((n) => expect(n).toBeCloseTo(3, 5));
    expect((await norms('linear'))[2]).toBeCloseTo(3 / Math.SQRT2, 5);
    await expectNoLeak(() => latentPath(a, a, 4, 'spherical'), 'spherical path between equal codes');
    const same = latentPath(a, a, 3, 'spherical');
    expect(Array.from(await same.data()).every(Number.isFinite)).toBe(true);
    tf.dispose([a, b, same]);
  });
});
