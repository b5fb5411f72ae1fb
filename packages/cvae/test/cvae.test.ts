import { beforeAll, describe, expect, it } from 'vitest';
import {
  bernoulliNll, disposeBatch, klStandardNormal, loadMnist, makeBatch, parseTrainConfig, reparameterize, type StepRecord, takeExamples,
  tf, Trainer, useBackend,
} from '@vaelab/core';
import { expectNoLeak } from '@vaelab/core/testing';
import { checkConditionalDataset, classGrid, createCvae, cvaeSpec, parseCvaeConfig, transfer } from '@vaelab/cvae';

const mnist = takeExamples(loadMnist('test'), 64);
const small = { architecture: { kind: 'mlp', hiddenUnits: [64] }, latentDim: 4 };

beforeAll(async () => {
  await useBackend('wasm');
});

describe('CVAE loss', () => {
  it('is mean BCE(decoder(z, onehot(y))) + mean KL(q(z|x,y)) recomputed by hand from the parts', () => {
    const model = createCvae(small);
    const batch = makeBatch(mnist, [0, 1, 2, 3, 4]);
    const out = model.computeLoss(batch, { step: 0, noiseSeed: 5 });
    const manual = tf.tidy(() => {
      const { zMean, zLogVar } = model.encode(batch.x, { labels: batch.labels! });
      const z = reparameterize(zMean, zLogVar, 5);
      const logits = tf.log(tf.div(model.decode(z, { labels: batch.labels! }), tf.sub(1, model.decode(z, { labels: batch.labels! })))); // logit of the mean
      return [tf.mean(bernoulliNll(logits, batch.x)).dataSync()[0], tf.mean(klStandardNormal(zMean, zLogVar)).dataSync()[0]];
    });
    expect(out.parts.reconstruction.dataSync()[0]).toBeCloseTo(manual[0], 1);
    expect(out.parts.kl.dataSync()[0]).toBeCloseTo(manual[1], 4);
    expect(out.total.dataSync()[0]).toBeCloseTo(manual[0] + manual[1], 1);
    disposeBatch(batch);
  });

  it('the condition reaches the decoder and the encoder', () => {
    const model = createCvae(small);
    const z = tf.randomNormal([3, 4], 0, 1, 'float32', 1) as tf.Tensor2D;
    const a = model.decode(z, { labels: tf.tensor1d([1, 1, 1], 'int32') }).dataSync();
    const b = model.decode(z, { labels: tf.tensor1d([7, 7, 7], 'int32') }).dataSync();
    expect(Math.max(...a.map((v, i) => Math.abs(v - b[i])))).toBeGreaterThan(1e-3);
    const batch = makeBatch(mnist, [0, 1, 2]);
    const e1 = model.encode(batch.x, { labels: tf.tensor1d([0, 0, 0], 'int32') }).zMean.dataSync();
    const e2 = model.encode(batch.x, { labels: tf.tensor1d([9, 9, 9], 'int32') }).zMean.dataSync();
    expect(Math.max(...e1.map((v, i) => Math.abs(v - e2[i])))).toBeGreaterThan(1e-4);
  });

  it('works with a conv encoder (condition as extra channels) and decoder', () => {
    const model = createCvae({ architecture: { kind: 'conv', filters: [4, 8], kernelSize: 4, denseUnits: 16 }, latentDim: 3 });
    const batch = makeBatch(mnist, [0, 1, 2, 3]);
    const out = model.computeLoss(batch, { step: 0, noiseSeed: 1 });
    expect(Number.isFinite(out.total.dataSync()[0])).toBe(true);
    expect(classGrid(model, 2, 3).shape).toEqual([20, 28, 28, 1]);
    disposeBatch(batch);
  });
});

describe('labels and config', () => {
  it('out-of-range or non-integer labels are clear errors', () => {
    const model = createCvae(small);
    expect(() => model.sample(2, { labels: 10, seed: 0 })).toThrow('label: expected an integer class label in [0, 9], got 10');
    expect(() => model.sample(2, { labels: 1.5, seed: 0 })).toThrow('label: expected an integer class label in [0, 9], got 1.5');
    expect(() => model.sample(2, { labels: '3' as never, seed: 0 })).toThrow('label: expected an integer class label in [0, 9], got string');
    const bad = { ...mnist, labels: Int32Array.from(mnist.labels, (l, i) => (i === 5 ? 12 : l)) };
    expect(() => checkConditionalDataset(bad, 10)).toThrow('dataset mnist-test labels[5]: expected an integer class label in [0, 9], got 12');
    expect(() => checkConditionalDataset({ ...mnist, labels: new Int32Array(0) }, 10)).toThrow('a CVAE needs one label per example (0 labels for 64 examples)');
    expect(() => model.computeLoss({ x: tf.zeros([1, 28, 28, 1]) as tf.Tensor4D }, { step: 0, noiseSeed: 0 })).toThrow('a CVAE needs labelled batches');
  });

  it('config rejects unknown keys and a missing class count', () => {
    expect(() => parseCvaeConfig({ numClass: 10 })).toThrow('cvae config: (root): Unrecognized key: "numClass"');
    expect(() => parseCvaeConfig({ numClasses: 1 })).toThrow('cvae config: numClasses: Too small');
    expect(cvaeSpec.parseConfig({}).numClasses).toBe(10);
  });
});

describe('training', () => {
  it('a training step leaks no tensors', async () => {
    const model = createCvae(small);
    const trainer = new Trainer(model, parseTrainConfig({ batchSize: 8 }));
    const batch = makeBatch(mnist, [0, 1, 2, 3, 4, 5, 6, 7]);
    let step = 0;
    await expectNoLeak(() => trainer.trainStep(batch, step++), 'cvae training step');
    await expectNoLeak(() => classGrid(model, 2, 1), 'classGrid');
    await expectNoLeak(() => transfer(model, batch.x, batch.labels!, batch.labels!), 'transfer');
    disposeBatch(batch);
  });

  it('a tiny batch overfits', async () => {
    const model = createCvae({ architecture: { kind: 'mlp', hiddenUnits: [128] }, latentDim: 8 });
    const records: StepRecord[] = [];
    await new Trainer(model, parseTrainConfig({ epochs: 300, batchSize: 16, logEvery: 50 }))
      .fit(takeExamples(mnist, 16), { onSteps: (r) => void records.push(...r) });
    expect(records[0].values.reconstruction).toBeGreaterThan(400);
    expect(records.at(-1)!.values.reconstruction).toBeLessThan(records[0].values.reconstruction * 0.25);
  });
});
