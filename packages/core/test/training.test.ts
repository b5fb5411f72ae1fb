import { mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createVae, decodeCheckpoint, disposeBatch, disposeCheckpoint, loadCheckpoint, makeBatch, NonFiniteLossError, parseTrainConfig,
  ParamSet, type StepRecord, tf, Trainer, type TrainableModel, useBackend,
} from '@vaelab/core';
import { expectNoLeak } from '@vaelab/core/testing';
import { mnistSubset } from './helpers.js';

beforeAll(async () => {
  await useBackend('wasm');
});

const tiny = { hiddenUnits: [64] };

describe('training step', () => {
  it.each([
    ['mlp', { architecture: { kind: 'mlp', ...tiny }, latentDim: 4 }],
    ['conv', { architecture: { kind: 'conv', filters: [4, 8], kernelSize: 4, denseUnits: 0 }, latentDim: 4 }],
  ])('%s VAE leaks no tensors', async (_, config) => {
    const model = createVae(config);
    const trainer = new Trainer(model, parseTrainConfig({ batchSize: 8 }));
    const batch = makeBatch(mnistSubset(8), [0, 1, 2, 3, 4, 5, 6, 7]);
    let step = 0;
    await expectNoLeak(() => trainer.trainStep(batch, step++), 'training step');
    await expectNoLeak(() => model.reconstruct(batch.x), 'reconstruct');
    await expectNoLeak(() => model.sample(3, { seed: 1 }), 'sample');
    disposeBatch(batch);
    model.dispose();
  });

  it('a tiny batch overfits: reconstruction NLL falls far below its start', async () => {
    const data = mnistSubset(16);
    const model = createVae({ architecture: { kind: 'mlp', hiddenUnits: [128] }, latentDim: 8 });
    const trainer = new Trainer(model, parseTrainConfig({ epochs: 300, batchSize: 16, logEvery: 25 }));
    const records: StepRecord[] = [];
    await trainer.fit(data, { onSteps: (r) => void records.push(...r) });
    const first = records[0].values.reconstruction;
    const last = records[records.length - 1].values.reconstruction;
    expect(records).toHaveLength(300);
    expect(first).toBeGreaterThan(400);
    expect(last).toBeLessThan(first * 0.25);
    model.dispose();
  });

  it('stops on a non-finite loss naming the step and the loss part', async () => {
    const params = new ParamSet(0);
    const w = params.addZeros('w', [1]);
    const model: TrainableModel = {
      spec: { name: 'toy' }, params, config: {}, trainableVariables: [w], dispose: () => params.dispose(),
      // Finite for steps 0-2, then the "kl" part becomes log(0) = -Infinity.
      computeLoss: (_batch, ctx) => tf.tidy(() => {
        const kl = tf.log(tf.scalar(ctx.step >= 3 ? 0 : 1)) as tf.Scalar;
        const reconstruction = tf.sum(tf.square(w)) as tf.Scalar;
        return { total: tf.add(reconstruction, kl) as tf.Scalar, parts: { reconstruction, kl } };
      }),
    };
    const trainer = new Trainer(model, parseTrainConfig({ epochs: 1, batchSize: 1, logEvery: 10 }));
    const error = await trainer.fit(mnistSubset(8)).catch((e) => e);
    expect(error).toBeInstanceOf(NonFiniteLossError);
    expect(error.message).toBe('non-finite loss part "kl" at step 3: kl = -Infinity, total loss = -Infinity; training stopped (try a lower learningRate or set gradClipNorm)');
  });
});

