// What the experiments app needs from each variant beyond its package's spec: how to evaluate
// a trained model on the test split and which pictures to log.
import type { ImageDataset, TrainableModel } from '@vaelab/core';
import type { z } from 'zod';

export interface TrialData {
  train: ImageDataset;
  test: ImageDataset;
}

export interface LoggedImage {
  key: string;
  png: Buffer;
  caption: string;
}

/** Metrics and pictures logged together at one step. */
export interface TrialReport {
  metrics: Record<string, number>;
  images: LoggedImage[];
}

/** The part of a variant package's `xxxSpec` (the variant contract) the app uses. */
export interface VariantSpec {
  defaultConfig: object;
  configSchema: z.ZodType;
  create(config: unknown): TrainableModel;
}

export interface VariantRunner {
  spec: VariantSpec;
  /** Metric keys evaluate() and finish() report (the sweep's metric must be one of these or a step metric). */
  evalMetrics: readonly string[];
  /** The metric the summary table shows. */
  headlineMetric: string;
  /** Test metrics and pictures after an epoch. */
  evaluate(model: TrainableModel, data: TrialData, seed: number): Promise<TrialReport>;
  /** Work after training (e.g. fitting a prior); may add metrics and images. */
  finish?(model: TrainableModel, data: TrialData, seed: number, options: Record<string, unknown>): Promise<TrialReport>;
}
