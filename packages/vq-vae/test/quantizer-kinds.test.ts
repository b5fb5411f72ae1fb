// FSQ, residual VQ and the rotation trick: forward values by hand, index round trips, gradients
// in closed form and against numeric ones, residual error falling with stages, the plain
// codebook as residual VQ's one-stage case, and bad configs named by field.
import { beforeAll, describe, expect, it } from 'vitest';
import { ParamSet, tf, useBackend } from '@vaelab/core';
import { numericGradient } from '@vaelab/core/testing';
import {
  CodebookQuantizer, FsqQuantizer, kMeans, parseVqVaeConfig, ResidualQuantizer, rotateOnto, rotationGradient,
} from '@vaelab/vq-vae';

beforeAll(async () => {
  await useBackend('wasm');
});

describe('FSQ', () => {
  const fsq = new FsqQuantizer([5, 4]);

  it('bounds, rounds and rescales as computed by hand for odd (5) and even (4) level counts', () => {
    // L = 5: round(2.002·tanh z) / 2.  L = 4: round(1.5015·tanh(z + atanh(0.5/1.5015)) − 0.5) / 2.
    const z = tf.tensor2d([[0.3, 0], [2, 1], [-0.2, -3], [-5, 0.5]]);
    const got = fsq.codes(z).arraySync() as number[][];
    const want = [[0.5, 0], [1, 0.5], [0, -1], [-1, 0.5]];
    got.flat().forEach((v, i) => expect(v).toBeCloseTo(want.flat()[i], 6));
    // Tokens in mixed radix (basis 1, 5): level index = code·⌊L/2⌋ + ⌊L/2⌋.
    expect(Array.from(fsq.codesToTokens(tf.tensor2d(want)).dataSync())).toEqual([3 + 2 * 5, 4 + 3 * 5, 2 + 0 * 5, 0 + 3 * 5]);
    expect(fsq.numTokens).toBe(20);
  });

  it('maps every token to a code and back', () => {
    const tokens = tf.range(0, 20, 1, 'int32') as tf.Tensor1D;
    const codes = fsq.embedTokens(tokens);
    expect(Array.from(fsq.codesToTokens(codes).dataSync())).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(new Set(codes.arraySync().map((c) => c.join())).size).toBe(20);
    // Quantising a code gives the code: levels are fixed points.
    // z = atanh((code·⌊L/2⌋ + offset) / half) − shift inverts the bound.
    const shift = tf.tensor1d([0, Math.atanh(0.5 / 1.5015)]);
    const again = fsq.codes(tf.sub(tf.atanh(tf.div(tf.add(tf.mul(codes, tf.tensor1d([2, 2])), tf.tensor1d([0, 0.5])), tf.tensor1d([2.002, 1.5015]))), shift));
    expect(Array.from(fsq.codesToTokens(again as tf.Tensor2D).dataSync())).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('passes the gradient through the rounding as the identity (only the bound\'s tanh slope remains)', () => {
    const z = tf.tensor2d([[0.3, 0.7], [-1.1, 0.2]]);
    const grad = tf.grad((x: tf.Tensor) => tf.sum(fsq.codes(x)))(z).arraySync() as number[][];
    const shift = Math.atanh(0.5 / 1.5015);
    const slope = (v: number, j: number) => (j === 0 ? (1 - Math.tanh(v) ** 2) * 2.002 / 2 : (1 - Math.tanh(v + shift) ** 2) * 1.5015 / 2);
    [[0.3, 0.7], [-1.1, 0.2]].forEach((row, i) => row.forEach((v, j) => expect(grad[i][j]).toBeCloseTo(slope(v, j), 5)));
  });
});

describe('rotation trick', () => {
  const random = (seed: number, shape: [number, number]) => tf.randomNormal(shape, 0, 1, 'float32', seed) as tf.Tensor2D;

  it('outputs the code exactly, and its gradient is λRᵀg: a rotation (norms scale by λ) that maps ê onto q̂', () => {
    const e = random(1, [6, 5]);
    const q = random(2, [6, 5]);
    const g = random(3, [6, 5]);
    expect(Array.from(rotateOnto(e, q).dataSync())).toEqual(Array.from(q.dataSync()));
    const grad = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(rotateOnto(x as tf.Tensor2D, q), g)))(e);
    expect(Array.from(grad.dataSync())).toEqual(Array.from(rotationGradient(e, q, g).dataSync()));
    const norm = (t: tf.Tensor) => tf.norm(t, 'euclidean', 1).arraySync() as number[];
    const lambda = norm(q).map((n, i) => n / norm(e)[i]);
    norm(grad).forEach((n, i) => expect(n).toBeCloseTo(lambda[i] * norm(g)[i], 4));
    // Rᵀ sends q̂ to ê (R sends ê to q̂): the gradient of q̂·x is λ·ê.
    const qhat = tf.div(q, tf.norm(q, 'euclidean', 1, true)) as tf.Tensor2D;
    const ehat = tf.div(e, tf.norm(e, 'euclidean', 1, true));
    const back = rotationGradient(e, q, qhat).arraySync() as number[][];
    (ehat.arraySync() as number[][]).forEach((row, i) => row.forEach((v, j) => expect(back[i][j]).toBeCloseTo(lambda[i] * v, 4)));
  });

  it('matches a numeric gradient of λ·R·e with λ and R held at their values', () => {
    const e0 = [0.4, -1.2, 0.7];
    const q0 = [1.1, 0.3, -0.5];
    const g = [0.2, -0.9, 0.5];
    // Build R and λ from e0, q0 by the paper's formula, then differentiate x ↦ g·(λ R x) numerically.
    const n = (v: number[]) => Math.hypot(...v);
    const eh = e0.map((v) => v / n(e0));
    const qh = q0.map((v) => v / n(q0));
    const s = eh.map((v, i) => v + qh[i]);
    const r = s.map((v) => v / n(s));
    const R = [0, 1, 2].map((i) => [0, 1, 2].map((j) => (i === j ? 1 : 0) - 2 * r[i] * r[j] + 2 * qh[i] * eh[j]));
    const lambda = n(q0) / n(e0);
    const Rt = tf.tensor2d(R);
    const f = (x: tf.Tensor) => tf.sum(tf.mul(tf.tensor1d(g), tf.mul(lambda, tf.squeeze(tf.matMul(Rt, tf.reshape(x, [3, 1])))))) as tf.Scalar;
    const numeric = numericGradient(f, tf.tensor1d(e0));
    const analytic = rotationGradient(tf.tensor2d([e0]), tf.tensor2d([q0]), tf.tensor2d([g])).dataSync();
    numeric.forEach((v, i) => expect(analytic[i]).toBeCloseTo(v, 4));
    // And the formula's R really rotates ê onto q̂.
    R.map((row) => row.reduce((a, rij, j) => a + rij * eh[j], 0)).forEach((v, i) => expect(v).toBeCloseTo(qh[i], 10));
  });
});

