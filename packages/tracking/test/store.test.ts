import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { exportRunsCsv, exportRunsJson, LATEST_SCHEMA_VERSION, migrations, queryRuns, TrackingStore } from '@vaelab/tracking';
import { tempDbPath, tinyPng } from './helpers.js';

function countRows(store: TrackingStore, table: string): number {
  return store.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
}

describe('opening a store', () => {
  it('uses WAL, NORMAL sync, foreign keys and the latest schema', () => {
    const store = new TrackingStore(tempDbPath());
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('synchronous', { simple: true })).toBe(1);
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    store.close();
  });

  it('migrates a version-1 store, backfilling metric summaries', () => {
    const path = tempDbPath();
    const old = new TrackingStore(path, { targetVersion: 1 });
    expect(old.db.pragma('user_version', { simple: true })).toBe(1);
    old.db.prepare("INSERT INTO runs (id, name, status, params_json, params_hash, created_at) VALUES ('r1', 'old', 'finished', '{}', 'h', 1)").run();
    const insert = old.db.prepare("INSERT INTO metrics (run_id, key, step, value, wall_ms) VALUES ('r1', 'loss', ?, ?, 0)");
    [[0, 5], [1, 3], [2, 4]].forEach(([s, v]) => insert.run(s, v));
    old.close();
    const store = new TrackingStore(path);
    expect(store.db.pragma('user_version', { simple: true })).toBe(migrations.at(-1)!.version);
    expect(store.metricSummaries('r1')).toEqual([{ key: 'loss', lastStep: 2, last: 4, min: 3, max: 5, count: 3 }]);
    store.close();
  });

  it('refuses a store written by a newer schema', () => {
    const path = tempDbPath();
    const db = new Database(path);
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => new TrackingStore(path)).toThrow(
      `${path}: store schema version ${LATEST_SCHEMA_VERSION + 1} is newer than this @vaelab/tracking supports (${LATEST_SCHEMA_VERSION}); upgrade @vaelab/tracking to open it`);
  });
});

