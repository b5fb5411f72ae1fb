// Whole-epoch throughput: Trainer.fit over the full MNIST training set (60,000 images, batch 128,
// one epoch, no evaluation) for one model per process, so each row's peak RSS (VmHWM) is that
// model's alone. `node bench/epoch.mjs <backend> <threads> <model index> --json`; run.mjs runs them all.
import { readFileSync } from 'node:fs';
import { loadMnist, parseTrainConfig, Trainer, useBackend } from '../packages/core/dist/index.js';
import { MODELS } from './training.mjs';

export async function benchEpoch(backend, threads, index) {
  const report = await useBackend(backend, { wasmThreads: threads });
  const data = loadMnist('train');
  const m = MODELS[index];
  const model = m.create();
  const trainer = new Trainer(model, parseTrainConfig({ batchSize: 128, epochs: 1 }));
  const started = performance.now();
  const result = await trainer.fit(data);
  const seconds = (performance.now() - started) / 1000;
  const peakRss = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))[1]) * 1024;
  trainer.dispose();
  model.dispose();
  return { model: m.name, backend, threads: report.threads, steps: result.step, seconds, samplesPerSec: data.count / seconds, msPerStep: (seconds * 1000) / result.step, peakRssMiB: peakRss / 2 ** 20 };
}

if (process.argv[1]?.endsWith('epoch.mjs')) {
  const [backend = 'wasm', threads = '1', index = '0'] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  console.log(JSON.stringify(await benchEpoch(backend, Number(threads), Number(index))));
}
