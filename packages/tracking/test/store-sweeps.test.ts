// Sweeps, the runs-table query and export on both engines.
import { describe, expect, it } from 'vitest';
import { exportRunsCsv, exportRunsJson, openStore, type RunQuery, type Store, workerHost } from '@vaelab/tracking';
import { engines } from './engines.js';

const me = { pid: process.pid, host: workerHost() };

describe.each(engines())('$name store: sweeps', (engine) => {
  const trials = [0.5, 1, 2, 4].map((beta) => ({ params: { beta, seed: 0 }, variant: 'beta-vae', config: { model: { beta } } }));
  const fresh = async (): Promise<Store> => openStore(await engine.fresh());

  it('materialises trials with their configs once, claims each once in order, and settles when done', async () => {
    const store = await fresh();
    const input = { name: 'betas', configText: 'beta: [0.5, 1, 2, 4]', method: 'grid', maxRetries: 1, trials };
    const { sweep, created } = await store.createSweep(input);
    expect(created).toBe(true);
    expect(sweep).toMatchObject({ status: 'pending', maxRetries: 1, leaseMs: 600_000, settings: {} });
    expect(await store.createSweep({ ...input, maxRetries: 3, configText: 'edited comments' })).toMatchObject({ created: false, sweep: { id: sweep.id } });
    await expect(store.createSweep({ ...input, trials: trials.slice(1) })).rejects.toThrow('sweep "betas" already exists with different trials');
    const claimed = [];
    for (let i = 0; i < 5; i++) claimed.push(await store.claimTrial(me, sweep.id));
    expect(claimed.map((r) => r?.trial ?? null)).toEqual([0, 1, 2, 3, null]);
    expect(claimed[2]!.config).toEqual({ model: { beta: 2 } });
    expect((await store.getSweep('betas')).status).toBe('running');
    for (const run of claimed.slice(0, 3)) await store.endRun({ runId: run!.id, attempt: 1 }, 'finished');
    expect((await store.getSweep(sweep.id)).status).toBe('running');
    await store.endRun({ runId: claimed[3]!.id, attempt: 1 }, 'killed', 'stopped');
    expect((await store.getSweep(sweep.id)).status).toBe('killed');
    expect(await store.requeueTrials(sweep.id, ['killed'])).toBe(1);
    expect((await store.getSweep(sweep.id)).status).toBe('running');
    const again = (await store.claimTrial(me))!;
    expect(again).toMatchObject({ trial: 3, attempt: 2 });
    await store.endRun({ runId: again.id, attempt: 2 }, 'finished');
    expect(await store.getSweep(sweep.id)).toMatchObject({ status: 'finished' });
    expect(await store.sweepCounts(sweep.id)).toMatchObject({ finished: 4, pending: 0, running: 0 });
    await store.close();
  });

  it('sweeps made within one millisecond still list and claim in the order they were made', async () => {
    const store = await fresh();
    const names = Array.from({ length: 40 }, (_, i) => `s${String(i).padStart(2, '0')}`);
    for (const name of names) await store.createSweep({ name, configText: name, method: 'grid', trials: trials.slice(0, 1) });
    expect((await store.listSweeps()).map((s) => s.name)).toEqual(names);
    const claimed = [];
    for (let i = 0; i < names.length; i++) claimed.push((await store.getSweep((await store.claimTrial(me))!.sweepId!)).name);
    expect(claimed).toEqual(names);
    await store.close();
  });

  it('claims across open sweeps oldest first, and re-queues within the retry limit', async () => {
    const store = await fresh();
    const a = (await store.createSweep({ name: 'a', configText: 'a', method: 'grid', trials: trials.slice(0, 1) })).sweep;
    const b = (await store.createSweep({ name: 'b', configText: 'b', method: 'grid', maxRetries: 1, trials: trials.slice(0, 2) })).sweep;
    const order = [];
    for (let i = 0; i < 4; i++) order.push((await store.claimTrial(me))?.sweepId ?? null);
    expect(order).toEqual([a.id, b.id, b.id, null]);
    const runs = await store.sweepTrials(b.id);
    await store.endRun({ runId: runs[0].id, attempt: 1 }, 'killed');
    await store.endRun({ runId: runs[1].id, attempt: 1 }, 'killed');
    await store.updateSweep(b.id, { maxRetries: 0 });
    expect(await store.requeueTrials(b.id, ['killed'], { withinRetries: true })).toBe(0);
    expect(await store.requeueTrials(b.id, ['killed'])).toBe(2);
    expect((await store.updateSweep(b.id, { maxRetries: 2 })).maxRetries).toBe(2);
    await expect(store.updateSweep(b.id, { maxRetries: -1 })).rejects.toThrow('maxRetries: expected a non-negative integer, got -1');
    expect((await store.listSweeps()).map((s) => [s.name, s.counts.pending, s.counts.running])).toEqual([['a', 0, 1], ['b', 2, 0]]);
    await store.close();
  });

  it('rejects duplicate trial params', async () => {
    const store = await fresh();
    await expect(store.createSweep({ name: 'dup', configText: 'x', method: 'grid', trials: [trials[0], trials[1], trials[0]] }))
      .rejects.toThrow('sweep "dup": trials 0 and 2 have identical params');
    expect(await store.listSweeps()).toEqual([]);
    await store.close();
  });
});

