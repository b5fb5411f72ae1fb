// End-to-end sweeps through the built CLI, as users run them: parallel workers, a failing trial,
// SIGKILL of the whole process group mid-sweep followed by resume, and Ctrl-C.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { TrackingStore } from '@vaelab/tracking';

const CLI = join(import.meta.dirname, '../dist/cli.js');
const dir = mkdtempSync(join(tmpdir(), 'vaelab-sweep-'));

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (the README test command does)`);
});

function cli(...args: string[]): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 240_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function writeSweep(name: string, text: string): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, text);
  return file;
}

/** Every step 0..steps-1 logged exactly once for `key`. */
function expectCompleteSeries(store: TrackingStore, runId: string, key: string, steps: number): void {
  const points = store.metricSeries(runId, key);
  expect(points.map((p) => p.step)).toEqual(Array.from({ length: steps }, (_, i) => i));
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 120_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function startDetached(...args: string[]): ChildProcess {
  return spawn(process.execPath, [CLI, ...args], { detached: true, stdio: 'ignore' });
}

describe('vaelab sweep', () => {
  it('runs trials in 2 workers, logs metrics and images for each, and marks a NaN trial failed without stopping the others', () => {
    const file = writeSweep('tiny', `
name: tiny
dataset: { name: mnist, trainSize: 256, testSize: 128 }
budget: { epochs: 2 }
train: { batchSize: 64, logEvery: 2 }
parallel: 2
variants:
  - variant: vae
    base: { latentDim: 4, architecture: { kind: mlp, hiddenUnits: [32] } }
    parameters:
      train.learningRate: { values: [0.001, 1.0e+12] }
  - variant: cvae
    base: { latentDim: 4, architecture: { kind: mlp, hiddenUnits: [32] } }
  - variant: vq-vae
    base: { filters: [8, 16], numEmbeddings: 16, embeddingDim: 4 }
    prior: { epochs: 1, hiddenUnits: 8 }
`);
    const db = join(dir, 'tiny.db');
    const { status, output } = cli('sweep', file, '--db', db);
    expect(status, output).toBe(1); // one trial failed
    expect(output).toContain('3 finished, 1 failed');
    const store = new TrackingStore(db);
    const runs = store.sweepRuns(store.getSweep('tiny').id);
    expect(runs.map((r) => [r.name, r.variant, r.status])).toEqual([
      ['tiny#0', 'vae', 'finished'], ['tiny#1', 'vae', 'failed'], ['tiny#2', 'cvae', 'finished'], ['tiny#3', 'vq-vae', 'finished'],
    ]);
    expect(runs[1].error).toMatch(/^non-finite loss part "reconstruction" at step \d+/);
    expect(new Set(runs.map((r) => r.workerPid)).size).toBe(2);
    for (const run of runs.filter((r) => r.status === 'finished')) {
      expectCompleteSeries(store, run.id, 'loss', 8);
      expect(store.metricSeries(run.id, run.variant === 'vq-vae' ? 'test/mse' : 'test/negativeElbo').map((p) => p.step)).toEqual([4, 8]);
      expect(store.listImages(run.id, 'reconstructions').map((i) => i.step)).toEqual([4, 8]);
      expect(run.backend).toBe('wasm');
      // 2 workers share the cores: each WASM worker starts with its share of threads.
      expect(run.versions?.wasmThreads).toBe(String(Math.max(1, Math.floor(cpus().length / 2))));
      expect((run.config as { model: { seed: number } }).model.seed).toBe(0);
    }
    expect(store.listImages(runs[3].id, 'samples-autoregressive')).toHaveLength(1);
    expect(store.getImage(runs[3].id, 'samples-autoregressive', 8)?.subarray(1, 4).toString()).toBe('PNG');
    store.close();
  });

  const longSweep = (name: string) => writeSweep(name, `
name: ${name}
variant: vae
dataset: { name: mnist, trainSize: 2048, testSize: 256 }
base: { latentDim: 8, architecture: { kind: mlp, hiddenUnits: [256] } }
train: { batchSize: 16, logEvery: 8, checkpointEvery: 32 }
parameters:
  train.learningRate: { values: [0.001, 0.0005] }
