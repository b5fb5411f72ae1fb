// Runs one claimed trial inside a worker, from the trial record stored with it: resumes from the
// last checkpoint in the store (whichever machine wrote it), trains with per-step metrics,
// per-epoch evaluation and pictures, checkpoints into the store, and ends the attempt. Every
// write carries the attempt's lease: if another attempt took the trial over, the first refused
// write stops this one and nothing more of it is written.
import { decodeCheckpoint, disposeCheckpoint, NonFiniteLossError, type StepRecord, Trainer, TrainingStopped } from '@vaelab/core';
import { LeaseLostError, leaseOf, type MetricPoint, type RunRecord, type RunLease, type Store, StoreFullError } from '@vaelab/tracking';
import type { TrialConfig } from '../config/trial-config.js';
import { variants } from '../variants/registry.js';
import type { TrialData, TrialModel, TrialReport } from '../variants/runner-types.js';
import { dataChecksum } from '../config/data-checksum.js';
import { gitSha, softwareVersions } from './environment.js';
import { evaluationSuite } from './evaluation-suite.js';

export interface TrialProgress {
  runId: string;
  epoch: number;
  epochs: number;
  step: number;
  loss: number;
}

/** Why a worker stops a trial early: Ctrl-C/SIGTERM, its coordinator died, or its lease was lost. */
export type StopReason = 'interrupt' | 'orphaned' | 'lost';

export interface TrialOptions {
  data: TrialData;
  /** The backend the worker runs on, as recorded with the run. */
  backend: string;
  /** Its thread count (WASM), recorded with the versions: throughput depends on it. */
  threads: number;
  /** The device it runs on (the WebGPU adapter, the CUDA device), recorded with the versions. */
  device?: string;
  /** Aborted with a StopReason when the trial must stop at the next step. */
  signal: AbortSignal;
  onProgress?(progress: TrialProgress): void;
}

/** finished / failed / killed as the store recorded them; pending: failed with a retry left or released; lost: taken over. */
export type TrialOutcome = 'finished' | 'failed' | 'killed' | 'pending' | 'lost';

function stepPoints(records: StepRecord[]): MetricPoint[] {
  return records.flatMap((r) => Object.entries(r.values).map(([key, value]) => ({ key, step: r.step, value })));
}

async function logReport(store: Store, lease: RunLease, step: number, report: TrialReport): Promise<void> {
  await store.logMetrics(lease, Object.entries(report.metrics).map(([key, value]) => ({ key, step, value })));
  await store.logImages(lease, report.images.map((img) => ({ key: img.key, step, index: 0, png: img.png, caption: img.caption })));
}

/** Restores the latest checkpoint of any earlier attempt and drops what that attempt logged after it. */
async function resume(store: Store, run: RunRecord, lease: RunLease, trainer: Trainer): Promise<void> {
  const saved = await store.latestCheckpoint(run.id);
  if (saved != null) {
    const checkpoint = decodeCheckpoint(saved.data, `checkpoint of ${run.name} (step ${saved.step})`);
    try {
      trainer.restore(checkpoint);
    } finally {
      disposeCheckpoint(checkpoint);
    }
    await store.truncateAfter(lease, trainer.position.step);
  } else if (run.attempt > 1) {
    await store.truncateAfter(lease, 0);
  }
}

