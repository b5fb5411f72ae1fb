// A worker process: opens the store, claims trials of one sweep until none are left, and runs
// each. SIGINT/SIGTERM or losing the coordinator stops the current trial at the next step
// (checkpoint saved, run marked killed) and exits.
import { type BackendChoice, useBackend } from '@vaelab/core';
import { TrackingStore } from '@vaelab/tracking';
import { loadDataset } from '../config/datasets.js';
import { parseSweepText } from '../config/load-sweep.js';
import type { TrialData } from '../variants/runner-types.js';
import { runTrial, type TrialProgress } from './run-trial.js';

export interface WorkerArgs {
  db: string;
  sweepId: string;
  checkpointDir: string;
}

export type WorkerMessage =
  | { type: 'progress'; progress: TrialProgress }
  | { type: 'trial-end'; runId: string; outcome: string };

export async function runWorker(args: WorkerArgs): Promise<void> {
  const stop = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => stop.abort());
  process.on('disconnect', () => stop.abort());
  const send = (message: WorkerMessage) => {
    if (process.connected) process.send?.(message);
  };
  const store = new TrackingStore(args.db);
  try {
    const sweep = store.getSweep(args.sweepId);
    const plan = parseSweepText(sweep.configText, sweep.name);
    const report = await useBackend(plan.config.backend as BackendChoice);
    let data: TrialData | null = null;
    while (!stop.signal.aborted) {
      const run = store.claimTrial(sweep.id);
      if (run == null) break;
      data ??= loadDataset(plan.config.dataset);
      const outcome = await runTrial(store, run, plan, {
        checkpointDir: args.checkpointDir, data, signal: stop.signal, backend: report.backend, threads: report.threads,
        onProgress: (progress) => send({ type: 'progress', progress }),
      });
      send({ type: 'trial-end', runId: run.id, outcome });
    }
  } finally {
    store.close();
  }
}
