// `vaelab compare` and /api/compare on a real sweep that ran the evaluation suite: every cell is
// the mean and sample std of the arm's stored eval/* values, the best arm of a ranked column is
// the one its direction picks, the three formats and the HTTP answer agree, and a sweep with
// nothing finished or a name that does not exist is a clear error.
import type { Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type StoreReader } from '@vaelab/tracking';
import type { CompareTable } from '../src/commands/compare-table.js';
import { metricGoal } from '../src/commands/compare-table.js';
import { startDashboard } from '../src/dashboard/serve.js';
import { cli, dir, requireBuiltCli, writeSweep } from './cli-helpers.js';

const db = join(dir, 'compare', 'store.db');

beforeAll(async () => {
  requireBuiltCli();
  const file = writeSweep('cmp', `
name: cmp
dataset: { name: mnist, trainSize: 256, testSize: 128, holdOutClasses: [9] }
base: { latentDim: 2, architecture: { kind: mlp, hiddenUnits: [16] } }
train: { batchSize: 64 }
budget: { epochs: 1 }
seeds: 2
evaluation: { metrics: [reconstruction, likelihood, latent, anomaly, probe], probeLabels: [100], importanceSamples: 4 }
variants:
  - variant: vae
  - variant: beta-vae
    base: { objective: { kind: beta, beta: 4 } }
`);
  const run = cli(['sweep', file, '--db', db]);
  expect(run.status, run.output).toBe(0);
  const store = await openStore(db);
  await store.createSweep({ name: 'cmp-empty', configText: 'empty', method: 'grid', metric: { name: 'eval/mse', goal: 'minimize' }, trials: [{ params: { seed: 0 }, variant: 'vae' }] });
  await store.close();
}, 600_000);

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const std = (xs: number[]) => Math.sqrt(xs.reduce((s, x) => s + (x - mean(xs)) ** 2, 0) / (xs.length - 1));

