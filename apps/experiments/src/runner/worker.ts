// A worker process: opens the store, claims trials (of one sweep, or of any open sweep) until
// none are left, and runs each from its stored trial record, renewing the trial's lease on a
// timer. SIGINT/SIGTERM stop the current trial at the next step (checkpoint saved, run killed);
// losing the coordinator gives the trial back (pending, checkpoint kept); losing the lease (the
// trial was handed to another worker after this one stalled) stops this worker for good.
import { type BackendReport, type BackendChoice, useBackend } from '@vaelab/core';
import { leaseOf, openStore, type RunRecord, type Store, workerHost } from '@vaelab/tracking';
import { loadDatasetCached } from '../config/datasets.js';
import { readTrialConfig } from '../config/trial-config.js';
import { runTrial, type StopReason, type TrialOutcome, type TrialProgress } from './run-trial.js';

export interface WorkerArgs {
  /** The store's path or URL. */
  location: string;
  /** Claim only this sweep's trials (else any open sweep's). */
  sweepId?: string;
  /** Keep waiting for new trials instead of exiting when none are left. */
  wait?: boolean;
}

export type WorkerMessage =
  | { type: 'progress'; progress: TrialProgress }
  | { type: 'trial-start'; runId: string; name: string }
  | { type: 'trial-end'; runId: string; outcome: TrialOutcome };

const POLL_MS = 2000;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
  });
}

/** Renews the lease every quarter of its length; aborts `lost` if the store says it is gone. */
function keepLeaseAlive(store: Store, run: RunRecord, lost: AbortController): () => void {
  const leaseMs = Math.max(1000, (run.leaseExpiresAt ?? 0) - (run.heartbeatAt ?? 0));
  const timer = setInterval(() => {
    store.heartbeat(leaseOf(run)).then((ok) => { if (!ok) lost.abort('lost'); }, () => {});
  }, Math.max(250, Math.floor(leaseMs / 4)));
  return () => clearInterval(timer);
}

type Prepared =
  | { error: null; trial: ReturnType<typeof readTrialConfig>; report: BackendReport; data: ReturnType<typeof loadDatasetCached> }
  | { error: string };

async function prepare(run: RunRecord, backends: Map<BackendChoice, BackendReport>): Promise<Prepared> {
  try {
    const trial = readTrialConfig(run);
    if (!backends.has(trial.backend)) backends.set(trial.backend, await useBackend(trial.backend));
    return { error: null, trial, report: backends.get(trial.backend)!, data: loadDatasetCached(trial.dataset) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

export async function runWorker(args: WorkerArgs): Promise<void> {
  const stop = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => stop.abort('interrupt' satisfies StopReason));
  process.on('disconnect', () => stop.abort('orphaned' satisfies StopReason));
  const send = (message: WorkerMessage) => {
    if (process.connected) process.send?.(message);
  };
  const store = await openStore(args.location, { poolSize: 2 });
  const me = { pid: process.pid, host: workerHost() };
  const backends = new Map<BackendChoice, BackendReport>();
  try {
    while (!stop.signal.aborted) {
      const run = await store.claimTrial(me, args.sweepId);
      if (run == null) {
        if (!args.wait) break;
        await sleep(POLL_MS, stop.signal);
        continue;
      }
      send({ type: 'trial-start', runId: run.id, name: run.name });
      const lost = new AbortController();
      const release = keepLeaseAlive(store, run, lost);
      let outcome: TrialOutcome;
      try {
        const prepared = await prepare(run, backends);
        outcome = prepared.error != null
          // The trial cannot start (no trial record, a backend that cannot load, unreadable data): it fails.
          ? (await store.endRun(leaseOf(run), 'failed', prepared.error)) as TrialOutcome
          : await runTrial(store, run, prepared.trial, {
            data: prepared.data, signal: AbortSignal.any([stop.signal, lost.signal]), backend: prepared.report.backend, threads: prepared.report.threads, device: prepared.report.device,
            onProgress: (progress) => send({ type: 'progress', progress }),
          });
      } finally {
        release();
      }
      send({ type: 'trial-end', runId: run.id, outcome });
      if (outcome === 'lost') {
        console.error(`worker ${process.pid}: trial ${run.name} was handed to another worker while this one stalled; its writes were refused, stopping`);
        break;
      }
    }
  } finally {
    await store.close();
  }
}
