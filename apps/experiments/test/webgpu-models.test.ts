// Every model on the WebGPU backend, run here on SwiftShader (Dawn over a CPU Vulkan driver):
// gradients against tfjs's stock CPU kernels, a tiny-batch overfit, checkpoint round trips
// between webgpu and wasm, no leaked tensors, and a sweep on webgpu end to end. Skips, saying
// why, where Vulkan is missing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type Batch, createVae, disposeBatch, disposeCheckpoint, type ImageDataset, loadCheckpoint, loadMnist, makeBatch, parseTrainConfig,
  type StepRecord, takeExamples, tf, Trainer, type TrainableModel, useBackend,
} from '@vaelab/core';
import { backendVsStockCpuGradientErrors, expectNoLeak, relativeL2Error, useSwiftShader } from '@vaelab/core/testing';
import { createBetaVae } from '@vaelab/beta-vae';
import { createCvae } from '@vaelab/cvae';
import { codesDataset, createAutoregressivePrior, createVqVae } from '@vaelab/vq-vae';
import { cli, dir, requireBuiltCli, withStore, writeSweep } from './cli-helpers.js';

const noVulkan = useSwiftShader();
if (noVulkan) console.warn(`webgpu tests skipped: ${noVulkan}`);
const onSwiftShader = { allowFallbackAdapter: true };

const mlp = { kind: 'mlp', hiddenUnits: [16] } as const;
const images = (): ImageDataset => takeExamples(loadMnist('test'), 8);
const codes = (): ImageDataset => {
  const grid = Int32Array.from({ length: 8 * 16 }, (_, i) => (i * 7 + (i >> 4)) % 8);
  return codesDataset(grid, [4, 4]);
};

interface ModelCase {
  name: string;
  create: () => TrainableModel & { dispose(): void };
  data: () => ImageDataset;
}

const MODELS: ModelCase[] = [
  { name: 'mlp VAE', create: () => createVae({ architecture: mlp, latentDim: 2 }), data: images },
  { name: 'conv VAE', create: () => createVae({ architecture: { kind: 'conv', filters: [4, 8], kernelSize: 4, denseUnits: 0 }, latentDim: 2 }), data: images },
  { name: 'beta-VAE', create: () => createBetaVae({ architecture: mlp, latentDim: 2, objective: { kind: 'beta', beta: 4 } }), data: images },
  { name: 'CVAE', create: () => createCvae({ architecture: mlp, latentDim: 2 }), data: images },
  { name: 'VQ-VAE (ema codebook)', create: () => createVqVae({ filters: [4, 8], numEmbeddings: 8, embeddingDim: 4, codebookUpdate: { kind: 'ema', decay: 0.99, epsilon: 1e-5 } }), data: images },
  { name: 'VQ-VAE (loss codebook)', create: () => createVqVae({ filters: [4, 8], numEmbeddings: 8, embeddingDim: 4, codebookUpdate: { kind: 'loss' } }), data: images },
  { name: 'autoregressive prior', create: () => createAutoregressivePrior({ gridShape: [4, 4], numEmbeddings: 8, embeddingDim: 4, hiddenUnits: 16, seed: 1 }), data: codes },
];

const everyExample = (data: ImageDataset): Batch => makeBatch(data, Array.from({ length: data.count }, (_, i) => i));

async function lossOn(model: TrainableModel, data: ImageDataset): Promise<number> {
  const batch = everyExample(data);
  const total = tf.tidy(() => model.computeLoss(batch, { step: 0, noiseSeed: 5 }).total);
  const value = (await total.data())[0];
  tf.dispose(total);
  disposeBatch(batch);
  return value;
}

