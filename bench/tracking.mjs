// Tracking store benchmark, SQLite and PostgreSQL side by side: sustained metric rows/s from
// several writer processes at once, claims/s with 8 workers racing over one sweep, and p95
// latency of the runs-table query with 10k runs. PostgreSQL runs on a throwaway local server
// with fsync on (durable, as a real one); it is skipped, saying why, without server binaries.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '../packages/tracking/dist/index.js';
import { postgresBinDir, startTestPostgres } from '../packages/tracking/dist/testing/postgres-server.js';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const percentile = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];

function child(script, args) {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [fileURLToPath(new URL(script, import.meta.url)), ...args.map(String)]);
    let out = '';
    proc.stdout.on('data', (d) => (out += d));
    proc.stderr.on('data', (d) => process.stderr.write(d));
    proc.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`${script} exited ${code}`))));
  });
}

async function writes(fresh, { processes, batches, batchSize, repeats }) {
  const rates = [];
  for (let r = 0; r < repeats; r++) {
    const location = await fresh();
    await (await openStore(location)).close();
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: processes }, () => child('./tracking-writer.mjs', [location, batches, batchSize])));
    rates.push(results.reduce((n, x) => n + x.rows, 0) / ((performance.now() - started) / 1000));
  }
  return rates;
}

async function claims(fresh, workers, trials) {
  const location = await fresh();
  const store = await openStore(location);
  const { sweep } = await store.createSweep({ name: 'claims', configText: 'claims', method: 'grid', trials: Array.from({ length: trials }, (_, i) => ({ params: { i } })) });
  await store.close();
  const results = await Promise.all(Array.from({ length: workers }, () => child('./tracking-claimer.mjs', [location, sweep.id])));
  const seconds = (Math.max(...results.map((r) => r.last)) - Math.min(...results.map((r) => r.first))) / 1000;
  const claimed = results.reduce((n, r) => n + r.claimed, 0);
  if (claimed !== trials) throw new Error(`claims: ${claimed} trials claimed of ${trials}`);
  return { perSec: claimed / seconds, claimed };
}

async function queries(fresh) {
  const store = await openStore(await fresh());
  const trials = Array.from({ length: 10_000 }, (_, i) => ({ params: { beta: (i % 50) / 10, lr: 10 ** -(2 + (i % 3)), seed: i }, variant: i % 2 ? 'beta-vae' : 'vae' }));
  const { sweep } = await store.createSweep({ name: 'big', configText: 'big', method: 'grid', trials });
  const me = { pid: process.pid, host: 'bench' };
  for (let i = 0; i < 10_000; i++) {
    const run = await store.claimTrial(me, sweep.id);
    await store.logMetrics({ runId: run.id, attempt: run.attempt }, [{ key: 'test/negative_elbo', step: 100, value: 90 + (i % 97) }]);
    if (i % 3 === 0) await store.endRun({ runId: run.id, attempt: run.attempt }, 'finished');
  }
  const list = [
    { sortBy: 'created', limit: 50 },
    { sortBy: 'metric:test/negative_elbo', direction: 'asc', limit: 50 },
    { sortBy: 'param:beta', direction: 'desc', limit: 50, offset: 5000 },
    { status: ['running'], params: [{ key: 'beta', min: 1, max: 3 }], metrics: [{ key: 'test/negative_elbo', max: 150 }], sortBy: 'metric:test/negative_elbo', limit: 50 },
  ];
  const latencies = [];
  for (let i = 0; i < 200; i++) {
    const t = performance.now();
    await store.queryRuns(list[i % list.length]);
    latencies.push(performance.now() - t);
  }
  await store.close();
  return { p50: percentile(latencies, 0.5), p95: percentile(latencies, 0.95) };
}

async function benchEngine(name, fresh) {
  const settings = { processes: 4, batches: 100, batchSize: 500, repeats: 3 };
  const rates = await writes(fresh, settings);
  const claim = await claims(fresh, 8, 400);
  const q = await queries(fresh);
  return { engine: name, ...settings, rowsPerSec: median(rates), rowsPerSecAll: rates, claimsPerSec: claim.perSec, claimed: claim.claimed, queryP50: q.p50, queryP95: q.p95 };
}

export async function benchTracking() {
  const results = [await benchEngine('sqlite', async () => join(mkdtempSync(join(tmpdir(), 'vaelab-bench-')), 'bench.db'))];
  if (postgresBinDir() == null) return { results, skipped: 'PostgreSQL: no server binaries (apt-get install postgresql)' };
  const server = await startTestPostgres({ durable: true });
  try {
    results.push(await benchEngine('postgres', () => server.createDatabase()));
  } finally {
    await server.stop();
  }
  return { results };
}

export function printTracking({ results, skipped }) {
  console.log('| store | metric rows/s (4 writers, batches of 500; median of 3) | claim + finish per s (8 workers, 400 trials) | runs-table query, 10k runs: p50 / p95 |');
  console.log('|---|---:|---:|---:|');
  for (const r of results) {
    console.log(`| ${r.engine} | ${Math.round(r.rowsPerSec).toLocaleString('en')} (${r.rowsPerSecAll.map((x) => Math.round(x).toLocaleString('en')).join(', ')}) | ${Math.round(r.claimsPerSec).toLocaleString('en')} | ${r.queryP50.toFixed(1)} / ${r.queryP95.toFixed(1)} ms |`);
  }
  if (skipped) console.log(`(${skipped})`);
  console.log('targets: SQLite ≥ 100,000 rows/s, PostgreSQL ≥ 50,000 rows/s, query p95 < 50 ms on both');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) printTracking(await benchTracking());
