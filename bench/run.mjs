// `pnpm bench`: every benchmark in one run, so ratios come from the same machine state.
import { benchTracking } from './tracking.mjs';
import { availableBackends, benchTraining, formatRow } from './training.mjs';
import { pytorchReference } from './pytorch.mjs';

console.log('## training throughput (batch 128, MNIST)');
const ours = [];
for (const backend of await availableBackends()) {
  // The plain CPU backend is ~20-100× slower: fewer timed steps keep the bench short.
  const steps = backend === 'cpu' ? { steps: 2, repeats: 1 } : {};
  for (const r of await benchTraining(backend, steps)) {
    console.log(formatRow(r));
    ours.push(r);
  }
}

const reference = pytorchReference([1, 2]);
if (reference.rows.length === 0) {
  console.log(`\nPyTorch reference skipped: ${reference.reason}`);
} else {
  console.log('\n## ours (wasm) / PyTorch on the same CPU, same models, batch and timing');
  console.log('| model | wasm samples/s | PyTorch 1 thread | ratio | PyTorch 2 threads | ratio |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const r of ours.filter((o) => o.backend === 'wasm')) {
    const torch = (threads) => reference.rows.find((p) => p.model === r.model && p.threads === threads);
    const cell = (p) => (p ? `${p.samplesPerSec.toFixed(0)} | ${(r.samplesPerSec / p.samplesPerSec).toFixed(2)}` : '– | –');
    console.log(`| ${r.model} | ${r.samplesPerSec.toFixed(0)} | ${cell(torch(1))} | ${cell(torch(2))} |`);
  }
}

const t = await benchTracking();
console.log('\n## tracking store');
console.log(`metric rows/s, ${t.processes} writer processes, batches of ${t.batchSize}: ${Math.round(t.rowsPerSec).toLocaleString('en')} (median of 3; target ≥ 100,000)`);
console.log(`runs-table query, 10k runs: p50 ${t.queryP50.toFixed(1)} ms, p95 ${t.queryP95.toFixed(1)} ms (target p95 < 50 ms)`);
