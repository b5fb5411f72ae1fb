import { beforeAll, describe, expect, it } from 'vitest';
import { createVae, disposeBatch, freeBitsKl, generateShapes, klWeightAt, makeBatch, tf, useBackend, vaeLoss } from '@vaelab/core';
import { betaVaeLoss, capacityAt, createBetaVae, parseBetaVaeConfig } from '@vaelab/beta-vae';

beforeAll(async () => {
  await useBackend('cpu');
});

const rec = () => tf.tensor1d([10, 20]);
const kl = () => tf.tensor1d([3, 5]);
const value = (t: tf.Tensor) => t.dataSync()[0];

describe('β-VAE objectives', () => {
  it('β = 1 is exactly the plain VAE loss, and the β-VAE model equals the VAE with the same seed', () => {
    const a = betaVaeLoss(rec(), kl(), { kind: 'beta', beta: 1 }, 0);
    const b = vaeLoss(rec(), kl(), 1);
    expect(value(a.total)).toBe(value(b.total));
    expect(value(a.parts.kl)).toBe(value(b.parts.kl));
    const data = generateShapes({ count: 4, size: 16, seed: 2 });
    const batch = makeBatch(data, [0, 1, 2, 3]);
    const config = { inputShape: [16, 16, 1], latentDim: 3, architecture: { kind: 'mlp', hiddenUnits: [8] }, seed: 4 };
    const beta = createBetaVae({ ...config, objective: { kind: 'beta', beta: 1 } });
    const vae = createVae(config);
    expect(value(beta.computeLoss(batch, { step: 3, noiseSeed: 9 }).total)).toBe(value(vae.computeLoss(batch, { step: 3, noiseSeed: 9 }).total));
    disposeBatch(batch);
  });

  it('β form: mean reconstruction + β·w·mean KL', () => {
    expect(value(betaVaeLoss(rec(), kl(), { kind: 'beta', beta: 4 }, 0).total)).toBeCloseTo(15 + 4 * 4, 5);
    expect(value(betaVaeLoss(rec(), kl(), { kind: 'beta', beta: 4 }, 0, 0.25).total)).toBeCloseTo(15 + 4 * 0.25 * 4, 5);
  });

  it('capacity form: reconstruction + γ·|KL − C(step)| with C annealed linearly to C_max', () => {
    const objective = { kind: 'capacity', gamma: 10, maxCapacity: 8, capacitySteps: 100 } as const;
    expect([0, 25, 100, 500].map((s) => capacityAt(objective, s))).toEqual([0, 2, 8, 8]);
    // mean KL = 4: |4 − 2| = 2 at step 25, |4 − 8| = 4 at step 100
    expect(value(betaVaeLoss(rec(), kl(), objective, 25).total)).toBeCloseTo(15 + 10 * 2, 5);
    expect(value(betaVaeLoss(rec(), kl(), objective, 100).total)).toBeCloseTo(15 + 10 * 4, 5);
    const out = betaVaeLoss(rec(), kl(), objective, 100);
    expect([value(out.parts.reconstruction), value(out.parts.kl)]).toEqual([15, 4]);
  });

  it('logs gamma and capacity (capacity form) or beta (β form) as schedule values', () => {
    const model = createBetaVae({ objective: { kind: 'capacity', gamma: 1000, maxCapacity: 25, capacitySteps: 10 } });
    expect(model.scheduleValues(5)).toEqual({ gamma: 1000, capacity: 12.5 });
    const warm = createBetaVae({ objective: { kind: 'beta', beta: 4 }, klSchedule: { kind: 'linear', from: 0, to: 1, steps: 100 } });
    expect(warm.scheduleValues(50)).toEqual({ beta: 2 });
  });

  it('config errors name the field', () => {
    expect(() => parseBetaVaeConfig({ objective: { kind: 'beta', beta: -1 } })).toThrow('beta-vae config: objective.beta: Too small');
    expect(() => parseBetaVaeConfig({ objective: { kind: 'capacity', gamma: 1 } })).toThrow('objective.maxCapacity');
    expect(() => parseBetaVaeConfig({ betta: 4 })).toThrow('Unrecognized key: "betta"');
  });
});

describe('KL schedules at their breakpoints', () => {
  it('constant', () => {
    expect([0, 1e6].map((s) => klWeightAt({ kind: 'constant', value: 0.5 }, s))).toEqual([0.5, 0.5]);
  });

  it('linear warm-up', () => {
    const s = { kind: 'linear', from: 0, to: 2, steps: 100 } as const;
    expect([0, 50, 100, 101, 1e6].map((t) => klWeightAt(s, t))).toEqual([0, 1, 2, 2, 2]);
  });

  it('cyclical (Fu et al. 2019): ramps over rampFraction of each period, holds, restarts', () => {
    const s = { kind: 'cyclical', max: 1, period: 100, rampFraction: 0.5 } as const;
    expect([0, 25, 50, 75, 99, 100, 125, 150].map((t) => klWeightAt(s, t))).toEqual([0, 0.5, 1, 1, 1, 0, 0.5, 1]);
  });

  it('free bits floor each dimension’s batch-mean KL at λ', () => {
    // dim 0: KL = ½μ² = 2 (μ = 2); dim 1: KL = 0 (prior) → Σ max(λ, KL_d) = 2 + 0.5 for λ = 0.5
    const mu = tf.tensor2d([[2, 0], [2, 0]]);
    const lv = tf.zeros([2, 2]) as tf.Tensor2D;
    expect(value(freeBitsKl(mu, lv, 0.5))).toBeCloseTo(2.5, 5);
    expect(value(freeBitsKl(mu, lv, 3))).toBeCloseTo(6, 5);
    expect(value(freeBitsKl(mu, lv, 0))).toBeCloseTo(2, 5);
  });
});
