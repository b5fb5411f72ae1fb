// The record a trial is run from: everything a worker on any machine needs, resolved and
// validated once when the sweep is created and stored with the trial (no YAML at run time).
import type { BackendChoice, ColumnStats, TrainConfig } from '@vaelab/core';
import { dataChecksum } from './data-checksum.js';
import type { EvaluationSettings } from '../variants/runner-types.js';
import { datasetClasses, loadDatasetCached } from './datasets.js';
import { isFileDataset } from './file-datasets.js';
import type { DatasetSpec, SweepConfig, VariantName } from './sweep-schema.js';

export interface TrialConfig {
  variant: VariantName;
  /** The variant's full model config (validated by its schema). */
  model: Record<string, unknown>;
  /** The full train config; budget epochs and steps are already in it. */
  train: TrainConfig;
  seed: number;
  dataset: DatasetSpec;
  /** Wall-clock cap per trial, minutes. */
  minutes?: number;
  /** VQ-VAE: the autoregressive prior fitted after training. */
  prior?: Record<string, unknown>;
  evaluation: EvaluationSettings;
  backend: BackendChoice;
  /** The user's files as the sweep saw them: a worker refuses data whose checksum differs. */
  dataFacts?: DataFacts;
}

export interface DataFacts {
  source: string;
  trainCount: number;
  testCount: number;
  inputShape: [number, number, number];
  numClasses: number;
  /** Of the training split as trained on (after split, caps, held-out classes and standardisation). */
  checksum: string;
  /** A table's column means and standard deviations, from the training split only. */
  standardization?: ColumnStats;
}

/** The trial with facts about its file dataset (loaded once, cached), for the record and the worker's check. */
export function withDataFacts(trial: TrialConfig): TrialConfig {
  if (!isFileDataset(trial.dataset)) return trial;
  const data = loadDatasetCached(trial.dataset);
  const spec = trial.dataset as Record<string, unknown>;
  return {
    ...trial,
    dataFacts: {
      source: `${trial.dataset.name} ${String(spec.path ?? spec.images)}${spec.testPath ?? spec.testImages ? ` (test: ${String(spec.testPath ?? spec.testImages)})` : ''}`,
      trainCount: data.train.count, testCount: data.test.count, inputShape: data.train.inputShape, numClasses: data.train.numClasses,
      checksum: dataChecksum(data.train),
      ...(data.standardization ? { standardization: data.standardization } : {}),
    },
  };
}

export function trialConfig(arm: SweepConfig, resolved: { model: Record<string, unknown>; train: TrainConfig; seed: number }): TrialConfig {
  return {
    variant: arm.variant, model: resolved.model, train: resolved.train, seed: resolved.seed, dataset: arm.dataset, backend: arm.backend,
    evaluation: arm.evaluation,
    ...(arm.budget.minutes != null ? { minutes: arm.budget.minutes } : {}), ...(arm.prior ? { prior: arm.prior } : {}),
  };
}

/** The stored record of a claimed trial; a run without one was not created by a sweep of this version. */
export function readTrialConfig(run: { name: string; config: unknown }): TrialConfig {
  const c = run.config as Partial<TrialConfig> | null;
  if (c == null || typeof c !== 'object' || typeof c.variant !== 'string' || c.model == null || c.train == null || c.dataset == null) {
    throw new Error(`trial ${run.name} has no stored trial config (it was created by an older vaelab); re-create the sweep`);
  }
  return c as TrialConfig;
}

/**
 * A smoke run (VAELAB_SMOKE_STEPS=n): every trial capped at n steps on a small slice of its data,
 * with a one-epoch prior, to try a sweep file or a documented command end to end in seconds.
 */
export function smokeBudget(trial: TrialConfig, steps: number): TrialConfig {
  // Enough training images for the label budgets the suite asks for, so its metric names (probe1000, …) stay those of the full run.
  const { metrics: groups, probeLabels, augmentLabels } = trial.evaluation;
  const labelled = [...(groups.includes('probe') ? probeLabels : []), ...(groups.includes('augmentation') ? augmentLabels : [])];
  // Held-out classes leave fewer training images than the cap: scale up for them (with a margin for uneven classes).
  const held = trial.dataset.holdOutClasses?.length ?? 0;
  const kept = held > 0 ? (datasetClasses(trial.dataset) - held) / datasetClasses(trial.dataset) : 1;
  const examples = Math.max(64, steps * trial.train.batchSize, ...labelled.map((n) => Math.ceil((n / kept) * 1.2)));
  const cap = (n: number | undefined) => Math.min(n ?? Number.POSITIVE_INFINITY, examples);
  // The user's files: capped at what they hold (the split is made before the caps apply).
  const files = isFileDataset(trial.dataset) ? loadDatasetCached(trial.dataset) : null;
  const dataset = trial.dataset.name === 'shapes'
    ? { ...trial.dataset, trainSize: cap(trial.dataset.trainSize), testSize: Math.min(trial.dataset.testSize, 256) }
    : { ...trial.dataset, trainSize: cap(trial.dataset.trainSize ?? files?.train.count), testSize: Math.min(trial.dataset.testSize ?? files?.test.count ?? 10_000, 256) };
  const evaluation = { ...trial.evaluation, samples: Math.min(trial.evaluation.samples, 64), augmentSteps: Math.min(trial.evaluation.augmentSteps, 20) };
  return {
    ...trial, dataset, evaluation, train: { ...trial.train, steps: Math.min(trial.train.steps ?? steps, steps) },
    ...(trial.prior ? { prior: { ...trial.prior, epochs: 1 } } : {}),
  };
}

/** The smoke step cap from the environment, or null (a malformed value is an error naming it). */
export function smokeSteps(env: NodeJS.ProcessEnv = process.env): number | null {
  const text = env.VAELAB_SMOKE_STEPS;
  if (text == null || text === '') return null;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`VAELAB_SMOKE_STEPS: expected a positive integer (steps per trial), got "${text}"`);
  return n;
}
