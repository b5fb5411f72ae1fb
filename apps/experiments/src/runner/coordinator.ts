// Runs a sweep: materialises its trials in the store (or picks up the existing sweep), re-queues
// crashed and killed trials, forks `parallel` worker processes, reaps dead workers' runs, retries
// failures within max_retries, shows progress, and on Ctrl-C stops the workers cleanly.
import { type ChildProcess, execFileSync, fork } from 'node:child_process';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SweepRecord, TrackingStore } from '@vaelab/tracking';
import type { SweepPlan } from '../config/load-sweep.js';
import { ProgressView, type ProgressState } from './progress-view.js';
import type { WorkerMessage } from './worker.js';

const WORKER_ENTRY = join(dirname(fileURLToPath(import.meta.url)), '..', 'worker-main.js');
/** A running trial with no heartbeat for this long is declared crashed (a dead pid is caught at once). */
const HEARTBEAT_TIMEOUT_MS = 10 * 60_000;

export interface SweepRunOptions {
  dbPath: string;
  parallel?: number;
  /** Show the progress display (default: true). */
  progress?: boolean;
}

export interface SweepResult {
  sweep: SweepRecord;
  interrupted: boolean;
}

export function registerSweep(store: TrackingStore, plan: SweepPlan): { sweep: SweepRecord; created: boolean } {
  return store.createSweep({
    name: plan.name, configText: plan.text, method: plan.config.method, metric: plan.config.metric, maxRetries: plan.config.max_retries,
    trials: plan.trials.map((t, i) => ({ params: t.point, variant: plan.arms[t.arm].variant, name: `${plan.name}#${i}` })),
  });
}

function gpuCount(): number {
  try {
    return execFileSync('nvidia-smi', ['-L'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim().split('\n').filter(Boolean).length;
  } catch {
    return 0;
  }
}

/** Trials left unfinished by a crash or a stop go back to the queue. */
export function requeueInterrupted(store: TrackingStore, sweepId: string): number {
  store.reapDeadRuns(HEARTBEAT_TIMEOUT_MS);
  return store.requeueTrials(sweepId, ['crashed', 'killed'], false);
}

export async function runSweep(store: TrackingStore, plan: SweepPlan, options: SweepRunOptions): Promise<SweepResult> {
  const { sweep } = registerSweep(store, plan);
  requeueInterrupted(store, sweep.id);
  const parallel = Math.max(1, options.parallel ?? plan.config.parallel ?? cpus().length);
  const checkpointDir = join(dirname(resolve(options.dbPath)), 'checkpoints');
  const gpus = plan.config.backend === 'tensorflow-gpu' ? gpuCount() : 0;
  const view = new ProgressView();
  const state: ProgressState = { total: plan.trials.length, counts: store.sweepCounts(sweep.id), running: new Map(), durations: [], parallel };
  const names = new Map(store.sweepRuns(sweep.id).map((r) => [r.id, r.name]));
  const startedAt = new Map<string, number>();
  const workers = new Set<ChildProcess>();
  let interrupted = false;

  const pending = store.sweepCounts(sweep.id).pending;
  // Workers share the cores: each WASM worker gets its slice of XNNPACK threads.
  const wasmThreads = String(Math.max(1, Math.floor(cpus().length / Math.min(parallel, Math.max(pending, 1)))));
  const spawnWorker = (slot: number) => {
    const env: NodeJS.ProcessEnv = { VAELAB_WASM_THREADS: wasmThreads, ...process.env };
    if (gpus > 1) env.CUDA_VISIBLE_DEVICES = String(slot % gpus); // one GPU per worker
    const child = fork(WORKER_ENTRY, [resolve(options.dbPath), sweep.id, checkpointDir], { env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    workers.add(child);
    child.on('message', (message: WorkerMessage) => {
      if (message.type === 'progress') {
        const p = message.progress;
        if (!startedAt.has(p.runId)) startedAt.set(p.runId, Date.now());
        state.running.set(p.runId, { ...p, name: names.get(p.runId) ?? p.runId });
      } else {
        state.running.delete(message.runId);
        const began = startedAt.get(message.runId);
        if (message.outcome === 'finished' && began != null) state.durations.push((Date.now() - began) / 1000);
      }
    });
    child.on('exit', () => workers.delete(child));
  };

  store.setSweepStatus(sweep.id, 'running');
  for (let i = 0; i < Math.min(parallel, pending); i++) spawnWorker(i);
  const onInterrupt = () => {
    if (interrupted) return;
    interrupted = true;
    process.stderr.write('\nstopping: each worker checkpoints its trial and marks it killed (vaelab resume continues)…\n');
    for (const w of workers) w.kill('SIGTERM');
  };
  process.on('SIGINT', onInterrupt);
  process.on('SIGTERM', onInterrupt);
  try {
    while (workers.size > 0) {
      await new Promise((r) => setTimeout(r, 500));
      store.reapDeadRuns(HEARTBEAT_TIMEOUT_MS);
      if (!interrupted && store.requeueTrials(sweep.id, ['failed', 'crashed'], true) > 0 && workers.size < parallel) spawnWorker(workers.size);
      state.counts = store.sweepCounts(sweep.id);
      if (options.progress !== false) view.render(state);
    }
  } finally {
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onInterrupt);
    view.release();
  }
  // Workers that died without ending their runs leave them running; mark them crashed now.
  store.reapDeadRuns(HEARTBEAT_TIMEOUT_MS);
  const counts = store.sweepCounts(sweep.id);
  const unfinished = counts.pending + counts.running + counts.crashed + counts.killed;
  store.setSweepStatus(sweep.id, interrupted ? 'killed' : unfinished > 0 ? 'running' : 'finished');
  return { sweep: store.getSweep(sweep.id), interrupted };
}
