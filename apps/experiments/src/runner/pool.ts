// A pool of local worker processes on one machine: forks up to `parallel` workers while there
// are trials to claim, reaps trials whose lease expired or whose worker here died (re-queued
// within retries), shows progress, and on Ctrl-C stops its workers cleanly. If this process
// itself was suspended (a laptop lid), its workers were too: it gives them one lease period to
// check in before treating silence as death.
import { type ChildProcess, fork } from 'node:child_process';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isProcessAlive, type RunStatus, type StatusCounts, type Store } from '@vaelab/tracking';
import { ProgressView, type ProgressState } from './progress-view.js';
import type { WorkerMessage } from './worker.js';

const WORKER_ENTRY = join(dirname(fileURLToPath(import.meta.url)), '..', 'worker-main.js');
const TICK_MS = 500;
/** A tick this late means the whole process was stopped or suspended meanwhile. */
const SUSPENDED_AFTER_MS = 5000;
/** Workers that die this many times in a row without finishing a trial are not replaced. */
const MAX_FAILED_STARTS = 3;

export interface PoolOptions {
  location: string;
  /** Only this sweep's trials (a sweep's coordinator); else any open sweep's (`vaelab worker`). */
  sweepId?: string;
  parallel: number;
  /** Keep running and waiting for new trials (`vaelab worker --wait`). */
  wait?: boolean;
  /** GPUs on this machine: each worker gets one (CUDA_VISIBLE_DEVICES / the WebGPU adapter index). */
  gpus?: number;
  /** The lease length, for the grace period after a suspension. */
  leaseMs: number;
  total?: number;
  progress?: boolean;
}

export interface PoolResult {
  interrupted: boolean;
  /** Why the pool gave up starting workers, when it did. */
  failure?: string;
}

/** Trial counts of the sweep (or of every open sweep), and how many a worker could claim now. */
async function claimable(store: Store, sweepId: string | undefined): Promise<{ counts: StatusCounts; pending: number; running: number }> {
  if (sweepId != null) {
    const counts = await store.sweepCounts(sweepId);
    const status = (await store.getSweep(sweepId)).status;
    return { counts, pending: status === 'killed' ? 0 : counts.pending, running: counts.running };
  }
  const open = (await store.listSweeps()).filter((s) => s.status === 'pending' || s.status === 'running');
  const counts = open.reduce((sum, s) => {
    for (const k of Object.keys(sum) as RunStatus[]) sum[k] += s.counts[k];
    return sum;
  }, { pending: 0, running: 0, finished: 0, failed: 0, crashed: 0, killed: 0, pruned: 0 } as StatusCounts);
  return { counts, pending: counts.pending, running: counts.running };
}

