// Runs a sweep: stores it with every trial's resolved config (or picks up the existing sweep,
// taking the file's retry and heartbeat settings), re-queues interrupted trials, runs a pool of
// local workers until no trial is pending or running, whichever machines run them, and leaves
// the sweep settled (or killed, after Ctrl-C).
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { isGpuBackend } from '@vaelab/core';
import { isProcessAlive, type Store, type SweepRecord } from '@vaelab/tracking';
import type { SweepPlan } from '../config/load-sweep.js';
import { runPool } from './pool.js';

export interface SweepRunOptions {
  location: string;
  parallel?: number;
  /** Show the progress display (default: true). */
  progress?: boolean;
  /** Only store the sweep; workers on any machine (`vaelab worker`) run it. */
  workers?: boolean;
}

export interface SweepResult {
  sweep: SweepRecord;
  interrupted: boolean;
  failure?: string;
}

export function gpuCount(): number {
  try {
    return execFileSync('nvidia-smi', ['-L'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim().split('\n').filter(Boolean).length;
  } catch {
    return 0;
  }
}

export function sweepSettings(plan: SweepPlan): Record<string, unknown> {
  return { parallel: plan.config.parallel ?? null, backend: plan.config.backend };
}

export async function registerSweep(store: Store, plan: SweepPlan): Promise<{ sweep: SweepRecord; created: boolean }> {
  const leaseMs = plan.config.heartbeat_timeout * 1000;
  const result = await store.createSweep({
    name: plan.name, configText: plan.text, method: plan.config.method, metric: plan.config.metric, maxRetries: plan.config.max_retries,
    leaseMs, settings: sweepSettings(plan),
    trials: plan.trials.map((t, i) => ({ params: t.params, variant: t.variant, name: `${plan.name}#${i}`, config: t.config })),
  });
  if (result.created || (result.sweep.maxRetries === plan.config.max_retries && result.sweep.leaseMs === leaseMs)) return result;
  // Same trials, other settings: the file's retry limit and heartbeat timeout now apply.
  return { sweep: await store.updateSweep(result.sweep.id, { maxRetries: plan.config.max_retries, leaseMs }), created: false };
}

/** Trials left unfinished by a crash or a stop (and, on request, failed ones) go back to the queue. */
export async function requeueInterrupted(store: Store, sweepId: string, includeFailed = false): Promise<number> {
  await store.reapExpired({ isAlive: isProcessAlive, sweepId });
  return store.requeueTrials(sweepId, includeFailed ? ['crashed', 'killed', 'failed'] : ['crashed', 'killed']);
}

/**
 * Workers on this machine: the option, else the sweep's `parallel`, else one per GPU on a GPU
 * backend (or, serving any sweep, when this machine has GPUs), else one per core.
 */
export function localParallel(sweep: SweepRecord | null, option: number | undefined): { parallel: number; gpus: number } {
  const backend = String(sweep?.settings.backend ?? 'auto');
  const gpus = sweep == null || isGpuBackend(backend) ? gpuCount() : 0;
  const fromSweep = typeof sweep?.settings.parallel === 'number' ? sweep.settings.parallel : undefined;
  return { parallel: Math.max(1, option ?? fromSweep ?? (gpus > 0 ? gpus : cpus().length)), gpus };
}

/** Runs local workers on an existing sweep until nothing is left to run there. */
export async function continueSweep(store: Store, sweep: SweepRecord, options: SweepRunOptions): Promise<SweepResult> {
  const { parallel, gpus } = localParallel(sweep, options.parallel);
  const total = Object.values(await store.sweepCounts(sweep.id)).reduce((a, b) => a + b, 0);
  const pool = await runPool(store, {
    location: options.location, sweepId: sweep.id, parallel, gpus, leaseMs: sweep.leaseMs, total, progress: options.progress,
  });
  if (pool.interrupted) await store.updateSweep(sweep.id, { status: 'killed' });
  else await store.settleSweep(sweep.id);
  return { sweep: await store.getSweep(sweep.id), interrupted: pool.interrupted, ...(pool.failure ? { failure: pool.failure } : {}) };
}

export async function runSweep(store: Store, plan: SweepPlan, options: SweepRunOptions): Promise<SweepResult> {
  const { sweep } = await registerSweep(store, plan);
  await requeueInterrupted(store, sweep.id);
  if (options.workers === false) return { sweep: await store.getSweep(sweep.id), interrupted: false };
  return continueSweep(store, await store.getSweep(sweep.id), options);
}