describe.skipIf(noVulkan != null)('webgpu over SwiftShader', () => {
  it('auto never picks a fallback adapter; naming webgpu without opting in says why', async () => {
    const report = await useBackend('auto');
    expect(report.backend).not.toBe('webgpu');
    expect(report.skipped.find((s) => s.backend === 'webgpu')?.reason).toMatch(/fallback adapter/);
    await expect(useBackend('webgpu')).rejects.toThrow(/only a fallback adapter is available \(google swiftshader/);
    const opted = await useBackend('webgpu', onSwiftShader);
    expect(opted.backend).toBe('webgpu');
    expect(opted.device).toMatch(/swiftshader/);
  });

  it('AddN of more inputs than a shader may bind (20 > 7) sums them all', async () => {
    await useBackend('webgpu', onSwiftShader);
    const xs = Array.from({ length: 20 }, (_, i) => tf.fill([3], i + 1));
    const sum = tf.addN(xs);
    expect(Array.from(await sum.data())).toEqual([210, 210, 210]);
    tf.dispose([...xs, sum]);
  });

  it.each(MODELS)('$name: gradients match stock cpu (relative error < 1e-4 per variable)', async ({ create, data }) => {
    const model = create();
    const dataset = data();
    const errors = await backendVsStockCpuGradientErrors('webgpu', model, () => everyExample(dataset), { step: 0, noiseSeed: 3, training: true }, onSwiftShader);
    expect(errors.size).toBe(model.trainableVariables.length);
    for (const [name, error] of errors) expect(error, name).toBeLessThan(1e-4);
    model.dispose();
  });

  it.each(MODELS)('$name: trains on a tiny batch (loss falls), leaking nothing, and its checkpoint round-trips to wasm and back', async ({ create, data }) => {
    await useBackend('webgpu', onSwiftShader);
    const dataset = data();
    const tensorsBefore = tf.memory().numTensors;
    const model = create();
    const trainer = new Trainer(model, parseTrainConfig({ epochs: 40, batchSize: 8, logEvery: 5, learningRate: 0.01, seed: 2 }));
    const records: StepRecord[] = [];
    await trainer.fit(dataset, { onSteps: (r) => void records.push(...r) });
    expect(records.at(-1)!.values.loss).toBeLessThan(0.8 * records[0].values.loss);
    const batch = everyExample(dataset);
    let step = 40;
    await expectNoLeak(() => trainer.trainStep(batch, step++), 'webgpu training step');
    disposeBatch(batch);
    const onWebGpu = await lossOn(model, dataset);

    const ckptDir = mkdtempSync(join(tmpdir(), 'vaelab-webgpu-'));
    await trainer.save(join(ckptDir, 'webgpu.ckpt'));
    const savedStep = trainer.position.step;
    trainer.dispose();
    model.dispose();

    // webgpu → wasm: the same weights give the same loss there; five more epochs there, then back.
    await useBackend('wasm');
    const onWasm = create();
    const wasmTrainer = new Trainer(onWasm, parseTrainConfig({ epochs: 45, batchSize: 8, logEvery: 5, learningRate: 0.01, seed: 2 }));
    const ckpt = loadCheckpoint(join(ckptDir, 'webgpu.ckpt'));
    wasmTrainer.restore(ckpt);
    disposeCheckpoint(ckpt);
    expect(relativeL2Error([await lossOn(onWasm, dataset)], [onWebGpu])).toBeLessThan(1e-4);
    expect((await wasmTrainer.fit(dataset)).step).toBe(savedStep + 5 * Math.ceil(dataset.count / 8));
    const wasmLoss = await lossOn(onWasm, dataset);
    await wasmTrainer.save(join(ckptDir, 'wasm.ckpt'));
    wasmTrainer.dispose();
    onWasm.dispose();

    await useBackend('webgpu', onSwiftShader);
    const again = create();
    const ckpt2 = loadCheckpoint(join(ckptDir, 'wasm.ckpt'));
    again.params.assign(ckpt2.params);
    disposeCheckpoint(ckpt2);
    expect(relativeL2Error([await lossOn(again, dataset)], [wasmLoss])).toBeLessThan(1e-4);
    again.dispose();
    rmSync(ckptDir, { recursive: true, force: true });
    expect(tf.memory().numTensors, 'tensors left after training, saving and loading on both backends').toBe(tensorsBefore);
  });

  it('a sweep with backend: webgpu runs every variant end to end and records the adapter per run', async () => {
    requireBuiltCli();
    const file = writeSweep('on-webgpu', `
name: on-webgpu
backend: webgpu
dataset: { name: mnist, trainSize: 64, testSize: 32 }
budget: { epochs: 1 }
train: { batchSize: 32, logEvery: 1 }
parallel: 1
variants:
  - variant: vae
    base: { latentDim: 2, architecture: { kind: mlp, hiddenUnits: [16] } }
  - variant: cvae
    base: { latentDim: 2, architecture: { kind: mlp, hiddenUnits: [16] } }
  - variant: vq-vae
    base: { filters: [4, 8], numEmbeddings: 8, embeddingDim: 4 }
    prior: { epochs: 1, hiddenUnits: 8 }
`);
    const db = join(dir, 'on-webgpu.db');
    // The child finds SwiftShader through the environment useSwiftShader set; it opts in here.
    const { status, output } = cli(['sweep', file, '--db', db], { VAELAB_WEBGPU_ALLOW_FALLBACK: '1' });
    expect(status, output).toBe(0);
    await withStore(db, async (store) => {
      const runs = await store.sweepTrials((await store.getSweep('on-webgpu')).id);
      expect(runs.map((r) => [r.variant, r.status])).toEqual([['vae', 'finished'], ['cvae', 'finished'], ['vq-vae', 'finished']]);
      for (const run of runs) {
        expect(run.backend).toBe('webgpu');
        expect(run.versions?.device).toMatch(/^google swiftshader/);
        expect((await store.metricSeries(run.id, 'test/mse')).length).toBeGreaterThan(0);
      }
    });
  });
});
