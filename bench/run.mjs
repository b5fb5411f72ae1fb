// `pnpm bench`: every benchmark in one run, so ratios come from the same machine state. Each
// backend (and WASM thread count) trains in its own process: the WASM thread count is fixed
// once the backend starts.
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { benchDashboard, printDashboard } from './dashboard.mjs';
import { benchDatasetLoading, printDatasetLoading } from './dataset-loading.mjs';
import { pytorchEpochs, pytorchReference } from './pytorch.mjs';
import { benchTracking, printTracking } from './tracking.mjs';
import { availableBackends, CPU_BUDGET, formatRow, MODELS } from './training.mjs';

const training = fileURLToPath(new URL('./training.mjs', import.meta.url));
const cores = availableParallelism();

function trainIn(backend, threads) {
  const args = [training, backend, ...(threads ? [String(threads)] : []), '--json'];
  const run = spawnSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (run.status !== 0) throw new Error(`bench on ${backend} failed (exit ${run.status})`);
  return run.stdout.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
}

console.log(`## training throughput (batch 128, MNIST, ${cores} cores)`);
const ours = [];
const backends = await availableBackends();
for (const line of backends.skipped ?? []) console.log(`(not here: ${line})`);
for (const backend of backends) {
  const threadCounts = backend === 'wasm' ? [...new Set([1, cores])] : [undefined];
  for (const threads of threadCounts) {
    for (const r of trainIn(backend, threads)) {
      console.log(formatRow(r));
      ours.push(r);
    }
  }
  if (backend === 'cpu') console.log(`(cpu: ${CPU_BUDGET.steps} timed steps per model; skipped ${CPU_BUDGET.skip.join(', ')})`);
}

const reference = pytorchReference([...new Set([1, cores])]);
if (reference.rows.length === 0) {
  console.log(`\nPyTorch reference skipped: ${reference.reason}`);
} else {
  const wasm = (model, threads) => ours.find((o) => o.backend === 'wasm' && o.model === model && o.threads === threads);
  const torch = (model, threads) => reference.rows.find((p) => p.model === model && p.threads === threads);
  const pair = (model, threads) => {
    const [a, b] = [wasm(model, threads), torch(model, threads)];
    return a && b ? `${a.samplesPerSec.toFixed(0)} | ${b.samplesPerSec.toFixed(0)} | ${(a.samplesPerSec / b.samplesPerSec).toFixed(2)}` : '– | – | –';
  };
  console.log('\n## ours (tfjs wasm) vs PyTorch on the same CPU: same models, batch, data and timing (samples/s)');
  console.log(`| model | wasm 1 thread | PyTorch 1 thread | ratio | wasm ${cores} threads | PyTorch ${cores} threads | ratio |`);
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const model of [...new Set(ours.map((o) => o.model))]) console.log(`| ${model} | ${pair(model, 1)} | ${pair(model, cores)} |`);
}

// Whole epochs, 1 thread against 1 thread: Trainer.fit's loop around the steps, beside the same
// steps bare in the same process right after (epoch.mjs).
const epochScript = fileURLToPath(new URL('./epoch.mjs', import.meta.url));
const epochs = MODELS.map((_, i) => {
  const run = spawnSync(process.execPath, [epochScript, 'wasm', '1', String(i), '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (run.status !== 0) throw new Error(`epoch bench of ${MODELS[i].name} failed (exit ${run.status})`);
  return JSON.parse(run.stdout.trim().split('\n').pop());
});
const torchEpochs = pytorchEpochs(MODELS.map((m) => m.name), 1);
console.log('\n## whole epochs (Trainer.fit over 60,000 MNIST images, batch 128, 1 thread; samples/s, peak RSS per model process)');
console.log('| model | wasm epoch | wasm step loop, same process | epoch / step loop | PyTorch epoch | wasm / PyTorch epoch | wasm peak RSS | PyTorch peak RSS |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
for (const e of epochs) {
  const torch = torchEpochs.rows.find((t) => t.model === e.model);
  const cells = [
    e.model, e.samplesPerSec.toFixed(0), (128_000 / e.loopMsPerStep).toFixed(0), e.epochOverLoop.toFixed(2),
    torch ? torch.samplesPerSec.toFixed(0) : '–', torch ? (e.samplesPerSec / torch.samplesPerSec).toFixed(2) : '–',
    `${e.peakRssMiB.toFixed(0)} MiB`, torch ? `${torch.peakRssMiB.toFixed(0)} MiB` : '–',
  ];
  console.log(`| ${cells.join(' | ')} |`);
}
if (torchEpochs.reason) console.log(`(PyTorch epochs skipped: ${torchEpochs.reason})`);

console.log('\n## where a training step\'s time goes (WASM, 1 thread; tfjs\'s profiler, kernel by kernel)');
// Its own process: the WASM thread count is fixed once a backend starts.
const torchStepMs = Object.fromEntries(reference.rows.filter((r) => r.threads === 1).map((r) => [r.model, 128_000 / r.samplesPerSec]));
const profiled = spawnSync(process.execPath, [fileURLToPath(new URL('./profile-step.mjs', import.meta.url))], {
  stdio: ['ignore', 'inherit', 'inherit'],
  env: { ...process.env, VAELAB_TORCH_STEP_MS: JSON.stringify(torchStepMs) },
});
if (profiled.status !== 0) throw new Error(`step profile failed (exit ${profiled.status})`);

console.log('\n## loading an image folder');
printDatasetLoading(await benchDatasetLoading());

console.log('\n## tracking store');
printTracking(await benchTracking());

console.log('\n## dashboard at 10k runs');
printDashboard(await benchDashboard());
