// The record a trial is run from: everything a worker on any machine needs, resolved and
// validated once when the sweep is created and stored with the trial (no YAML at run time).
import type { BackendChoice, TrainConfig } from '@vaelab/core';
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
  backend: BackendChoice;
}

export function trialConfig(arm: SweepConfig, resolved: { model: Record<string, unknown>; train: TrainConfig; seed: number }): TrialConfig {
  return {
    variant: arm.variant, model: resolved.model, train: resolved.train, seed: resolved.seed, dataset: arm.dataset, backend: arm.backend,
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
