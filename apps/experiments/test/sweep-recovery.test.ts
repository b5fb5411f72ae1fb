// What happens to a sweep when its processes are paused, killed or orphaned, through the built
// CLI on real stores: a stalled worker whose trial was handed on is fenced off (on SQLite and on
// PostgreSQL), a lost trial is reported, not hidden, resume takes over from live orphans, and a
// whole sweep suspended past its heartbeat timeout carries on instead of abandoning its trials.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunWithMetrics, StoreReader } from '@vaelab/tracking';
import { cli, dir, exited, expectCompleteSeries, requireBuiltCli, startDetached, waitFor, watchSweep, withStore, writeSweep } from './cli-helpers.js';
import { engines } from './engines.js';

beforeAll(requireBuiltCli);

const EPOCHS = 3;
const STEPS = EPOCHS * 64;

/** Two trials, two workers, short leases: a stalled worker loses its trial within seconds. */
const recoverySweep = (name: string, maxRetries: number, heartbeat = 4) => writeSweep(name, `
name: ${name}
variant: vae
dataset: { name: mnist, trainSize: 1024, testSize: 128 }
base: { latentDim: 8, architecture: { kind: mlp, hiddenUnits: [256] } }
train: { batchSize: 16, logEvery: 4, checkpointEvery: 16 }
parameters:
  train.learningRate: { values: [0.001, 0.0005] }
parallel: 2
max_retries: ${maxRetries}
heartbeat_timeout: ${heartbeat}
budget: { epochs: ${EPOCHS} }
`);

async function trials(store: StoreReader, name: string): Promise<RunWithMetrics[]> {
  return store.sweepTrials((await store.getSweep(name)).id);
}

/**
 * Waits for `count` trials running past their first checkpoints at once; returns one of them.
 * Tests that stall a single worker ask for one: on a loaded machine the second worker can start
 * after the first trial has finished, so a moment with both running may never come.
 */
async function runningTrial(store: StoreReader, name: string, count = 2): Promise<RunWithMetrics> {
  let target: RunWithMetrics | undefined;
  await waitFor(async () => {
    const running = (await trials(store, name)).filter((r) => r.status === 'running' && (r.metrics.loss?.lastStep ?? 0) > 20);
    target = running.length >= count ? running[0] : undefined;
    return target != null;
  }, count === 1 ? 'a trial past its first checkpoint' : `${count} trials past their first checkpoints`);
  return target!;
}

/** Whether `pid` holds SQLite's WAL write lock on `db` (byte 120 of its -shm file), from /proc/locks. */
function holdsSqliteWriteLock(pid: number, db: string): boolean {
  const inode = statSync(`${db}-shm`).ino;
  return readFileSync('/proc/locks', 'utf8').split('\n').some((line) => {
    const f = line.trim().split(/\s+/);
    return f[4] === String(pid) && f[5]?.endsWith(`:${inode}`) && Number(f[6]) <= 120 && (f[7] === 'EOF' || Number(f[7]) >= 120);
  });
}

/**
 * SIGSTOPs a worker. On SQLite, a process stopped inside a write transaction holds the store's
 * one write lock, and every writer (the reaper too) waits until it continues: nothing can be
 * handed on meanwhile. That is SQLite's design, not the fence under test, so there the worker is
 * stopped outside a transaction. PostgreSQL frees a paused transaction's row locks itself.
 */
