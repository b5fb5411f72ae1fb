// Runs one claimed trial inside a worker: builds the model from the sweep and the trial's point,
// resumes from its checkpoint if it has one, trains with per-step metrics, per-epoch evaluation
// and pictures logged to the store, and ends the run finished, failed (with the error) or killed.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { disposeCheckpoint, loadCheckpoint, type TrainableModel, NonFiniteLossError, type StepRecord, Trainer, TrainingStopped } from '@vaelab/core';
import type { MetricPoint, RunRecord, TrackingStore } from '@vaelab/tracking';
import { armOf, pointWithoutArm, type SweepPlan } from '../config/load-sweep.js';
import { resolveTrial } from '../config/resolve-trial.js';
import { variantRunners } from '../variants/registry.js';
import type { TrialData, TrialReport } from '../variants/runner-types.js';
import { dataChecksum, gitSha, softwareVersions } from './environment.js';

export interface TrialProgress {
  runId: string;
  epoch: number;
  epochs: number;
  step: number;
  loss: number;
}

export interface TrialOptions {
  checkpointDir: string;
  data: TrialData;
  /** The backend the worker runs on, as recorded with the run. */
  backend: string;
  /** Its thread count (WASM), recorded with the versions: throughput depends on it. */
  threads: number;
  /** Aborted when the worker is asked to stop (Ctrl-C, SIGTERM, coordinator gone). */
  signal: AbortSignal;
  onProgress?(progress: TrialProgress): void;
}

export type TrialOutcome = 'finished' | 'failed' | 'killed';

function stepPoints(records: StepRecord[]): MetricPoint[] {
  return records.flatMap((r) => Object.entries(r.values).map(([key, value]) => ({ key, step: r.step, value })));
}

function logReport(store: TrackingStore, runId: string, step: number, report: TrialReport): void {
  store.logMetrics(runId, Object.entries(report.metrics).map(([key, value]) => ({ key, step, value })));
  store.logImages(runId, report.images.map((img) => ({ key: img.key, step, index: 0, png: img.png, caption: img.caption })));
}

export async function runTrial(store: TrackingStore, run: RunRecord, plan: SweepPlan, options: TrialOptions): Promise<TrialOutcome> {
  const config = armOf(plan, run.params);
  const runner = variantRunners[config.variant];
  const { data } = options;
  let model: TrainableModel | null = null;
  const stop = new AbortController();
  let stopReason: 'budget' | 'signal' | 'lost' | null = null;
  const halt = (reason: 'budget' | 'signal' | 'lost') => {
    stopReason ??= reason;
    stop.abort();
  };
  const onSignal = () => halt('signal');
  options.signal.addEventListener('abort', onSignal);
  const started = Date.now();
  try {
    const resolved = resolveTrial(config, pointWithoutArm(run.params, plan.arms.length));
    store.recordEnvironment(run.id, {
      config: { model: resolved.model, train: resolved.train, dataset: config.dataset, budget: config.budget, variant: config.variant },
      versions: { ...softwareVersions(), ...(options.backend === 'wasm' ? { wasmThreads: String(options.threads) } : {}) },
      backend: options.backend, gitSha: gitSha(), dataChecksum: dataChecksum(data.train),
    });
    model = runner.spec.create(resolved.model);
    const trainer = new Trainer(model, resolved.train, config.variant);
    mkdirSync(options.checkpointDir, { recursive: true });
    const checkpointPath = join(options.checkpointDir, `${run.id}.vaelab`);
    // The file is replaced atomically at epoch ends and every checkpointEvery steps; the store
    // records it at epoch ends, so a crash before the first epoch end still finds it by its path.
    const resumeFrom = store.latestCheckpoint(run.id)?.path ?? checkpointPath;
    if (existsSync(resumeFrom)) {
      const checkpoint = await loadCheckpoint(resumeFrom);
      trainer.restore(checkpoint);
      disposeCheckpoint(checkpoint);
      store.truncateAfter(run.id, trainer.position.step);
    } else if (run.attempt > 1) {
      store.truncateAfter(run.id, 0);
    }
    const epochs = resolved.train.epochs;
    const evaluateAndLog = async (step: number) => logReport(store, run.id, step, await runner.evaluate(model!, data, resolved.seed));
    try {
      await trainer.fit(data.train, {
        checkpointPath,
        checkpointMeta: { runId: run.id },
        signal: stop.signal,
        onSteps: (records) => {
          store.logMetrics(run.id, stepPoints(records));
          if (!store.heartbeat(run.id)) halt('lost');
          const last = records[records.length - 1];
          options.onProgress?.({ runId: run.id, epoch: last.epoch, epochs, step: last.step, loss: last.values.loss });
          if (config.budget.steps != null && last.step + 1 >= config.budget.steps) halt('budget');
          if (config.budget.minutes != null && Date.now() - started > config.budget.minutes * 60_000) halt('budget');
        },
        onEpochEnd: async (summary) => {
          store.logMetrics(run.id, [{ key: 'epoch/samplesPerSec', step: summary.step, value: summary.samplesPerSec }]);
          await evaluateAndLog(summary.step);
          store.recordCheckpoint(run.id, summary.step, checkpointPath);
        },
      });
    } catch (error) {
      if (!(error instanceof TrainingStopped) || stopReason !== 'budget') throw error;
      await evaluateAndLog(trainer.position.step);
    }
    if (runner.finish) logReport(store, run.id, trainer.position.step, await runner.finish(model, data, resolved.seed, config.prior ?? {}));
    store.endRun(run.id, 'finished');
    return 'finished';
  } catch (error) {
    if (error instanceof TrainingStopped && stopReason === 'lost') return 'killed'; // the coordinator re-assigned this run
    if (error instanceof TrainingStopped) {
      store.endRun(run.id, 'killed', `stopped at step ${error.step} (checkpoint saved; vaelab resume continues it)`);
      return 'killed';
    }
    const message = error instanceof NonFiniteLossError ? error.message : `${(error as Error).name}: ${(error as Error).message}`;
    store.endRun(run.id, 'failed', message);
    return 'failed';
  } finally {
    options.signal.removeEventListener('abort', onSignal);
    model?.dispose();
  }
}
