// Whole-epoch throughput: Trainer.fit over the full MNIST training set (60,000 images, batch 128,
// one epoch, no evaluation) for one model per process, so each row's peak RSS (VmHWM) is that
// model's alone. Just before and just after it, in the same process, the same number of bare
// trainStep calls on prebuilt batches (the step loop; the mean of the two), so the loop's overhead
// is a ratio of adjacent timings, not of two processes minutes apart on a noisy machine.
// `node bench/epoch.mjs <backend> <threads> <model index> --json`; run.mjs runs them all.
import { readFileSync } from 'node:fs';
import { disposeBatch, loadMnist, makeBatch, parseTrainConfig, Trainer, useBackend } from '../packages/core/dist/index.js';
import { MODELS } from './training.mjs';

export async function benchEpoch(backend, threads, index) {
  const report = await useBackend(backend, { wasmThreads: threads });
  const data = loadMnist('train');
  const m = MODELS[index];
  const model = m.create();
  const trainer = new Trainer(model, parseTrainConfig({ batchSize: 128, epochs: 1 }));
  const steps = Math.ceil(data.count / 128);
  const before = await stepLoop(trainer, data, steps);
  const started = performance.now();
  const result = await trainer.fit(data);
  const seconds = (performance.now() - started) / 1000;
  const peakRss = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))[1]) * 1024;
  const loopMsPerStep = (before + (await stepLoop(trainer, data, result.step))) / 2;
  trainer.dispose();
  model.dispose();
  return {
    model: m.name, backend, threads: report.threads, steps: result.step, seconds, samplesPerSec: data.count / seconds, msPerStep: (seconds * 1000) / result.step,
    loopMsPerStep, epochOverLoop: loopMsPerStep / ((seconds * 1000) / result.step), peakRssMiB: peakRss / 2 ** 20,
  };
}

/** ms per bare trainStep over `steps` steps on 8 prebuilt full batches, reading back every 20 (as bench/training.mjs does). */
async function stepLoop(trainer, data, steps) {
  const batches = Array.from({ length: 8 }, (_, b) => makeBatch(data, Array.from({ length: 128 }, (_, i) => b * 128 + i)));
  const started = performance.now();
  for (let s = 0; s < steps; s += 20) {
    const pending = [];
    for (let k = s; k < Math.min(s + 20, steps); k++) pending.push(trainer.trainStep(batches[k % 8], k));
    await pending[pending.length - 1].data();
    pending.forEach((t) => t.dispose());
  }
  const ms = (performance.now() - started) / steps;
  batches.forEach(disposeBatch);
  return ms;
}

if (process.argv[1]?.endsWith('epoch.mjs')) {
  const [backend = 'wasm', threads = '1', index = '0'] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  console.log(JSON.stringify(await benchEpoch(backend, Number(threads), Number(index))));
}