export async function runTrial(store: Store, run: RunRecord, trial: TrialConfig, options: TrialOptions): Promise<TrialOutcome> {
  const { data, signal } = options;
  const lease = leaseOf(run);
  let built: TrialModel | null = null;
  let trainer: Trainer | null = null;
  const budget = new AbortController();
  const stop = AbortSignal.any([signal, budget.signal]);
  const started = Date.now();
  try {
    const checksum = dataChecksum(data.train);
    checkSameData(trial, run, checksum);
    await store.recordEnvironment(lease, {
      versions: {
        ...softwareVersions(), ...(options.backend === 'wasm' ? { wasmThreads: String(options.threads) } : {}), ...(options.device ? { device: options.device } : {}),
      },
      backend: options.backend, gitSha: gitSha(), dataChecksum: checksum,
    });
    const trialModel = variants[trial.variant].create(trial.model);
    built = trialModel;
    trainer = new Trainer(trialModel.model, trial.train);
    await resume(store, run, lease, trainer);
    let evaluatedAt = -1;
    const evaluateAndLog = async (step: number, final: boolean) => {
      const report = await trialModel.evaluate(data, { seed: trial.seed, final, settings: trial.evaluation });
      await logReport(store, lease, step, report);
      evaluatedAt = step;
      failIfDiverged(step, report);
      if (trial.evaluation.everyEpoch && !final) await logReport(store, lease, step, await evaluationSuite(trialModel, data, trial.evaluation, trial.seed));
    };
    // The last epoch's evaluation is the final one (importance-weighted bound and other extras).
    const finalStep = Math.min(trial.train.epochs * Math.ceil(data.train.count / trial.train.batchSize), trial.train.steps ?? Number.POSITIVE_INFINITY);
    try {
      await trainer.fit(data.train, {
        checkpoint: (bytes, position) => store.saveCheckpoint(lease, position.step, bytes),
        checkpointMeta: { runId: run.id, attempt: run.attempt },
        signal: stop,
        onSteps: async (records) => {
          await store.logMetrics(lease, stepPoints(records));
          const last = records[records.length - 1];
          options.onProgress?.({ runId: run.id, epoch: last.epoch, epochs: trial.train.epochs, step: last.step, loss: last.values.loss });
          if (trial.minutes != null && Date.now() - started > trial.minutes * 60_000) budget.abort();
        },
        onEpochEnd: async (summary) => {
          await store.logMetrics(lease, [{ key: 'epoch/samplesPerSec', step: summary.step, value: summary.samplesPerSec }]);
          await evaluateAndLog(summary.step, summary.step === finalStep);
        },
      });
    } catch (error) {
      if (!(error instanceof TrainingStopped) || !budget.signal.aborted || signal.aborted) throw error;
    }
    if (evaluatedAt !== trainer.position.step) await evaluateAndLog(trainer.position.step, true);
    if (trialModel.finish) await logReport(store, lease, trainer.position.step, await trialModel.finish(data, trial.seed, trial.prior ?? {}));
    // The common suite last: a VQ-VAE samples through the prior finish() fitted.
    await logReport(store, lease, trainer.position.step, await evaluationSuite(trialModel, data, trial.evaluation, trial.seed));
    return await store.endRun(lease, 'finished') as TrialOutcome;
  } catch (error) {
    return await endAfterError(store, lease, error, signal.reason as StopReason | undefined);
  } finally {
    trainer?.dispose();
    built?.model.dispose();
  }
}

/** The data must be what the sweep validated and what earlier attempts trained on (files can change under a sweep). */
function checkSameData(trial: TrialConfig, run: RunRecord, checksum: string): void {
  const facts = trial.dataFacts;
  if (facts != null && facts.checksum !== checksum) {
    throw new Error(`dataset changed since the sweep was created: ${facts.source} had checksum ${facts.checksum}, this worker loads ${checksum}; restore the files or start a new sweep`);
  }
  if (run.attempt > 1 && run.dataChecksum != null && run.dataChecksum !== checksum) {
    throw new Error(`dataset changed since attempt ${run.attempt - 1}: its checksum was ${run.dataChecksum}, now ${checksum}; resuming would mix two datasets`);
  }
}

/** A NaN test metric means the weights themselves went non-finite: the trial failed, whatever the last loss said. */
function failIfDiverged(step: number, report: TrialReport): void {
  const bad = Object.entries(report.metrics).filter(([, v]) => !Number.isFinite(v)).map(([k, v]) => `${k} = ${v}`);
  if (bad.length > 0) {
    throw new Error(`evaluation at step ${step} gave ${bad.join(', ')}: the weights diverged (lower train.learningRate or set train.gradClipNorm)`);
  }
}

async function endAfterError(store: Store, lease: RunLease, error: unknown, reason: StopReason | undefined): Promise<TrialOutcome> {
  try {
    if (error instanceof LeaseLostError || reason === 'lost') return 'lost';
    if (error instanceof StoreFullError) throw error; // nothing more can be written; the worker says so and exits
    if (error instanceof TrainingStopped && reason === 'orphaned') {
      await store.releaseRun(lease, `worker stopped at step ${error.step}: its coordinator is gone (checkpoint kept; any worker continues it)`);
      return 'pending';
    }
    if (error instanceof TrainingStopped) {
      return await store.endRun(lease, 'killed', `stopped at step ${error.step} (checkpoint saved; vaelab resume continues it)`) as TrialOutcome;
    }
    const message = error instanceof NonFiniteLossError ? error.message : `${(error as Error).name}: ${(error as Error).message}`;
    return await store.endRun(lease, 'failed', message) as TrialOutcome;
  } catch (endError) {
    if (endError instanceof LeaseLostError) return 'lost';
    throw endError;
  }
}
