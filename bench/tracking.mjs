// Tracking store benchmark: sustained metric rows/s from several writer processes at once,
// and p95 latency of the runs-table query with 10k runs. Prints medians over repeats.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { queryRuns, TrackingStore } from '../packages/tracking/dist/index.js';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const percentile = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];

function writer(path, batches, batchSize) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(new URL('./tracking-writer.mjs', import.meta.url)), path, batches, batchSize]);
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => process.stderr.write(d));
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`writer exited ${code}`))));
  });
}

export async function benchTracking({ processes = 4, batches = 100, batchSize = 500, repeats = 3 } = {}) {
  const rates = [];
  for (let r = 0; r < repeats; r++) {
    const path = join(mkdtempSync(join(tmpdir(), 'vaelab-bench-')), 'bench.db');
    new TrackingStore(path).close();
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: processes }, () => writer(path, batches, batchSize)));
    const seconds = (performance.now() - started) / 1000;
    rates.push(results.reduce((n, x) => n + x.rows, 0) / seconds);
  }

  const path = join(mkdtempSync(join(tmpdir(), 'vaelab-bench-')), 'runs.db');
  const store = new TrackingStore(path);
  const trials = Array.from({ length: 10_000 }, (_, i) => ({ params: { beta: (i % 50) / 10, lr: 10 ** -(2 + (i % 3)), seed: i }, variant: i % 2 ? 'beta-vae' : 'vae' }));
  const { sweep } = store.createSweep({ name: 'big', configText: 'big', method: 'grid', trials });
  const runs = store.sweepRuns(sweep.id);
  store.db.transaction(() => {
    for (const [i, run] of runs.entries()) {
      store.db.prepare('INSERT INTO metric_summary (run_id, key, last_step, last_value, min_value, max_value, count) VALUES (?, ?, 100, ?, ?, ?, 100)')
        .run(run.id, 'test/negative_elbo', 90 + (i % 97), 90, 200);
    }
  })();
  const queries = [
    { sortBy: 'created', limit: 50 },
    { sortBy: 'metric:test/negative_elbo', direction: 'asc', limit: 50 },
    { sortBy: 'param:beta', direction: 'desc', limit: 50, offset: 5000 },
    { status: ['pending'], params: [{ key: 'beta', min: 1, max: 3 }], metrics: [{ key: 'test/negative_elbo', max: 150 }], sortBy: 'metric:test/negative_elbo', limit: 50 },
  ];
  const latencies = [];
  for (let i = 0; i < 200; i++) {
    const q = queries[i % queries.length];
    const t = performance.now();
    queryRuns(store.db, q);
    latencies.push(performance.now() - t);
  }
  store.close();
  return { processes, batchSize, rowsPerSec: median(rates), rowsPerSecAll: rates, queryP50: percentile(latencies, 0.5), queryP95: percentile(latencies, 0.95) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await benchTracking();
  console.log(`tracking: ${r.processes} writer processes, batches of ${r.batchSize}: ${Math.round(r.rowsPerSec).toLocaleString('en')} rows/s (median of ${r.rowsPerSecAll.map((x) => Math.round(x)).join(', ')})`);
  console.log(`tracking: runs-table query over 10k runs: p50 ${r.queryP50.toFixed(1)} ms, p95 ${r.queryP95.toFixed(1)} ms`);
}