seeds: 2
parallel: 2
budget: { epochs: 3 }
`);
  const STEPS = 3 * 128;

  it('after SIGKILL of the coordinator and its workers, resume completes every trial exactly once from its checkpoint', async () => {
    const db = join(dir, 'kill.db');
    const child = startDetached('sweep', longSweep('kill'), '--db', db);
    await waitFor(() => existsSync(db), 'the store');
    const watcher = new TrackingStore(db, { readonly: true });
    let killedAt = 0;
    let interrupted: { id: string; step: number }[] = [];
    await waitFor(() => {
      const running = watcher.sweepRuns(watcher.getSweep('kill').id).filter((r) => r.status === 'running');
      interrupted = running.map((r) => ({ id: r.id, step: watcher.metricSummaries(r.id).find((s) => s.key === 'loss')?.lastStep ?? -1 }));
      return interrupted.some((r) => r.step > 64);
    }, 'a trial past its first checkpoints');
    process.kill(-child.pid!, 'SIGKILL');
    killedAt = Date.now();
    watcher.close();
    const resumed = cli('resume', 'kill', '--db', db);
    expect(resumed.status, resumed.output).toBe(0);
    expect(resumed.output).toMatch(/resuming sweep "kill": [12] interrupted trial\(s\) re-queued/);
    const store = new TrackingStore(db);
    const runs = store.sweepRuns(store.getSweep('kill').id);
    expect(runs.map((r) => r.status)).toEqual(['finished', 'finished', 'finished', 'finished']);
    for (const run of runs) {
      expectCompleteSeries(store, run.id, 'loss', STEPS);
      expect(store.metricSeries(run.id, 'test/negativeElbo').map((p) => p.step)).toEqual([128, 256, 384]);
    }
    // The interrupted trials continued from a checkpoint: their early points predate the kill.
    const cut = interrupted.find((r) => r.step > 64)!;
    const early = store.metricSeries(cut.id, 'loss').filter((p) => p.step < 32);
    expect(early.every((p) => p.wallMs! < killedAt)).toBe(true);
    expect(store.getRun(cut.id).attempt).toBe(2);
    expect(store.getSweep('kill').status).toBe('finished');
    store.close();
  });

  it('Ctrl-C stops cleanly: runs marked killed with a checkpoint, and resume finishes them', async () => {
    const db = join(dir, 'interrupt.db');
    const child = startDetached('sweep', longSweep('interrupt'), '--db', db);
    await waitFor(() => existsSync(db), 'the store');
    const watcher = new TrackingStore(db, { readonly: true });
    await waitFor(() => watcher.sweepRuns(watcher.getSweep('interrupt').id).filter((r) => r.status === 'running').length === 2, 'two running trials');
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    process.kill(-child.pid!, 'SIGINT'); // a terminal's Ctrl-C reaches the whole process group
    expect(await exited).toBe(130);
    const runs = watcher.sweepRuns(watcher.getSweep('interrupt').id);
    expect(runs.filter((r) => r.status === 'killed')).toHaveLength(2);
    expect(runs.filter((r) => r.status === 'killed').every((r) => r.error?.includes('checkpoint saved'))).toBe(true);
    expect(watcher.getSweep('interrupt').status).toBe('killed');
    watcher.close();
    const resumed = cli('resume', 'interrupt', '--db', db);
    expect(resumed.status, resumed.output).toBe(0);
    const store = new TrackingStore(db);
    for (const run of store.sweepRuns(store.getSweep('interrupt').id)) {
      expect(run.status).toBe('finished');
      expectCompleteSeries(store, run.id, 'loss', STEPS);
    }
    store.close();
  });

  it('rejects an invalid file before touching the store', () => {
    const file = writeSweep('bad', 'variant: beta-vae\ndataset: { name: mnist }\nbudget: { epochs: 1 }\nparameters:\n  objective.beta: { values: [-1] }\n');
    const db = join(dir, 'bad.db');
    const { status, output } = cli('sweep', file, '--db', db);
    expect(status).toBe(1);
    expect(output).toContain(`vaelab sweep: ${file}: parameters.objective.beta (value -1): Too small: expected number to be >=0`);
    expect(existsSync(db)).toBe(false);
  });

  it('read-only commands on a missing store say so and create nothing', () => {
    const db = join(dir, 'missing', 'none.db');
    const { status, output } = cli('ls', '--db', db);
    expect(status).toBe(1);
    expect(output).toContain(`vaelab ls: ${db}: no store here yet (run a sweep first, or pass --db)`);
    expect(existsSync(join(dir, 'missing'))).toBe(false);
  });
});