describe('residual VQ', () => {
  const config = (stages: number, extra: object = {}) => parseVqVaeConfig({ numEmbeddings: 8, embeddingDim: 3, codebookUpdate: { kind: 'loss' }, quantizer: { kind: 'residual', stages, ...extra } });

  it('with codebooks fitted stage by stage, the error of the quantised latent never grows with the stages', () => {
    const data = tf.randomNormal([400, 3], 0, 1, 'float32', 7) as tf.Tensor2D;
    const rvq = new ResidualQuantizer(new ParamSet(0), config(4), { stages: 4, sharedCodebook: false, dropout: 0, gradient: { kind: 'straight-through' } });
    let residual: tf.Tensor2D = data;
    const errors = [tf.mean(tf.square(data)).dataSync()[0]];
    for (const [i, stage] of rvq.stages.entries()) {
      stage.codebook.assign(kMeans(residual, 8, 20, 100 + i));
      residual = tf.sub(residual, stage.quantize(residual).quantized) as tf.Tensor2D;
      errors.push(tf.mean(tf.square(residual)).dataSync()[0]);
    }
    for (let i = 1; i < errors.length; i++) expect(errors[i]).toBeLessThanOrEqual(errors[i - 1]);
    expect(errors[4]).toBeLessThan(errors[0] * 0.2);
    const whole = rvq.quantize(data).quantized;
    expect(tf.max(tf.abs(tf.sub(tf.sub(data, whole), residual))).dataSync()[0]).toBeLessThan(1e-5);
    // Tokens: one per stage per vector, and they embed back to the sum of the stages' codes.
    const { tokens } = rvq.quantize(data);
    expect(tokens.shape).toEqual([1600]);
    expect(tf.max(tf.abs(tf.sub(rvq.embedTokens(tokens), whole))).dataSync()[0]).toBeLessThan(1e-5);
  });

  it('with one stage is the plain codebook quantiser', () => {
    const params = new ParamSet(0);
    const plain = new CodebookQuantizer(params, 'plain', config(1), { kind: 'straight-through' });
    const rvq = new ResidualQuantizer(new ParamSet(1), config(1), { stages: 1, sharedCodebook: false, dropout: 0, gradient: { kind: 'straight-through' } });
    rvq.stages[0].codebook.assign(plain.codebook);
    const ze = tf.randomNormal([2, 3, 3, 3], 0, 0.2, 'float32', 3);
    const [a, b] = [plain.quantize(ze), rvq.quantize(ze)];
    expect(Array.from(b.quantized.dataSync())).toEqual(Array.from(a.quantized.dataSync()));
    expect(Array.from(b.tokens.dataSync())).toEqual(Array.from(a.tokens.dataSync()));
    expect(b.commitmentLoss.dataSync()[0]).toBeCloseTo(a.commitmentLoss.dataSync()[0], 7);
  });

  it('quantiser dropout uses the first n stages on a share of steps, reproducibly by step', () => {
    const rvq = new ResidualQuantizer(new ParamSet(0), config(4, { dropout: 0.5 }), { stages: 4, sharedCodebook: false, dropout: 0.5, gradient: { kind: 'straight-through' } });
    const used = Array.from({ length: 400 }, (_, step) => rvq.stagesAt(step));
    expect(used).toEqual(Array.from({ length: 400 }, (_, step) => rvq.stagesAt(step)));
    const full = used.filter((n) => n === 4).length / used.length;
    expect(full).toBeGreaterThan(0.5); // 0.5 + 0.5·¼ expected
    expect(full).toBeLessThan(0.75);
    expect(new Set(used)).toEqual(new Set([1, 2, 3, 4]));
    expect(rvq.stagesAt(null)).toBe(4); // evaluation uses every stage
  });
});

