// Real processes on a real SQLite file: concurrent claiming and logging, and a writer killed
// with SIGKILL mid-run.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { TrackingStore } from '@vaelab/tracking';
import { tempDbPath } from './helpers.js';

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

beforeAll(() => {
  // Child processes run plain Node, so they load the built package.
  if (!existsSync(fileURLToPath(new URL('../dist/index.js', import.meta.url)))) {
    throw new Error('packages/tracking/dist is missing: run the README test command (it builds first) or `pnpm build`');
  }
});

describe('several processes on one store', () => {
  it('4 workers claim 24 trials exactly once and log 150k points with no lock errors, losses or duplicates', async () => {
      const path = tempDbPath();
      const store = new TrackingStore(path);
      const trials = Array.from({ length: 24 }, (_, i) => ({ params: { trial: i } }));
      const { sweep } = store.createSweep({ name: 'race', configText: 'race', method: 'grid', trials });
      const [batches, batchSize] = [25, 250];
      const results = await Promise.all([0, 1, 2, 3].map(() => run('claim-and-log.mjs', [path, sweep.id, String(batches), String(batchSize)])));
      for (const r of results) {
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
      }
      const claimed = results.flatMap((r) => JSON.parse(r.stdout).claimed as number[]).sort((a, b) => a - b);
      expect(claimed).toEqual(trials.map((_, i) => i));
      expect(results.filter((r) => JSON.parse(r.stdout).claimed.length > 0).length).toBeGreaterThan(1);
      expect(store.sweepCounts(sweep.id)).toMatchObject({ finished: 24, pending: 0, running: 0 });
      expect(store.db.prepare('SELECT count(*) FROM metrics').pluck().get()).toBe(24 * batches * batchSize);
      for (const r of store.sweepRuns(sweep.id)) {
        expect(store.metricSummaries(r.id)).toEqual([{ key: 'loss', lastStep: batches * batchSize - 1, last: r.trial! + (batchSize - 1) / 1000, min: r.trial!, max: r.trial! + (batchSize - 1) / 1000, count: batches * batchSize }]);
      }
      store.close();
  });

  it('a writer killed with SIGKILL leaves a readable store and a run the reaper marks crashed', async () => {
    const path = tempDbPath();
    const child = spawn(process.execPath, [fixture('log-forever.mjs'), path]);
    const runId = await new Promise<string>((resolve) => child.stdout.once('data', (d) => resolve(String(d).trim())));
    const store = new TrackingStore(path);
    const count = () => store.db.prepare('SELECT count(*) FROM metrics').pluck().get() as number;
    while (count() < 20_000) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('close', r));

    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    const n = count();
    expect(n % 500).toBe(0); // whole batches only: no half-written transaction
    expect(store.metricSummaries(runId)[0].count).toBe(n);
    // Metrics and the image of a batch are two transactions, so a kill between them leaves one
    // batch without its image; every image present has all 500 of its batch's points.
    const images = store.listImages(runId);
    expect(n / 500 - images.length).toBeGreaterThanOrEqual(0);
    expect(n / 500 - images.length).toBeLessThanOrEqual(1);
    for (const img of images) {
      expect(store.db.prepare('SELECT count(*) FROM metrics WHERE run_id = ? AND step BETWEEN ? AND ?').pluck().get(runId, img.step * 500, img.step * 500 + 499)).toBe(500);
    }
    expect(store.getRun(runId).status).toBe('running');
    expect(store.reapDeadRuns(60_000)).toEqual([runId]);
    expect(store.getRun(runId)).toMatchObject({ status: 'crashed', error: `worker process ${child.pid} is gone` });
    store.close();
  });
});