describe('checkpoints', () => {
  const config = { architecture: { kind: 'mlp', hiddenUnits: [32] }, latentDim: 3, seed: 7 };
  const data = () => mnistSubset(96);

  async function weights(model: TrainableModel): Promise<number[]> {
    const out: number[] = [];
    for (const v of model.trainableVariables) out.push(...(await v.data()));
    return out;
  }

  it.each([['epoch end', 0], ['mid-epoch', 5]])('resume from a checkpoint (%s) continues bit for bit', async (_, checkpointEvery) => {
    const trainConfig = parseTrainConfig({ epochs: 3, batchSize: 32, checkpointEvery, seed: 3, logEvery: 2 });
    const straight = createVae(config);
    await new Trainer(straight, trainConfig).fit(data());

    const dir = mkdtempSync(join(tmpdir(), 'vaelab-ckpt-'));
    const path = join(dir, 'run.ckpt');
    const first = createVae(config);
    const controller = new AbortController();
    // Interrupt after 5 steps (mid-epoch) or after epoch 1; the trainer saves on the way out.
    await new Trainer(first, trainConfig).fit(data(), {
      checkpoint: path,
      signal: controller.signal,
      onSteps: (records) => { if (records.at(-1)!.step >= 4) controller.abort(); },
    }).catch((e) => expect(e.name).toBe('TrainingStopped'));

    const ckpt = loadCheckpoint(path);
    expect(ckpt.position.step).toBeGreaterThan(0);
    expect(ckpt.position.step).toBeLessThan(9);
    const resumed = createVae({ ...(ckpt.modelConfig as object), seed: 99 }); // init is overwritten
    const trainer = new Trainer(resumed, ckpt.trainConfig);
    trainer.restore(ckpt);
    await trainer.fit(data());
    expect(await weights(resumed)).toEqual(await weights(straight));
    disposeCheckpoint(ckpt);
  });

  it('a step budget stops mid-epoch; a writer gets the checkpoint bytes, and continuing from them matches a straight run', async () => {
    const straight = createVae(config);
    const result = await new Trainer(straight, parseTrainConfig({ epochs: 2, batchSize: 32, steps: 5, seed: 3 })).fit(data());
    expect(result).toEqual({ step: 5, stoppedBy: 'steps' });
    const first = createVae(config);
    const saved: { bytes: Buffer; step: number }[] = [];
    await new Trainer(first, parseTrainConfig({ epochs: 2, batchSize: 32, steps: 2, seed: 3 })).fit(data(), {
      checkpoint: async (bytes, position) => { saved.push({ bytes, step: position.step }); },
    });
    expect(saved.map((s) => s.step)).toEqual([2]);
    const ckpt = decodeCheckpoint(saved[0].bytes, 'memory');
    const resumed = createVae({ ...(ckpt.modelConfig as object), seed: 99 });
    const trainer = new Trainer(resumed, parseTrainConfig({ epochs: 2, batchSize: 32, steps: 5, seed: 3 }));
    trainer.restore(ckpt);
    disposeCheckpoint(ckpt);
    expect(await trainer.fit(data())).toEqual({ step: 5, stoppedBy: 'steps' });
    expect(await weights(resumed)).toEqual(await weights(straight));
  });

  it('a checkpoint file that cannot be written leaves no partial file behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vaelab-ckpt-'));
    const path = join(dir, 'taken');
    mkdirSync(path); // renaming onto a folder fails after the temporary file is written
    const trainer = new Trainer(createVae(config), parseTrainConfig({ epochs: 1 }));
    await expect(trainer.save(path)).rejects.toThrow(`${path}: cannot write checkpoint (`);
    expect(readdirSync(dir)).toEqual(['taken']);
  });

  it('rejects a truncated or foreign checkpoint with the path in the message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vaelab-ckpt-'));
    const path = join(dir, 'a.ckpt');
    const model = createVae(config);
    const trainer = new Trainer(model, parseTrainConfig({ epochs: 1 }));
    await trainer.save(path);
    const { readFileSync, writeFileSync } = await import('node:fs');
    const bytes = readFileSync(path);
    writeFileSync(path, bytes.subarray(0, bytes.length - 10));
    expect(() => loadCheckpoint(path)).toThrow(`${path}: checkpoint is truncated`);
    writeFileSync(path, 'hello world, not a checkpoint');
    expect(() => loadCheckpoint(path)).toThrow(`${path}: not a VAE Lab checkpoint`);
  });
});
