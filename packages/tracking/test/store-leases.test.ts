// Runs, leases and the reaper on both engines: explicit states, fenced writes refused for a stale
// attempt (reaped, re-claimed or ended), lease expiry and dead same-host workers, retries.
import { describe, expect, it } from 'vitest';
import { LeaseLostError, NotFoundError, openStore, type Store, workerHost } from '@vaelab/tracking';
import { engines } from './engines.js';

const me = { pid: process.pid, host: workerHost() };

describe.each(engines())('$name store: runs and leases', (engine) => {
  const clocked = async (): Promise<{ store: Store; advance(ms: number): void }> => {
    let now = 1_800_000_000_000;
    const store = await openStore(await engine.fresh(), { clock: () => now });
    return { store, advance: (ms) => { now += ms; } };
  };

  it('records the environment and ends runs with explicit states; unknown ids are typed errors', async () => {
    const { store } = await clocked();
    const run = await store.createRun({ params: { beta: 4 }, variant: 'beta-vae', name: 'b4' });
    expect(run).toMatchObject({ status: 'running', attempt: 1, workerPid: process.pid, workerHost: me.host, params: { beta: 4 } });
    await store.recordEnvironment(run.lease, { backend: 'wasm', versions: { '@vaelab/core': '0.1.0' }, gitSha: 'abc', dataChecksum: 'd1', config: { beta: 4 } });
    expect(await store.endRun(run.lease, 'failed', 'NaN at step 3')).toBe('failed');
    expect(await store.getRun(run.id)).toMatchObject({ status: 'failed', error: 'NaN at step 3', backend: 'wasm', gitSha: 'abc', config: { beta: 4 } });
    await expect(store.endRun(run.lease, 'running' as never)).rejects.toThrow('status: expected finished, failed, killed or pruned, got "running"');
    await expect(store.getRun('nope')).rejects.toThrow(NotFoundError);
    await expect(store.getSweep('nope')).rejects.toThrow('unknown sweep "nope"');
    await store.close();
  });

  it('an ended attempt cannot write again', async () => {
    const { store } = await clocked();
    const run = await store.createRun({ params: {} });
    await store.endRun(run.lease, 'finished');
    const refused = store.logMetrics(run.lease, [{ key: 'loss', step: 0, value: 1 }]);
    await expect(refused).rejects.toThrow(LeaseLostError);
    await expect(store.logMetrics(run.lease, [{ key: 'loss', step: 0, value: 1 }])).rejects.toThrow(
      `run ${run.id}: attempt 1 no longer owns this run (the run is finished); its writes are refused`);
    expect(await store.heartbeat(run.lease)).toBe(false);
    expect(await store.metricKeys(run.id)).toEqual([]);
    await store.close();
  });

  it('heartbeats renew the lease; an expired lease crashes the run, or re-queues it within retries, and fences the stale attempt', async () => {
    const { store, advance } = await clocked();
    const { sweep } = await store.createSweep({ name: 's', configText: 's', method: 'grid', maxRetries: 1, leaseMs: 60_000, trials: [{ params: { a: 1 } }] });
    const first = (await store.claimTrial(me))!;
    expect(first).toMatchObject({ attempt: 1, status: 'running' });
    expect(first.leaseExpiresAt).toBe(first.startedAt! + 60_000);
    advance(50_000);
    expect(await store.heartbeat({ runId: first.id, attempt: 1 })).toBe(true);
    advance(50_000);
    expect(await store.reapExpired()).toEqual([]); // renewed 50 s ago
    await store.logMetrics({ runId: first.id, attempt: 1 }, [{ key: 'loss', step: 0, value: 3 }]);
    advance(61_000);
    const [reaped] = await store.reapExpired();
    expect(reaped).toEqual({ runId: first.id, sweepId: sweep.id, status: 'pending', reason: 'attempt 1: lease expired: no heartbeat for 61000 ms (re-queued)' });
    await expect(store.logMetrics({ runId: first.id, attempt: 1 }, [{ key: 'loss', step: 1, value: 2 }])).rejects.toThrow('(the run is pending)');
    const second = (await store.claimTrial({ pid: 4242, host: 'elsewhere' }))!;
    expect(second).toMatchObject({ id: first.id, attempt: 2, workerHost: 'elsewhere', workerPid: 4242 });
    await expect(store.logMetrics({ runId: first.id, attempt: 1 }, [{ key: 'loss', step: 1, value: 2 }])).rejects.toThrow(
      `run ${first.id}: attempt 1 no longer owns this run (attempt 2 took it over on elsewhere (pid 4242)); its writes are refused`);
    await store.logMetrics({ runId: first.id, attempt: 2 }, [{ key: 'loss', step: 1, value: 2 }]);
    expect((await store.metricSeries(first.id, 'loss')).map((p) => [p.step, p.attempt])).toEqual([[0, 1], [1, 2]]);
    advance(61_000);
    expect((await store.reapExpired())[0]).toMatchObject({ status: 'crashed', reason: 'attempt 2: lease expired: no heartbeat for 61000 ms' });
    expect(await store.getRun(first.id)).toMatchObject({ status: 'crashed', error: 'attempt 2: lease expired: no heartbeat for 61000 ms' });
    expect((await store.getSweep(sweep.id)).status).toBe('failed');
    await store.close();
  });

  it('a running trial whose same-host worker process is gone is reaped at once; other hosts are left to their leases', async () => {
    const { store } = await clocked();
    await store.createSweep({ name: 's', configText: 's', method: 'grid', trials: [{ params: { a: 1 } }, { params: { a: 2 } }] });
    const mine = (await store.claimTrial({ pid: 999_999, host: me.host }))!;
    const theirs = (await store.claimTrial({ pid: 999_999, host: 'other-host' }))!;
    const reaped = await store.reapExpired({ isAlive: () => false, deadWorkersOnly: true });
    expect(reaped.map((r) => [r.runId, r.status, r.reason])).toEqual([[mine.id, 'crashed', `attempt 1: worker process 999999 on ${me.host} is gone`]]);
    expect((await store.getRun(theirs.id)).status).toBe('running');
    await store.close();
  });

  it('a failed attempt with retries left goes back to pending; a released trial keeps its attempt count', async () => {
    const { store } = await clocked();
    const { sweep } = await store.createSweep({ name: 's', configText: 's', method: 'grid', maxRetries: 1, trials: [{ params: { a: 1 } }] });
    const a1 = (await store.claimTrial(me))!;
    expect(await store.endRun({ runId: a1.id, attempt: 1 }, 'failed', 'disk full')).toBe('pending');
    expect(await store.getRun(a1.id)).toMatchObject({ status: 'pending', error: 'disk full', endedAt: null });
    const a2 = (await store.claimTrial(me))!;
    await store.releaseRun({ runId: a2.id, attempt: 2 }, 'worker stopped: its coordinator is gone');
    expect(await store.getRun(a2.id)).toMatchObject({ status: 'pending', attempt: 2, error: 'worker stopped: its coordinator is gone' });
    const a3 = (await store.claimTrial(me))!;
    expect(await store.endRun({ runId: a3.id, attempt: 3 }, 'failed', 'again')).toBe('failed');
    expect((await store.getSweep(sweep.id)).status).toBe('failed');
    await store.close();
  });
});
