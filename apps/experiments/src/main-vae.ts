// The main job until sweeps take over: trains the MLP VAE (784-400-20, Bernoulli, Adam 1e-3,
// batch 128) on real MNIST, printing per-epoch train loss and test negative ELBO, then writes
// reconstructions and prior samples as PNG.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  createVae, describeBackend, disposeBatch, evaluateGaussianModel, loadMnist, makeBatch, parseTrainConfig,
  tensorGridPng, tf, Trainer, type BackendChoice, useBackend,
} from '@vaelab/core';

const { values } = parseArgs({
  options: {
    epochs: { type: 'string', default: '10' },
    backend: { type: 'string', default: 'auto' },
    out: { type: 'string', default: 'out/main-vae' },
    seed: { type: 'string', default: '0' },
  },
});

const report = await useBackend(values.backend as BackendChoice);
console.log(describeBackend(report));
const train = loadMnist('train');
const test = loadMnist('test');
const seed = Number(values.seed);
const model = createVae({ seed });
const trainConfig = parseTrainConfig({ epochs: Number(values.epochs), seed });
const trainer = new Trainer(model, trainConfig, 'vae');
const outDir = resolve(values.out);
mkdirSync(outDir, { recursive: true });
console.log(`MLP VAE 784-400-20 on MNIST (${train.count} train / ${test.count} test), ${trainConfig.epochs} epochs, batch ${trainConfig.batchSize}, Adam ${trainConfig.learningRate}`);
console.log('epoch  train loss  test -ELBO  recon    KL     samples/s  seconds');
await trainer.fit(train, {
  checkpoint: join(outDir, 'checkpoint.vaelab'),
  onEpochEnd: async (s) => {
    const ev = await evaluateGaussianModel(model, test, { seed });
    const cols = [String(s.epoch + 1).padStart(5), s.means.loss.toFixed(2).padStart(10), ev.negativeElbo.toFixed(2).padStart(10),
      ev.reconstructionNll.toFixed(2).padStart(7), ev.kl.toFixed(2).padStart(6), s.samplesPerSec.toFixed(0).padStart(9), s.seconds.toFixed(1).padStart(8)];
    console.log(cols.join('  '));
  },
});

const importanceSamples = 50;
console.log(`computing the importance-weighted NLL (k=${importanceSamples}) on ${test.count} test images…`);
const final = await evaluateGaussianModel(model, test, { seed, importanceSamples });
console.log(`test negative ELBO ${final.negativeElbo.toFixed(2)} nats, IW-NLL (k=${importanceSamples}) ${final.iwNll?.toFixed(2)} nats, active units ${final.activeUnits}/${model.latentDim}`);

const originals = makeBatch(test, Array.from({ length: 32 }, (_, i) => i));
const recon = model.reconstruct(originals.x);
const paired = tf.concat([originals.x, recon]);
writeFileSync(join(outDir, 'reconstructions.png'), await tensorGridPng(paired as tf.Tensor4D, { columns: 16, scale: 2 }));
const samples = model.sample(64, seed + 1);
writeFileSync(join(outDir, 'samples.png'), await tensorGridPng(samples, { columns: 16, scale: 2 }));
tf.dispose([recon, paired, samples]);
disposeBatch(originals);
console.log(`wrote ${join(outDir, 'reconstructions.png')} (top: test digits, bottom: reconstructions) and ${join(outDir, 'samples.png')} (prior samples)`);