describe('metrics', () => {
  it('re-logging the same (run, key, step) replaces, never duplicates, and keeps summaries exact', () => {
    const store = new TrackingStore(tempDbPath());
    const run = store.createRun({ params: { lr: 0.1 } });
    store.logMetrics(run.id, [{ key: 'loss', step: 0, value: 5 }, { key: 'loss', step: 1, value: 1 }, { key: 'loss', step: 2, value: 3 }]);
    store.logMetrics(run.id, [{ key: 'loss', step: 1, value: 4 }, { key: 'loss', step: 2, value: 3 }]);
    expect(store.metricSeries(run.id, 'loss').map((p) => [p.step, p.value])).toEqual([[0, 5], [1, 4], [2, 3]]);
    expect(store.metricSummaries(run.id)).toEqual([{ key: 'loss', lastStep: 2, last: 3, min: 3, max: 5, count: 3 }]);
    store.logMetrics(run.id, [{ key: 'loss', step: 3, value: 0.5 }]);
    expect(store.metricSummaries(run.id)[0]).toEqual({ key: 'loss', lastStep: 3, last: 0.5, min: 0.5, max: 5, count: 4 });
    store.close();
  });

  it('keeps NaN and ±Infinity as such', () => {
    const store = new TrackingStore(tempDbPath());
    const run = store.createRun({ params: {} });
    store.logMetrics(run.id, [{ key: 'x', step: 0, value: Number.NaN }, { key: 'x', step: 1, value: Infinity }, { key: 'x', step: 2, value: -Infinity }, { key: 'x', step: 3, value: 2 }]);
    expect(store.metricSeries(run.id, 'x').map((p) => p.value)).toEqual([Number.NaN, Infinity, -Infinity, 2]);
    expect(store.metricSummaries(run.id)[0]).toMatchObject({ min: -Infinity, max: Infinity, last: 2, count: 4 });
    store.close();
  });

  it('after a resume from step S, later points are dropped and replaced cleanly', () => {
    const store = new TrackingStore(tempDbPath());
    const run = store.createRun({ params: {} });
    store.logMetrics(run.id, Array.from({ length: 10 }, (_, s) => ({ key: 'loss', step: s, value: 100 - s })));
    store.logImages(run.id, [{ key: 'samples', step: 8, index: 0, png: tinyPng() }]);
    expect(store.truncateAfter(run.id, 5)).toBe(4);
    expect(store.listImages(run.id)).toEqual([]);
    expect(store.metricSummaries(run.id)[0]).toMatchObject({ lastStep: 5, last: 95, min: 95, count: 6 });
    store.logMetrics(run.id, [6, 7].map((s) => ({ key: 'loss', step: s, value: 50 })));
    expect(store.metricSeries(run.id, 'loss').map((p) => p.value)).toEqual([100, 99, 98, 97, 96, 95, 50, 50]);
    store.close();
  });

  it('downsampling keeps each bucket’s extremes', () => {
    const store = new TrackingStore(tempDbPath());
    const run = store.createRun({ params: {} });
    const points = Array.from({ length: 1000 }, (_, s) => ({ key: 'loss', step: s, value: s === 517 ? 1e6 : s === 233 ? -1e6 : Math.sin(s) }));
    store.logMetrics(run.id, points);
    const down = store.metricSeries(run.id, 'loss', 100);
    expect(down.length).toBeLessThanOrEqual(100);
    expect(down.length).toBeGreaterThan(50);
    expect(down.find((p) => p.step === 517)?.value).toBe(1e6);
    expect(down.find((p) => p.step === 233)?.value).toBe(-1e6);
    expect(down.map((p) => p.step)).toEqual([...down.map((p) => p.step)].sort((a, b) => a - b));
    store.close();
  });

  it('bad input names the field and writes nothing', () => {
    const store = new TrackingStore(tempDbPath());
    const run = store.createRun({ params: {} });
    const good = { key: 'loss', step: 0, value: 1 };
    expect(() => store.logMetrics('nope', [good])).toThrow('unknown run id "nope"');
    expect(() => store.logMetrics(run.id, [good, { key: 'loss', step: Number.NaN, value: 1 }])).toThrow('metrics[1].step: expected a non-negative integer step, got NaN');
    expect(() => store.logMetrics(run.id, [good, { key: 'loss', step: 1.5, value: 1 }])).toThrow('metrics[1].step: expected a non-negative integer step, got 1.5');
    expect(() => store.logMetrics(run.id, [good, { key: 'loss', step: 2, value: '3' as never }])).toThrow('metrics[1].value: expected a number (NaN and ±Infinity are allowed), got "3"');
    expect(() => store.logMetrics(run.id, [{ key: '', step: 2, value: 3 }])).toThrow('metrics[0].key: expected a non-empty string');
    expect(() => store.logMetrics(run.id, [{ key: 'loss', step: 2, value: 3, wallMs: -5 }])).toThrow('metrics[0].wallMs: expected a non-negative integer (ms since the epoch), got -5');
    expect(countRows(store, 'metrics')).toBe(0);
    expect(() => store.logImages(run.id, [{ key: 's', step: 0, index: 0, png: Buffer.from('GIF89a not a png') }])).toThrow('images[0].png: not a PNG (bad signature)');
    const huge = Buffer.concat([tinyPng(), Buffer.alloc(9 * 1024 * 1024)]);
    expect(() => store.logImages(run.id, [{ key: 's', step: 0, index: 0, png: tinyPng() }, { key: 's', step: 0, index: 1, png: huge }]))
      .toThrow(/^images\[1\]\.png: image of \d+ bytes is over the 8388608-byte limit$/);
    expect(countRows(store, 'images')).toBe(0);
    expect(() => store.createRun({ params: 'lr=1' as never })).toThrow('run.params: expected an object of parameters, got "lr=1"');
    store.close();
  });
});

