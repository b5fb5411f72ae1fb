// One sweep on several machines through one PostgreSQL store: two worker groups with different
// host names join a sweep; when every process of one group is killed mid-trial, the other
// finishes all trials, each exactly once, the re-leased ones from their checkpoints. Then every
// CLI command and the dashboard on the PostgreSQL URL, and a bad URL.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { maskPassword, type RunWithMetrics } from '@vaelab/tracking';
import { cli, dir, exited, expectCompleteSeries, requireBuiltCli, startDetached, waitFor, watchSweep, writeSweep } from './cli-helpers.js';
import { engines, postgresServer } from './engines.js';

beforeAll(requireBuiltCli);

const server = postgresServer();
const postgres = engines().find((e) => e.name === 'postgres');
const EPOCHS = 3;
const STEPS = EPOCHS * 64;

describe.skipIf(server == null)('a sweep on two machines sharing PostgreSQL', () => {
  it('survives SIGKILL of every process of one machine: the other finishes each trial once, from checkpoints', async () => {
    const db = await postgres!.fresh();
    const file = writeSweep('shared', `
name: shared
variant: vae
dataset: { name: mnist, trainSize: 1024, testSize: 128 }
base: { latentDim: 8, architecture: { kind: mlp, hiddenUnits: [128] } }
train: { batchSize: 16, logEvery: 4, checkpointEvery: 16 }
parameters:
  train.learningRate: { values: [0.001, 0.0007, 0.0005] }
seeds: 2
max_retries: 1
heartbeat_timeout: 5
budget: { epochs: ${EPOCHS} }
`);
    const created = cli(['sweep', file, '--db', db, '--no-workers']);
    expect(created.status, created.output).toBe(0);
    expect(created.output).toContain('stored 6 trial(s); run them on any machine with: npx vaelab worker --sweep shared --db');
    const a = startDetached(['worker', '--sweep', 'shared', '--parallel', '2', '--db', db], { VAELAB_HOST: 'machine-a' });
    const store = await watchSweep(db, 'shared');
    const sweepId = (await store.getSweep('shared')).id;
    let onA: RunWithMetrics[] = [];
    await waitFor(async () => {
      onA = (await store.sweepTrials(sweepId)).filter((r) => r.status === 'running' && r.workerHost === 'machine-a' && (r.metrics.loss?.lastStep ?? 0) > 20);
      return onA.length === 2;
    }, 'two trials on machine a past their first checkpoints');
    const b = startDetached(['worker', '--sweep', 'shared', '--parallel', '2', '--db', db], { VAELAB_HOST: 'machine-b' });
    process.kill(-a.pid!, 'SIGKILL'); // the whole of machine a: its pool and its workers
    const killedAt = Date.now();
    expect(await exited(b), b.output()).toBe(0);
    const runs = await store.sweepTrials(sweepId);
    expect(runs.map((r) => r.status)).toEqual(runs.map(() => 'finished'));
    for (const run of runs) await expectCompleteSeries(store, run.id, 'loss', STEPS);
    for (const lost of onA) {
      const run = runs.find((r) => r.id === lost.id)!;
      expect(run).toMatchObject({ attempt: 2, workerHost: 'machine-b' });
      const series = await store.metricSeries(run.id, 'loss');
      const kept = series.filter((p) => p.attempt === 1);
      expect(kept.length).toBeGreaterThan(0); // resumed from machine a's checkpoint, not from scratch
      expect(kept.every((p) => p.wallMs < killedAt)).toBe(true);
    }
    expect((await store.getSweep(sweepId)).status).toBe('finished');
    await store.close();
  });

  it('every command and the dashboard work on a PostgreSQL URL; a bad URL is one line with the password masked', async () => {
    const db = await postgres!.fresh();
    const file = writeSweep('pgcli', `
name: pgcli
variant: vae
dataset: { name: mnist, trainSize: 128, testSize: 64 }
base: { latentDim: 2, architecture: { kind: mlp, hiddenUnits: [16] } }
train: { batchSize: 64 }
parameters:
  freeBits: { values: [0, 0.5] }
budget: { epochs: 1 }
`);
    expect(cli(['sweep', file, '--db', db]).status).toBe(0);
    const listed = cli(['ls', 'pgcli', '--db', db]);
    expect(listed.output).toContain('sweep "pgcli": 2 finished, 0 failed (status finished)');
    const fromEnv = cli(['ls'], { VAELAB_DB: db });
    expect(fromEnv.output).toMatch(/pgcli\s+finished/);
    const exported = join(dir, 'pgcli.json');
    expect(cli(['export', 'pgcli', '--format', 'json', '--out', exported, '--db', db]).output).toContain(`wrote ${exported} (2 runs)`);
    const runId = (JSON.parse(readFileSync(exported, 'utf8')) as { runs: { id: string }[] }).runs[0].id;
    expect(cli(['show', runId, '--db', db]).output).toContain('pgcli#');
    expect(cli(['resume', 'pgcli', '--db', db]).output).toContain('resuming sweep "pgcli": 0 interrupted trial(s) re-queued, 0 pending');
    const dashboard = startDetached(['dashboard', '--port', '0', '--db', db]);
    await waitFor(() => /dashboard on (http:\/\/\S+)/.test(dashboard.output()), 'the dashboard to listen');
    const url = /dashboard on (http:\/\/\S+)/.exec(dashboard.output())![1];
    expect(dashboard.output()).toContain(`(store ${maskPassword(db)}, read-only`);
    const api = await (await fetch(new URL('/api/runs', url))).json() as { total: number };
    expect(api.total).toBe(2);
    process.kill(-dashboard.pid!, 'SIGINT');
    expect(await exited(dashboard)).toBe(0);
    const wrong = db.replace(`:${server!.user.password}@`, ':not-it@');
    const bad = cli(['ls', '--db', wrong]);
    expect(bad.status).toBe(1);
    expect(bad.output.trim()).toMatch(new RegExp(`^vaelab ls: PostgreSQL at ${maskPassword(wrong).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: authentication failed`));
    expect(bad.output).not.toContain('not-it');
  });
});
