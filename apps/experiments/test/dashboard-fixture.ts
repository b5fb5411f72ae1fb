// A store on disk with a small sweep (3 seeds × 2 betas, curves and images) and a run whose
// name and params are HTML, for the dashboard's API and browser tests.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { imageGridPng } from '@vaelab/core';
import { leaseOf, openStore, workerHost } from '@vaelab/tracking';

export const MALICIOUS = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>';

function png(shade: number): Buffer {
  const pixels = new Float32Array(8 * 8).map((_, i) => ((i % 8) / 8 + shade) % 1);
  return imageGridPng(pixels, [8, 8, 1], { columns: 1, scale: 4 });
}

/** Fills the store at `location` (a file path or a postgres:// URL); returns the run ids. */
export async function fillFixtureStore(location: string): Promise<string[]> {
  const store = await openStore(location);
  const trials = [1, 4].flatMap((beta) => [0, 1, 2].map((seed) => ({ params: { 'objective.beta': beta, seed }, variant: 'beta-vae' })));
  const { sweep } = await store.createSweep({ name: 'fixture-sweep', configText: 'fixture', method: 'grid', metric: { name: 'test/mig', goal: 'maximize' }, trials });
  const ids: string[] = [];
  for (let i = 0; i < trials.length; i++) {
    const run = (await store.claimTrial({ pid: process.pid, host: workerHost() }, sweep.id))!;
    const lease = leaseOf(run);
    ids.push(run.id);
    const beta = trials[i].params['objective.beta'];
    await store.logMetrics(lease, Array.from({ length: 50 }, (_, step) => ({ key: 'loss', step, value: 200 / (1 + step * (i + 1) * 0.05) })));
    // The best MIG comes at step 10, before the last: the run page must tell best from last.
    await store.logMetrics(lease, [10, 20].map((step) => ({ key: 'test/mig', step, value: 0.05 * beta + 0.01 * (i % 3) + (step === 10 ? 0.002 : 0) })));
    await store.logImages(lease, [10, 20].map((step) => ({ key: 'samples', step, index: 0, png: png(step / 40 + i / 10) })));
    await store.recordEnvironment(lease, { backend: 'wasm', gitSha: 'abc123', versions: { node: '20' }, config: { model: { objective: { kind: 'beta', beta } } } });
    await store.endRun(lease, 'finished');
  }
  const evil = await store.createRun({ name: MALICIOUS, variant: 'vae', params: { note: MALICIOUS } });
  await store.logMetrics(evil.lease, [{ key: 'loss', step: 0, value: 1 }, { key: 'loss', step: 1, value: Number.NaN }, { key: MALICIOUS, step: 0, value: 2 }]);
  ids.push(evil.id);
  await store.close();
  return ids;
}

export async function buildFixtureStore(): Promise<{ path: string; ids: string[] }> {
  const path = join(mkdtempSync(join(tmpdir(), 'vaelab-dash-')), 'fixture.db');
  return { path, ids: await fillFixtureStore(path) };
}