describe('images', () => {
  it('round-trips PNG bytes by (run, key, step, index) and replaces on re-log', () => {
    const store = new TrackingStore(tempDbPath());
    const run = store.createRun({ params: {} });
    store.logImages(run.id, [{ key: 'samples', step: 10, index: 0, png: tinyPng(10), caption: 'first' }]);
    store.logImages(run.id, [{ key: 'samples', step: 10, index: 0, png: tinyPng(200), caption: 'again' }]);
    expect(store.listImages(run.id)).toEqual([{ runId: run.id, key: 'samples', step: 10, index: 0, caption: 'again', bytes: tinyPng(200).length }]);
    expect(Buffer.compare(store.getImage(run.id, 'samples', 10)!, tinyPng(200))).toBe(0);
    store.close();
  });
});

describe('runs and the reaper', () => {
  it('records the environment and ends runs with explicit states', () => {
    const store = new TrackingStore(tempDbPath());
    const run = store.createRun({ params: { beta: 4 }, variant: 'beta-vae', name: 'b4' });
    expect(run).toMatchObject({ status: 'running', attempt: 1, workerPid: process.pid, params: { beta: 4 } });
    store.recordEnvironment(run.id, { backend: 'wasm', versions: { '@vaelab/core': '0.1.0' }, gitSha: 'abc', dataChecksum: 'd1', config: { beta: 4 } });
    store.endRun(run.id, 'failed', 'NaN at step 3');
    expect(store.getRun(run.id)).toMatchObject({ status: 'failed', error: 'NaN at step 3', backend: 'wasm', gitSha: 'abc', config: { beta: 4 } });
    expect(() => store.endRun(run.id, 'running' as never)).toThrow('status: expected finished, failed, killed or pruned, got "running"');
    store.close();
  });

  it('marks runs crashed when their heartbeat expires or their pid is gone', () => {
    const store = new TrackingStore(tempDbPath());
    let now = 1_000_000;
    store.clock = () => now;
    const stale = store.createRun({ params: { a: 1 } });
    const alive = store.createRun({ params: { a: 2 } });
    now += 60_000;
    expect(store.heartbeat(alive.id)).toBe(true);
    expect(store.reapDeadRuns(30_000)).toEqual([stale.id]);
    expect(store.getRun(stale.id)).toMatchObject({ status: 'crashed', error: 'no heartbeat for 60000 ms' });
    expect(store.heartbeat(stale.id)).toBe(false);
    expect(store.reapDeadRuns(30_000, () => false)).toEqual([alive.id]);
    expect(store.getRun(alive.id).error).toBe(`worker process ${process.pid} is gone`);
    store.close();
  });
});

describe('sweeps', () => {
  const trials = [0.5, 1, 2, 4].map((beta) => ({ params: { beta, seed: 0 }, variant: 'beta-vae' }));

  it('materialises trials once, claims each once, and re-queues within the retry limit', () => {
    const store = new TrackingStore(tempDbPath());
    const input = { name: 'betas', configText: 'beta: [0.5, 1, 2, 4]', method: 'grid', maxRetries: 1, trials };
    const { sweep, created } = store.createSweep(input);
    expect(created).toBe(true);
    expect(store.createSweep(input)).toMatchObject({ created: false, sweep: { id: sweep.id } });
    expect(() => store.createSweep({ ...input, configText: 'other' })).toThrow('sweep "betas" already exists with a different config');
    const claimed = [1, 2, 3, 4, 5].map(() => store.claimTrial(sweep.id));
    expect(claimed.map((r) => r?.trial ?? null)).toEqual([0, 1, 2, null, null].map((v, i) => (i < 4 ? i : null)));
    store.endRun(claimed[0]!.id, 'failed', 'boom');
    expect(store.requeueTrials(sweep.id)).toBe(1);
    const retry = store.claimTrial(sweep.id)!;
    expect(retry).toMatchObject({ trial: 0, attempt: 2 });
    store.endRun(retry.id, 'failed', 'boom again');
    expect(store.requeueTrials(sweep.id)).toBe(0); // 2 attempts = 1 retry used up
    expect(store.sweepCounts(sweep.id)).toMatchObject({ failed: 1, running: 3, pending: 0 });
    store.close();
  });

  it('rejects duplicate trial params', () => {
    const store = new TrackingStore(tempDbPath());
    expect(() => store.createSweep({ name: 'dup', configText: 'x', method: 'grid', trials: [trials[0], trials[1], trials[0]] }))
      .toThrow('sweep "dup": trials 0 and 2 have identical params');
    expect(store.listSweeps()).toEqual([]);
    store.close();
  });
});

