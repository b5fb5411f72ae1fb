// Real processes on a real store, on both engines: concurrent claiming and logging, a race of 8
// workers over 200 trials, and a writer killed with SIGKILL mid-run.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { isProcessAlive, openStore } from '@vaelab/tracking';
import { withPgClient } from '@vaelab/tracking/testing';
import { engines } from './engines.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

function run(script: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [fixture(script), ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const VICTIM_APP = 'vaelab-sigkill-victim';

/** How many server sessions the crash test's writer holds on the database at url. */
/** How many server sessions the crash test's writer holds on the database at url. */
const victimSessions = (url: string) => withPgClient(url, async (client) => {
  const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()', [VICTIM_APP]);
  return rows[0].n;
});

beforeAll(() => {
  // Child processes run plain Node, so they load the built package.
  if (!existsSync(fileURLToPath(new URL('../dist/index.js', import.meta.url)))) {
    throw new Error('packages/tracking/dist is missing: run the README test command (it builds first) or `pnpm build`');
  }
});

describe.each(engines())('$name store: several processes', (engine) => {
  async function race(workers: number, trialCount: number, batches: number, batchSize: number) {
    const location = await engine.fresh();
    const store = await openStore(location);
    const trials = Array.from({ length: trialCount }, (_, i) => ({ params: { trial: i } }));
    const { sweep } = await store.createSweep({ name: 'race', configText: 'race', method: 'grid', trials });
    // Every worker opens its store and waits at the start line; then all are let go at once.
    const startDir = mkdtempSync(join(tmpdir(), 'vaelab-race-'));
    const running = Promise.all(Array.from({ length: workers }, () => run('claim-and-log.mjs', [location, sweep.id, String(batches), String(batchSize), startDir])));
    const until = Date.now() + 120_000;
    while (readdirSync(startDir).filter((f) => f.startsWith('ready-')).length < workers) {
      if (Date.now() > until) throw new Error('timed out waiting for the workers to open the store');
      await new Promise((r) => setTimeout(r, 10));
    }
    writeFileSync(join(startDir, 'go'), '');
    const results = await running;
    for (const r of results) {
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
    const claimed = results.flatMap((r) => JSON.parse(r.stdout).claimed as number[]).sort((a, b) => a - b);
    expect(claimed).toEqual(trials.map((_, i) => i));
    expect(results.filter((r) => JSON.parse(r.stdout).claimed.length > 0).length).toBeGreaterThan(1);
    return { store, sweep, trials };
  }

  it('4 workers claim 24 trials exactly once and log 150k points with no lock errors, losses or duplicates', async () => {
    const [batches, batchSize] = [25, 250];
    const { store, sweep } = await race(4, 24, batches, batchSize);
    expect(await store.sweepCounts(sweep.id)).toMatchObject({ finished: 24, pending: 0, running: 0 });
    expect((await store.getSweep(sweep.id)).status).toBe('finished');
    for (const r of await store.sweepTrials(sweep.id)) {
      expect(r.attempt).toBe(1);
      expect(Object.values(r.metrics)).toEqual([{ key: 'loss', lastStep: batches * batchSize - 1, last: r.trial! + (batchSize - 1) / 1000, min: r.trial!, max: r.trial! + (batchSize - 1) / 1000, count: batches * batchSize }]);
    }
    await store.close();
  });

  it('8 workers racing on 200 trials: every trial claimed exactly once', async () => {
    const { store, sweep } = await race(8, 200, 0, 0);
    const runs = await store.sweepTrials(sweep.id);
    expect(runs.map((r) => [r.status, r.attempt])).toEqual(runs.map(() => ['finished', 1]));
    await store.close();
  });

  it('a writer killed with SIGKILL leaves a readable store with whole batches, and a run the reaper marks crashed', async () => {
    const location = await engine.fresh();
    const child = spawn(process.execPath, [fixture('log-forever.mjs'), location], { env: { ...process.env, PGAPPNAME: VICTIM_APP } });
    const runId = await new Promise<string>((resolve) => child.stdout.once('data', (d) => resolve(String(d).trim())));
    const store = await openStore(location);
    const count = async () => (await store.metricSummaries(runId))[0]?.count ?? 0;
    while ((await count()) < 20_000) await new Promise((r) => setTimeout(r, 20));
    if (engine.name === 'postgres') expect(await victimSessions(location)).toBeGreaterThan(0);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('close', r));
    // A batch the writer had already sent may still commit after it died: its server session
    // finishes what it received before it sees the closed socket.
    if (engine.name === 'postgres') while ((await victimSessions(location)) > 0) await new Promise((r) => setTimeout(r, 20));

    if (engine.name === 'sqlite') expect((await store.engineInfo()).integrity).toBe('ok');
    const n = await count();
    expect(n % 500).toBe(0); // whole batches only: no half-written transaction
    expect((await store.metricSeries(runId, 'loss')).length).toBe(n);
    // Metrics and the image of a batch are two transactions, so a kill between them leaves one
    // batch without its image; every image present has all 500 of its batch's points.
    const images = await store.listImages(runId);
    expect(n / 500 - images.length).toBeGreaterThanOrEqual(0);
    expect(n / 500 - images.length).toBeLessThanOrEqual(1);
    const steps = (await store.metricSeries(runId, 'loss')).map((p) => p.step);
    for (const img of images) expect(steps.filter((s) => s >= img.step * 500 && s <= img.step * 500 + 499)).toHaveLength(500);
    expect((await store.getRun(runId)).status).toBe('running');
    expect(await store.reapExpired({ isAlive: isProcessAlive })).toMatchObject([{ runId, status: 'crashed', reason: `attempt 1: worker process ${child.pid} on ${(await store.getRun(runId)).workerHost} is gone` }]);
    expect(await store.getRun(runId)).toMatchObject({ status: 'crashed' });
    await store.close();
  });
});