export async function runPool(store: Store, options: PoolOptions): Promise<PoolResult> {
  const parallel = Math.max(1, options.parallel);
  const view = new ProgressView();
  const state: ProgressState = { total: options.total ?? 0, counts: null as unknown as StatusCounts, running: new Map(), durations: [], parallel };
  const workers = new Set<ChildProcess>();
  /** Workers not running a trial right now (starting up, or between trials): they will claim next. */
  const idle = new Set<ChildProcess>();
  const startedAt = new Map<string, number>();
  const names = new Map<string, string>();
  let interrupted = false;
  let failedStarts = 0;
  let failure: string | undefined;
  let slot = 0;

  const spawnWorker = (pending: number) => {
    // Workers share the cores: each WASM worker gets its slice of XNNPACK threads.
    const threads = String(Math.max(1, Math.floor(cpus().length / Math.min(parallel, Math.max(pending, 1)))));
    const env: NodeJS.ProcessEnv = { VAELAB_WASM_THREADS: threads, ...process.env, VAELAB_DB: options.location };
    if ((options.gpus ?? 0) > 1) env.CUDA_VISIBLE_DEVICES = env.VAELAB_GPU_INDEX = String(slot % options.gpus!);
    slot++;
    const child = fork(WORKER_ENTRY, [options.sweepId ?? '', options.wait ? 'wait' : ''], { env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let finishedOne = false;
    workers.add(child);
    idle.add(child);
    child.on('message', (message: WorkerMessage) => {
      if (message.type === 'trial-start') {
        idle.delete(child);
        startedAt.set(message.runId, Date.now());
        names.set(message.runId, message.name);
      } else if (message.type === 'progress') state.running.set(message.progress.runId, { ...message.progress, name: names.get(message.progress.runId) ?? message.progress.runId });
      else {
        idle.add(child);
        state.running.delete(message.runId);
        finishedOne = true;
        failedStarts = 0;
        const began = startedAt.get(message.runId);
        if (message.outcome === 'finished' && began != null) state.durations.push((Date.now() - began) / 1000);
      }
    });
    child.on('exit', (code) => {
      workers.delete(child);
      idle.delete(child);
      if (code !== 0 && !finishedOne && !interrupted && ++failedStarts >= MAX_FAILED_STARTS) {
        failure = `${failedStarts} workers in a row exited (code ${code}) before finishing a trial; not starting more (see their messages above)`;
      }
    });
  };

  const onInterrupt = () => {
    if (interrupted) return;
    interrupted = true;
    process.stderr.write('\nstopping: each worker checkpoints its trial and marks it killed (vaelab resume continues)…\n');
    for (const w of workers) w.kill('SIGTERM');
  };
  process.on('SIGINT', onInterrupt);
  process.on('SIGTERM', onInterrupt);
  let sleptAt = Date.now();
  let graceUntil = 0;
  let storeTrouble = '';
  let troubleSince = 0;
  try {
    for (;;) {
      const now = Date.now();
      // Measured over the sleep only: a slow store call is not a suspension.
      if (now - sleptAt > TICK_MS + SUSPENDED_AFTER_MS) {
        graceUntil = now + options.leaseMs;
        process.stderr.write(`\nthis process was suspended for ${Math.round((now - sleptAt) / 1000)} s; giving workers ${Math.round(options.leaseMs / 1000)} s to check in\n`);
      }
      let pending = 0;
      let running = 0;
      try {
        await store.reapExpired({ isAlive: isProcessAlive, sweepId: options.sweepId, deadWorkersOnly: now < graceUntil, now });
        const claim = await claimable(store, options.sweepId);
        ({ pending, running } = claim);
        state.counts = claim.counts;
        if (options.sweepId == null) state.total = Object.values(claim.counts).reduce((a, b) => a + b, 0);
        storeTrouble = '';
        troubleSince = 0;
      } catch (error) {
        // The store may be busy (another process holds SQLite's write lock) or briefly unreachable:
        // say so once, keep the workers, and try again next tick.
        const message = (error as Error).message.split('\n')[0];
        if (message !== storeTrouble) process.stderr.write(`\nstore not answering (${message}); retrying\n`);
        storeTrouble = message;
        troubleSince ||= now;
        pending = 1;
        if (now - troubleSince > Math.max(120_000, options.leaseMs)) failure ??= `the store has not answered for ${Math.round((now - troubleSince) / 1000)} s (${message})`;
      }
      const wanted = options.wait ? parallel : Math.min(parallel, workers.size - idle.size + pending);
      if (!interrupted && failure == null && storeTrouble === '' && workers.size < wanted) spawnWorker(pending);
      if (options.progress !== false && state.counts) view.render(state);
      const none = workers.size === 0;
      if (none && (interrupted || failure != null)) break;
      if (none && failure == null && !options.wait && storeTrouble === '' && pending === 0 && (options.sweepId == null || running === 0)) break;
      sleptAt = Date.now();
      await new Promise((r) => setTimeout(r, TICK_MS));
    }
  } finally {
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onInterrupt);
    view.release();
  }
  return { interrupted, ...(failure ? { failure } : {}) };
}