describe('vaelab compare', () => {
  let table: CompareTable;

  beforeAll(() => {
    const out = cli(['compare', 'cmp', '--format', 'json', '--db', db]);
    expect(out.status, out.output).toBe(0);
    table = JSON.parse(out.output);
  });

  it('has one row per arm with the seeds pooled, and cells that are the stored values\' mean ± std', async () => {
    expect(table.rows.map((r) => [r.variant, r.seeds])).toEqual([['vae', 2], ['beta-vae', 2]]);
    expect(table.columns).toEqual(expect.arrayContaining(['eval/mse', 'eval/bernoulliNll', 'eval/activeUnits', 'eval/auroc/negativeElbo', 'eval/auroc/pca', 'eval/probe100', 'eval/probe100Pixels']));
    expect(table.columns.every((k) => k.startsWith('eval/'))).toBe(true);
    const store = await openStore(db, { readonly: true });
    const runs = (await store.sweepTrials((await store.getSweep('cmp')).id)).filter((r) => r.status === 'finished');
    await store.close();
    for (const row of table.rows) {
      const own = runs.filter((r) => r.variant === row.variant);
      for (const key of table.columns) {
        const values = own.map((r) => r.metrics[key].last);
        expect(row.metrics[key].mean).toBeCloseTo(mean(values), 10);
        expect(row.metrics[key].std).toBeCloseTo(std(values), 10);
      }
    }
  });

  it('logs the importance-weighted bound once, under both test/iwNll and eval/iwNll', async () => {
    const store = await openStore(db, { readonly: true });
    const runs = (await store.sweepTrials((await store.getSweep('cmp')).id)).filter((r) => r.status === 'finished');
    for (const run of runs) {
      expect(Number.isFinite(run.metrics['eval/iwNll'].last)).toBe(true);
      expect(run.metrics['test/iwNll'].last).toBe(run.metrics['eval/iwNll'].last);
      expect(await store.metricSeries(run.id, 'test/iwNll')).toHaveLength(1);
    }
    await store.close();
  });

  it('marks the arm its direction picks as best, and leaves baselines and unranked metrics unmarked', () => {
    for (const key of table.columns) {
      const goal = metricGoal(key);
      if (goal == null) {
        expect(table.best[key], key).toBeUndefined();
        continue;
      }
      const means = table.rows.map((r) => r.metrics[key].mean);
      const pick = goal === 'minimize' ? Math.min(...means) : Math.max(...means);
      if (means[0] !== means[1]) expect(table.rows.find((r) => r.arm === table.best[key])!.metrics[key].mean, key).toBe(pick);
    }
    expect(table.best['eval/mse']).toBeDefined();
    expect(table.best['eval/auroc/pca']).toBeUndefined();
    expect(table.best['eval/probe100Pixels']).toBeUndefined();
  });

  it('prints the same table as markdown and CSV', () => {
    const md = cli(['compare', 'cmp', '--db', db]);
    expect(md.status, md.output).toBe(0);
    const lines = md.output.trim().split('\n');
    expect(lines[0]).toBe(`| arm | seeds | ${table.columns.map((k) => k.slice(5)).join(' | ')} |`);
    const bestMse = table.rows.find((r) => r.arm === table.best['eval/mse'])!;
    const line = lines.find((l) => l.startsWith(`| ${bestMse.arm} |`))!;
    expect(line.split(' | ')[2 + table.columns.indexOf('eval/mse')]).toMatch(/^\*\*.+ ± .+\*\*$/);

    const csv = cli(['compare', 'cmp', '--format', 'csv', '--db', db]);
    expect(csv.status, csv.output).toBe(0);
    const [header, ...rows] = csv.output.trim().split('\n').map((l) => l.split(','));
    expect(header.slice(0, 4)).toEqual(['arm', 'sweep', 'variant', 'seeds']);
    expect(rows).toHaveLength(table.rows.length);
    const at = header.indexOf('eval/mse mean');
    for (const [i, row] of table.rows.entries()) expect(Number(rows[i][at])).toBe(row.metrics['eval/mse'].mean);
  });

  it('--metrics picks columns in the order given, and names any it does not know with the ones it has', () => {
    const picked = cli(['compare', 'cmp', '--format', 'json', '--metrics', 'probe100,eval/mse', '--db', db]);
    expect(picked.status, picked.output).toBe(0);
    const t = JSON.parse(picked.output) as CompareTable;
    expect(t.columns).toEqual(['eval/probe100', 'eval/mse']);
    expect(Object.keys(t.best).every((k) => t.columns.includes(k))).toBe(true);
    expect(t.rows[0].metrics['eval/mse']).toEqual(table.rows[0].metrics['eval/mse']);
    const bad = cli(['compare', 'cmp', '--metrics', 'mse,fid', '--db', db]);
    expect(bad.status).not.toBe(0);
    expect(bad.output).toContain('--metrics: fid not measured in these sweeps; they have bernoulliNll, mse');
  });

  it('refuses a sweep with nothing finished and a sweep that does not exist, by name', () => {
    const empty = cli(['compare', 'cmp-empty', '--db', db]);
    expect(empty.status).not.toBe(0);
    expect(empty.output).toContain('sweep "cmp-empty" has no finished trials');
    expect(empty.output).not.toMatch(/\n\s+at /);
    const missing = cli(['compare', 'no-such-sweep', '--db', db]);
    expect(missing.status).not.toBe(0);
    expect(missing.output).toContain('no-such-sweep');
  });
});

describe('/api/compare over HTTP', () => {
  let server: Server;
  let store: StoreReader;
  let base: string;

  beforeAll(async () => {
    ({ server, store, url: base } = await startDashboard({ location: db, port: 0, host: '127.0.0.1' }));
  });

  afterAll(async () => {
    server?.close();
    await store?.close();
  });

  it('answers the table the CLI prints', async () => {
    const res = await fetch(new URL('/api/compare?sweep=cmp', base));
    expect(res.status).toBe(200);
    const cliTable = JSON.parse(cli(['compare', 'cmp', '--format', 'json', '--db', db]).output);
    expect(await res.json()).toEqual(cliTable);
  });

  it('is a 400 with the reason for no sweep, nothing finished, and a 404 for an unknown sweep', async () => {
    const none = await fetch(new URL('/api/compare', base));
    expect(none.status).toBe(400);
    expect(await none.text()).toContain('sweep=<name>');
    const empty = await fetch(new URL('/api/compare?sweep=cmp-empty', base));
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('no finished trials');
    const missing = await fetch(new URL('/api/compare?sweep=no-such-sweep', base));
    expect(missing.status).toBe(404);
  });
});