async function stopWorker(pid: number, engine: string, db: string): Promise<void> {
  for (;;) {
    process.kill(pid, 'SIGSTOP');
    if (engine !== 'sqlite' || !holdsSqliteWriteLock(pid, db)) return;
    process.kill(pid, 'SIGCONT');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe.each(engines())('a stalled worker on a $name store', (engine) => {
  it.each([[1], [0]])('is fenced off after its trial is handed on or crashed (max_retries %i): its writes are refused and it stops', async (maxRetries) => {
    const db = await engine.fresh();
    const name = `stall${maxRetries}`;
    const sweep = startDetached(['sweep', recoverySweep(name, maxRetries), '--db', db]);
    const store = await watchSweep(db, name);
    const target = await runningTrial(store, name, 1);
    await stopWorker(target.workerPid!, engine.name, db);
    try {
    // Past its lease the trial is reaped: re-queued and claimed again (attempt 2), or crashed.
      await waitFor(async () => {
        const now = await store.getRun(target.id);
        return maxRetries > 0 ? now.attempt === 2 && now.status === 'running' : now.status === 'crashed';
      }, maxRetries > 0 ? 'the trial claimed by another worker' : 'the trial marked crashed');
    } finally {
      process.kill(target.workerPid!, 'SIGCONT'); // never leave a stopped process behind, whatever failed
    }
    const handedOnAt = Date.now();
    const code = await exited(sweep);
    const output = sweep.output();
    expect(output).toContain(`trial ${target.name} was handed to another worker while this one stalled; its writes were refused, stopping`);
    const run = await store.getRun(target.id);
    const series = await store.metricSeries(target.id, 'loss');
    if (maxRetries > 0) {
      expect(code, output).toBe(0);
      expect(run).toMatchObject({ status: 'finished', attempt: 2 });
      await expectCompleteSeries(store, target.id, 'loss', STEPS);
      // No point of the stale attempt landed after the new attempt began.
      expect(series.filter((p) => p.attempt === 1 && p.wallMs >= run.startedAt!)).toEqual([]);
      expect(series.some((p) => p.attempt === 1)).toBe(true); // pre-stall points kept: resumed from a checkpoint
    } else {
      expect(code, output).toBe(1);
      expect(output).toMatch(new RegExp(`sweep "${name}": 1 finished, 0 failed, 1 crashed \\(status failed\\)`));
      expect(run.status).toBe('crashed');
      expect(series.filter((p) => p.wallMs > run.endedAt!)).toEqual([]);
      expect(series.at(-1)!.wallMs).toBeLessThan(handedOnAt);
      expect((await store.getSweep(name)).status).toBe('failed');
    }
    await store.close();
  }, 300_000);
});

// Each test runs whole two-trial sweeps (384 steps, plus a resume): on a loaded 2-core machine
// that has taken over 120 s, the default limit.
describe('sweeps that lose processes', { timeout: 300_000 }, () => {
  it('a worker killed mid-trial with no retries: the summary says crashed, the exit is non-zero, ls shows it', async () => {
    const db = `${(await engines()[0].fresh())}`;
    const sweep = startDetached(['sweep', recoverySweep('lost', 0, 600), '--db', db]);
    const store = await watchSweep(db, 'lost');
    const target = await runningTrial(store, 'lost');
    process.kill(target.workerPid!, 'SIGKILL');
    expect(await exited(sweep)).toBe(1);
    expect(sweep.output()).toContain('sweep "lost": 1 finished, 0 failed, 1 crashed (status failed)');
    expect(sweep.output()).toContain(`lost#${target.trial} (crashed): attempt 1: worker process ${target.workerPid} on`);
    const ls = cli(['ls', '--db', db]);
    expect(ls.output).toMatch(/lost\s+failed\s+grid\s+-\s+1\s+0\s+0\s+0\s+1\s+0/);
    await store.close();
  });

  it('resume right after the coordinator was killed, with its workers still alive, finishes every trial in one call', async () => {
    const db = await engines()[0].fresh();
    const sweep = startDetached(['sweep', recoverySweep('orphans', 0, 600), '--db', db]);
    const store = await watchSweep(db, 'orphans');
    await runningTrial(store, 'orphans');
    process.kill(sweep.pid!, 'SIGKILL'); // the coordinator alone: its workers live on, orphaned
    const resumed = cli(['resume', 'orphans', '--db', db]);
    expect(resumed.status, resumed.output).toBe(0);
    expect(resumed.output).toContain('sweep "orphans": 2 finished, 0 failed (status finished)');
    for (const run of await trials(store, 'orphans')) {
      expect(run.status).toBe('finished');
      await expectCompleteSeries(store, run.id, 'loss', STEPS);
    }
    await store.close();
  });

  it('a whole sweep suspended for longer than its heartbeat timeout resumes its workers instead of abandoning their trials', async () => {
    const db = await engines()[0].fresh();
    const sweep = startDetached(['sweep', recoverySweep('lid', 0, 3), '--db', db]);
    const store = await watchSweep(db, 'lid');
    await runningTrial(store, 'lid');
    process.kill(-sweep.pid!, 'SIGSTOP'); // a laptop lid: every process of the sweep stops
    const stoppedAt = Date.now();
    await waitFor(() => Date.now() - stoppedAt > 7000, 'a suspension twice the heartbeat timeout');
    process.kill(-sweep.pid!, 'SIGCONT');
    expect(await exited(sweep), sweep.output()).toBe(0);
    expect(sweep.output()).toMatch(/this process was suspended for \d+ s; giving workers 3 s to check in/);
    for (const run of await trials(store, 'lid')) {
      expect(run).toMatchObject({ status: 'finished', attempt: 1 });
      await expectCompleteSeries(store, run.id, 'loss', STEPS);
    }
    await store.close();
  });

  it('resume --failed re-runs failed trials, and --max-retries raises the limit without changing the sweep', async () => {
    const file = writeSweep('flaky', `
name: flaky
variant: vae
dataset: { name: mnist, trainSize: 128, testSize: 64 }
base: { latentDim: 2, architecture: { kind: mlp, hiddenUnits: [16] } }
train: { batchSize: 64 }
parameters:
  train.learningRate: { values: [0.001, 1.0e+12] }
parallel: 1
budget: { epochs: 1 }
`);
    const db = await engines()[0].fresh();
    expect(cli(['sweep', file, '--db', db]).status).toBe(1);
    const again = cli(['resume', 'flaky', '--failed', '--max-retries', '2', '--db', db]);
    expect(again.output).toContain('resuming sweep "flaky": 1 interrupted or failed trial(s) re-queued');
    await withStore(db, async (store) => {
      const sweep = await store.getSweep('flaky');
      expect(sweep.maxRetries).toBe(2);
      const failed = (await store.sweepTrials(sweep.id)).find((r) => r.status === 'failed')!;
      expect(failed.attempt).toBe(3); // the re-run, then retries up to max_retries 2: three attempts in all
    });
    // The same file with a new retry limit is the same sweep, not "a different config".
    const edited = writeSweep('flaky', `${(await import('node:fs')).readFileSync(file, 'utf8')}max_retries: 1\n`);
    const rerun = cli(['sweep', edited, '--db', db]);
    expect(rerun.output).not.toContain('already exists');
    expect(rerun.output).toContain('sweep "flaky": 1 finished, 1 failed');
  });
});

/** A tiny filesystem to fill up (root only: a tmpfs mount); null, saying why, where that is not possible. */
function tinyDisk(megabytes: number): { path: string; grow(mb: number): void; release(): void } | null {
  const path = join(dir, `tiny-${megabytes}`);
  mkdirSync(path, { recursive: true });
  const mount = userInfo().uid === 0 ? spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m`, 'tmpfs', path]) : null;
  if (mount?.status !== 0) {
    console.warn(`SKIPPED disk-full test: cannot mount a small tmpfs here (${userInfo().uid === 0 ? mount?.stderr.toString().trim() : 'needs root'})`);
    return null;
  }
  return {
    path,
    grow: (mb) => { spawnSync('mount', ['-o', `remount,size=${mb}m`, path]); },
    release: () => { spawnSync('umount', [path]); },
  };
}

describe('a full disk', { timeout: 300_000 }, () => {
  it('is one clear line from the worker, the trial is reported, and resume after freeing space finishes it', async () => {
    const disk = tinyDisk(3);
    if (disk == null) return;
    try {
      const db = join(disk.path, 'store.db');
      const file = writeSweep('full', `
name: full
variant: vae
dataset: { name: mnist, trainSize: 512, testSize: 64 }
base: { latentDim: 4, architecture: { kind: mlp, hiddenUnits: [256] } }
train: { batchSize: 64 }
parallel: 1
budget: { epochs: 2 }
`);
      const first = cli(['sweep', file, '--db', db]);
      expect(first.status).toBe(1);
      expect(first.output).toMatch(new RegExp(`worker \\d+: ${db.replace(/[/.]/g, '\\$&')}: the disk is full \\(SQLite could not write the store\\)`));
      expect(first.output.match(/disk is full/g)).toHaveLength(1);
      expect(first.output).not.toMatch(/\n\s+at /);
      expect(first.output).toContain('sweep "full": 0 finished, 0 failed, 1 crashed');
      disk.grow(200);
      const resumed = cli(['resume', 'full', '--db', db]);
      expect(resumed.status, resumed.output).toBe(0);
      expect(resumed.output).toContain('sweep "full": 1 finished, 0 failed (status finished)');
    } finally {
      disk.release();
    }
  });
});