describe('stage tables (what the latent explorer embeds with in the page)', () => {
  const base = { numEmbeddings: 6, embeddingDim: 2, codebookUpdate: { kind: 'loss' } };
  const kinds = {
    codebook: () => new CodebookQuantizer(new ParamSet(2), 'q', parseVqVaeConfig(base), { kind: 'straight-through' }),
    fsq: () => new FsqQuantizer([3, 4]),
    residual: () => new ResidualQuantizer(new ParamSet(3), parseVqVaeConfig({ ...base, quantizer: { kind: 'residual', stages: 3 } }), { stages: 3, sharedCodebook: false, dropout: 0, gradient: { kind: 'straight-through' } }),
  };

  it.each(Object.entries(kinds))('%s: the sum of each stage\'s row at its token is embedTokens', (_, make) => {
    const q = make();
    const tables = q.stageTables().map((t) => t.arraySync());
    expect(tables).toHaveLength(q.tokensPerCell);
    for (const table of tables) expect(table).toHaveLength(q.numTokens);
    // Every token at every stage, in cells of tokensPerCell adjacent tokens.
    const cells = q.numTokens;
    const tokens = Array.from({ length: cells * q.tokensPerCell }, (_, i) => (Math.floor(i / q.tokensPerCell) * (1 + (i % q.tokensPerCell))) % q.numTokens);
    const want = q.embedTokens(tf.tensor1d(tokens, 'int32')).arraySync();
    for (let c = 0; c < cells; c++) {
      for (let k = 0; k < q.dim; k++) {
        const sum = tables.reduce((acc, table, s) => acc + table[tokens[c * q.tokensPerCell + s]][k], 0);
        expect(sum).toBeCloseTo(want[c][k], 6);
      }
    }
  });
});

describe('quantiser configs', () => {
  it.each([
    [{ quantizer: { kind: 'fsq', levels: [8, 1] } }, 'quantizer.levels.1', 'each FSQ level count must be at least 2'],
    [{ quantizer: { kind: 'fsq', levels: [] } }, 'quantizer.levels', 'levels needs at least one channel'],
    [{ quantizer: { kind: 'residual', stages: 0 } }, 'quantizer.stages', 'stages must be at least 1'],
    [{ quantizer: { kind: 'fsq', levels: [8, 5], gradient: { kind: 'rotation' } } }, 'quantizer.gradient', 'FSQ has no codebook to rotate onto'],
    [{ quantizer: { kind: 'codebook', gradient: { kind: 'spin' } } }, 'quantizer.gradient', 'expected gradient {kind: straight-through} or {kind: rotation}'],
  ])('%j is refused naming the field', (config, field, message) => {
    expect(() => parseVqVaeConfig(config)).toThrow(field);
    expect(() => parseVqVaeConfig(config)).toThrow(message);
  });
});