describe.each(engines())('$name store: runs table query and export', (engine) => {
  async function seeded(): Promise<Store> {
    const store = await openStore(await engine.fresh());
    for (const [i, beta] of [0.5, 1, 2, 4].entries()) {
      const run = await store.createRun({ params: { beta, model: { latentDim: 10 * (i + 1) } }, variant: i % 2 ? 'beta-vae' : 'vae', name: `Run-${beta}` });
      await store.logMetrics(run.lease, [{ key: 'elbo', step: 0, value: 200 }, { key: 'elbo', step: 1, value: 100 + beta }]);
      if (beta === 4) await store.endRun(run.lease, 'finished');
    }
    return store;
  }

  it('filters by status, variant, name, param range and metric range; sorts by metric and param; pages', async () => {
    const store = await seeded();
    const names = async (q: RunQuery) => (await store.queryRuns(q)).runs.map((r) => r.name);
    expect(await names({ sortBy: 'metric:elbo', direction: 'asc' })).toEqual(['Run-0.5', 'Run-1', 'Run-2', 'Run-4']);
    expect(await names({ sortBy: 'param:model.latentDim', direction: 'desc' })).toEqual(['Run-4', 'Run-2', 'Run-1', 'Run-0.5']);
    expect(await names({ params: [{ key: 'beta', min: 1, max: 2 }], sortBy: 'name', direction: 'asc' })).toEqual(['Run-1', 'Run-2']);
    expect(await names({ metrics: [{ key: 'elbo', max: 101.5 }], sortBy: 'name', direction: 'asc' })).toEqual(['Run-0.5', 'Run-1']);
    expect(await names({ status: ['finished'] })).toEqual(['Run-4']);
    expect(await names({ variant: ['vae'], sortBy: 'name', direction: 'asc' })).toEqual(['Run-0.5', 'Run-2']);
    expect(await names({ search: 'run-0.', sortBy: 'name' })).toEqual(['Run-0.5']);
    expect(await names({ search: '%', sortBy: 'name' })).toEqual([]);
    const page = await store.queryRuns({ sortBy: 'metric:elbo', direction: 'asc', limit: 2, offset: 2 });
    expect(page.total).toBe(4);
    expect(page.runs.map((r) => [r.name, r.metrics.elbo.last])).toEqual([['Run-2', 102], ['Run-4', 104]]);
    await expect(store.queryRuns({ sortBy: 'colour' })).rejects.toThrow('sortBy: expected created, name, status, variant, param:<key> or metric:<key>, got "colour"');
    await expect(store.queryRuns({ limit: 0 })).rejects.toThrow('limit: expected an integer from 1 to 1000, got 0');
    await expect(store.queryRuns({ status: ['done' as never] })).rejects.toThrow('status[0]: expected one of pending, running');
    await expect(store.queryRuns({ params: Array.from({ length: 101 }, (_, i) => ({ key: `p${i}`, min: 0 })) })).rejects.toThrow('params/metrics: expected at most 100 filters, got 101');
    await store.close();
  });

  it('groups runs that differ only in seed, with mean ± std computed by the store, sorted and paged as groups', async () => {
    const store = await openStore(await engine.fresh());
    const run = async (variant: string, params: Record<string, unknown>, metrics: Record<string, number>) => {
      const r = await store.createRun({ variant, params, name: `${variant} ${JSON.stringify(params)}` });
      await store.logMetrics(r.lease, Object.entries(metrics).flatMap(([key, value]) => [{ key, step: 0, value: 0 }, { key, step: 1, value }]));
      return r;
    };
    for (const [seed, elbo] of [[0, 10], [1, 12], [2, 14]]) await run('vae', { beta: 1, seed, model: { latentDim: 4 } }, { elbo, kl: seed });
    await run('vae', { beta: 2, seed: 0, model: { latentDim: 4 } }, { elbo: 20, kl: Number.POSITIVE_INFINITY });
    const last = await run('vae', { beta: 2, seed: 1, model: { latentDim: 4 } }, { elbo: Number.NaN });
    await store.endRun(last.lease, 'finished');
    await run('beta-vae', { beta: 1, seed: 0, model: { latentDim: 4 } }, { elbo: 5 }); // another variant: its own group
    await run('vae', { beta: '1', seed: 0, model: { latentDim: 4 } }, { elbo: 30 }); // the string "1" is not the number 1
    // A large mean with a small spread: squared deviations from the mean keep std exact (Σx² − n·mean² would not).
    for (const [seed, elbo] of [[0, 1e9 + 1], [1, 1e9 + 2], [2, 1e9 + 3]]) await run('vae', { beta: 3, seed, model: { latentDim: 4 } }, { elbo });

    const all = await store.seedGroups({ sortBy: 'metric:elbo', direction: 'asc' });
    expect([all.total, all.runs]).toEqual([5, 10]);
    expect(all.groups.map((g) => [g.variant, g.params.beta, g.n])).toEqual([['beta-vae', 1, 1], ['vae', 1, 3], ['vae', 2, 2], ['vae', '1', 1], ['vae', 3, 3]]);
    const [, ones, twos, , big] = all.groups;
    expect(ones.params).toEqual({ beta: 1, model: { latentDim: 4 } });
    expect(ones.names).toEqual(['vae {"beta":1,"seed":0,"model":{"latentDim":4}}', 'vae {"beta":1,"seed":1,"model":{"latentDim":4}}', 'vae {"beta":1,"seed":2,"model":{"latentDim":4}}']);
    expect(ones.metrics.elbo).toEqual({ mean: 12, std: 2, n: 3 });
    expect(ones.metrics.kl.mean).toBeCloseTo(1, 12);
    expect(ones.metrics.kl.std).toBeCloseTo(1, 12);
    // NaN and ∞ are left out of the statistics, and counted out of n.
    expect(twos.metrics).toEqual({ elbo: { mean: 20, std: 0, n: 1 } });
    expect(twos.statuses).toEqual({ running: 1, finished: 1 });
    expect(big.metrics.elbo.mean).toBe(1e9 + 2);
    expect(big.metrics.elbo.std).toBeCloseTo(1, 6);

    const page = await store.seedGroups({ sortBy: 'metric:elbo', direction: 'desc', limit: 2, offset: 1, metricKeys: ['kl'] });
    expect([page.total, page.runs]).toEqual([5, 10]);
    expect(page.groups.map((g) => [g.params.beta, Object.keys(g.metrics)])).toEqual([['1', []], [2, []]]);
    expect((await store.seedGroups({ variant: ['vae'], status: ['running'], sortBy: 'param:beta', direction: 'asc' })).groups.map((g) => [g.params.beta, g.n]))
      .toEqual([[1, 3], [2, 1], [3, 3], ['1', 1]]);
    expect(await store.seedGroups({ variant: ['cvae'] })).toEqual({ total: 0, runs: 0, groups: [] });
    expect((await store.seedGroups({ limit: 1, offset: 9 })).groups).toEqual([]);
    await expect(store.seedGroups({ limit: 10_001 })).rejects.toThrow('limit: expected an integer from 1 to 10000, got 10001');
    await expect(store.seedGroups({ sortBy: 'colour' })).rejects.toThrow('sortBy: expected created, name, status, variant, param:<key> or metric:<key>, got "colour"');
    await store.close();
  });

  it('exports runs, params and full series as CSV and JSON', async () => {
    const store = await seeded();
    const ids = (await store.queryRuns({ sortBy: 'name', direction: 'asc' })).runs.map((r) => r.id);
    const { runs, metrics } = await exportRunsCsv(store, ids);
    const lines = runs.trim().split('\n');
    expect(lines[0]).toBe('run_id,name,sweep_id,trial,variant,status,attempt,started_at,ended_at,backend,error,param.beta,param.model.latentDim,metric.elbo');
    expect(lines).toHaveLength(5);
    expect(lines[1]).toMatch(/^[0-9A-Z]{26},Run-0\.5,,,vae,running,1,\d+,,,,0\.5,10,100\.5$/);
    expect(metrics.trim().split('\n')).toHaveLength(1 + 8);
    const json = JSON.parse(await exportRunsJson(store, ids.slice(0, 1)));
    expect(json.runs[0].metrics.elbo.map((p: number[]) => p.slice(0, 2))).toEqual([[0, 200], [1, 100.5]]);
    await store.close();
  });
});
