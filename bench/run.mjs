// `pnpm bench`: every benchmark in one run, so ratios come from the same machine state.
import { benchTracking } from './tracking.mjs';
import { benchTraining } from './training.mjs';

console.log('## training throughput (batch 128, MNIST)');
for (const backend of ['wasm']) {
  for (const r of await benchTraining(backend)) {
    console.log(`${r.model.padEnd(22)} ${r.backend.padEnd(5)} ${r.samplesPerSec.toFixed(0).padStart(7)} samples/s ${r.msPerStep.toFixed(1).padStart(7)} ms/step ${r.gflops.toFixed(1).padStart(6)} GFLOP/s`);
  }
}
const r = await benchTracking();
console.log('## tracking store');
console.log(`metric rows/s, ${r.processes} writer processes, batches of ${r.batchSize}: ${Math.round(r.rowsPerSec).toLocaleString('en')} (median of 3; target ≥ 100,000)`);
console.log(`runs-table query, 10k runs: p50 ${r.queryP50.toFixed(1)} ms, p95 ${r.queryP95.toFixed(1)} ms (target p95 < 50 ms)`);
