// End-to-end sweeps through the built CLI, as users run them: parallel workers, a failing trial,
// SIGKILL of the whole process group mid-sweep followed by resume, and Ctrl-C.
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, dir, exited, expectCompleteSeries, requireBuiltCli, startDetached, waitFor, watchSweep, withStore, writeSweep } from './cli-helpers.js';

beforeAll(requireBuiltCli);

export const longSweep = (name: string, extra = '') => writeSweep(name, `
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
${extra}`);
const STEPS = 3 * 128;

describe('vaelab sweep', () => {
  it('runs trials in 2 workers, logs metrics and images for each, and marks a NaN trial failed without stopping the others', async () => {
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
    const { status, output } = cli(['sweep', file, '--db', db]);
    expect(status, output).toBe(1); // one trial failed
    expect(output).toContain('sweep "tiny": 3 finished, 1 failed (status failed)');
    expect(output).toContain(`re-run them with: npx vaelab resume tiny --failed --db ${db}`);
    await withStore(db, async (store) => {
      const runs = await store.sweepTrials((await store.getSweep('tiny')).id);
      expect(runs.map((r) => [r.name, r.variant, r.status])).toEqual([
        ['tiny#0', 'vae', 'finished'], ['tiny#1', 'vae', 'failed'], ['tiny#2', 'cvae', 'finished'], ['tiny#3', 'vq-vae', 'finished'],
      ]);
      expect(runs[1].error).toMatch(/^non-finite loss part "reconstruction" at step \d+/);
      expect(new Set(runs.map((r) => r.workerPid)).size).toBe(2);
      for (const run of runs.filter((r) => r.status === 'finished')) {
        await expectCompleteSeries(store, run.id, 'loss', 8);
        expect((await store.metricSeries(run.id, run.variant === 'vq-vae' ? 'test/mse' : 'test/negativeElbo')).map((p) => p.step)).toEqual([4, 8]);
        expect((await store.listImages(run.id, 'reconstructions')).map((i) => i.step)).toEqual([4, 8]);
        expect(run.backend).toBe('wasm');
        // 2 workers share the cores: each WASM worker starts with its share of threads.
        expect(run.versions?.wasmThreads).toBe(String(Math.max(1, Math.floor(cpus().length / 2))));
        expect((run.config as { model: { seed: number } }).model.seed).toBe(0);
      }
      expect(await store.listImages(runs[3].id, 'samples-autoregressive')).toHaveLength(1);
      expect((await store.getImage(runs[3].id, 'samples-autoregressive', 8))?.subarray(1, 4).toString()).toBe('PNG');
    });
  });

  it('after SIGKILL of the coordinator and its workers, resume completes every trial exactly once from its checkpoint', async () => {
    const db = join(dir, 'kill.db');
    const child = startDetached(['sweep', longSweep('kill'), '--db', db]);
    const watcher = await watchSweep(db, 'kill');
    let interrupted: { id: string; step: number }[] = [];
    await waitFor(async () => {
      const running = (await watcher.sweepTrials((await watcher.getSweep('kill')).id)).filter((r) => r.status === 'running');
      interrupted = running.map((r) => ({ id: r.id, step: r.metrics.loss?.lastStep ?? -1 }));
      return interrupted.some((r) => r.step > 64);
    }, 'a trial past its first checkpoints');
    process.kill(-child.pid!, 'SIGKILL');
    const killedAt = Date.now();
    await watcher.close();
    const resumed = cli(['resume', 'kill', '--db', db]);
    expect(resumed.status, resumed.output).toBe(0);
    expect(resumed.output).toMatch(/resuming sweep "kill": [12] interrupted trial\(s\) re-queued/);
    await withStore(db, async (store) => {
      const runs = await store.sweepTrials((await store.getSweep('kill')).id);
      expect(runs.map((r) => r.status)).toEqual(['finished', 'finished', 'finished', 'finished']);
      for (const run of runs) {
        await expectCompleteSeries(store, run.id, 'loss', STEPS);
        expect((await store.metricSeries(run.id, 'test/negativeElbo')).map((p) => p.step)).toEqual([128, 256, 384]);
      }
      // The interrupted trials continued from a checkpoint: their early points predate the kill.
      const cut = interrupted.find((r) => r.step > 64)!;
      const early = (await store.metricSeries(cut.id, 'loss')).filter((p) => p.step < 32);
      expect(early.every((p) => p.wallMs < killedAt && p.attempt === 1)).toBe(true);
      expect((await store.getRun(cut.id)).attempt).toBe(2);
      expect((await store.getSweep('kill')).status).toBe('finished');
    });
  });

  it('Ctrl-C stops cleanly: runs marked killed with a checkpoint, and resume finishes them', async () => {
    const db = join(dir, 'interrupt.db');
    const child = startDetached(['sweep', longSweep('interrupt'), '--db', db]);
    const watcher = await watchSweep(db, 'interrupt');
    const sweepId = (await watcher.getSweep('interrupt')).id;
    await waitFor(async () => (await watcher.sweepTrials(sweepId)).filter((r) => r.status === 'running' && r.metrics.loss).length === 2, 'two running trials');
    process.kill(-child.pid!, 'SIGINT'); // a terminal's Ctrl-C reaches the whole process group
    expect(await exited(child), child.output()).toBe(130);
    const runs = await watcher.sweepTrials(sweepId);
    expect(runs.filter((r) => r.status === 'killed')).toHaveLength(2);
    expect(runs.filter((r) => r.status === 'killed').every((r) => r.error?.includes('checkpoint saved'))).toBe(true);
    expect((await watcher.getSweep('interrupt')).status).toBe('killed');
    await watcher.close();
    const resumed = cli(['resume', 'interrupt', '--db', db]);
    expect(resumed.status, resumed.output).toBe(0);
    await withStore(db, async (store) => {
      for (const run of await store.sweepTrials(sweepId)) {
        expect(run.status).toBe('finished');
        await expectCompleteSeries(store, run.id, 'loss', STEPS);
      }
    });
  });

  it('rejects an invalid file before touching the store', () => {
    const file = writeSweep('bad', 'variant: beta-vae\ndataset: { name: mnist }\nbudget: { epochs: 1 }\nparameters:\n  objective.beta: { values: [-1] }\n');
    const db = join(dir, 'bad.db');
    const { status, output } = cli(['sweep', file, '--db', db]);
    expect(status).toBe(1);
    expect(output).toContain(`vaelab sweep: ${file}: parameters.objective.beta (value -1): Too small: expected number to be >=0`);
    expect(existsSync(db)).toBe(false);
  });

  it('read-only commands on a missing store say so and create nothing', () => {
    const db = join(dir, 'missing', 'none.db');
    const { status, output } = cli(['ls', '--db', db]);
    expect(status).toBe(1);
    expect(output).toContain(`vaelab ls: ${db}: no store here yet (run a sweep first, or pass --db)`);
    expect(existsSync(join(dir, 'missing'))).toBe(false);
  });
});