describe('runs table query and export', () => {
  function seeded(): TrackingStore {
    const store = new TrackingStore(tempDbPath());
    [0.5, 1, 2, 4].forEach((beta, i) => {
      const run = store.createRun({ params: { beta, model: { latentDim: 10 * (i + 1) } }, variant: i % 2 ? 'beta-vae' : 'vae', name: `run-${beta}` });
      store.logMetrics(run.id, [{ key: 'elbo', step: 0, value: 200 }, { key: 'elbo', step: 1, value: 100 + beta }]);
      if (beta === 4) store.endRun(run.id, 'finished');
    });
    return store;
  }

  it('filters by status, variant, param range and metric range; sorts by metric and param; pages', () => {
    const store = seeded();
    const names = (q: Parameters<typeof queryRuns>[1]) => queryRuns(store.db, q).runs.map((r) => r.name);
    expect(names({ sortBy: 'metric:elbo', direction: 'asc' })).toEqual(['run-0.5', 'run-1', 'run-2', 'run-4']);
    expect(names({ sortBy: 'param:model.latentDim', direction: 'desc' })).toEqual(['run-4', 'run-2', 'run-1', 'run-0.5']);
    expect(names({ params: [{ key: 'beta', min: 1, max: 2 }], sortBy: 'name', direction: 'asc' })).toEqual(['run-1', 'run-2']);
    expect(names({ metrics: [{ key: 'elbo', max: 101.5 }], sortBy: 'name', direction: 'asc' })).toEqual(['run-0.5', 'run-1']);
    expect(names({ status: ['finished'] })).toEqual(['run-4']);
    expect(names({ variant: ['vae'], sortBy: 'name', direction: 'asc' })).toEqual(['run-0.5', 'run-2']);
    const page = queryRuns(store.db, { sortBy: 'metric:elbo', direction: 'asc', limit: 2, offset: 2 });
    expect(page.total).toBe(4);
    expect(page.runs.map((r) => [r.name, r.metrics.elbo.last])).toEqual([['run-2', 102], ['run-4', 104]]);
    expect(() => queryRuns(store.db, { sortBy: 'colour' })).toThrow('sortBy: expected created, name, status, variant, param:<key> or metric:<key>, got "colour"');
    expect(() => queryRuns(store.db, { limit: 0 })).toThrow('limit: expected an integer from 1 to 1000, got 0');
    expect(() => queryRuns(store.db, { status: ['done' as never] })).toThrow('status[0]: expected one of pending, running');
    store.close();
  });

  it('exports runs, params and full series as CSV and JSON', () => {
    const store = seeded();
    const ids = queryRuns(store.db, { sortBy: 'name', direction: 'asc' }).runs.map((r) => r.id);
    const { runs, metrics } = exportRunsCsv(store, ids);
    const lines = runs.trim().split('\n');
    expect(lines[0]).toBe('run_id,name,sweep_id,trial,variant,status,attempt,started_at,ended_at,backend,error,param.beta,param.model.latentDim,metric.elbo');
    expect(lines).toHaveLength(5);
    expect(lines[1]).toMatch(/^[0-9A-Z]{26},run-0\.5,,,vae,running,1,\d+,,,,0\.5,10,100\.5$/);
    expect(metrics.trim().split('\n')).toHaveLength(1 + 8);
    const json = JSON.parse(exportRunsJson(store, ids.slice(0, 1)));
    expect(json.runs[0].metrics.elbo.map((p: number[]) => p.slice(0, 2))).toEqual([[0, 200], [1, 100.5]]);
    store.close();
  });
});
