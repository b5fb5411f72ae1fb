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

export interface VariantRunner {
  schema: z.ZodType;
  defaultConfig: Record<string, unknown>;
  create(config: unknown): TrainableModel;
  /** Metric keys evaluate() returns (the sweep's metric must be one of these or a step metric). */
  evalMetrics: readonly string[];
  /** The metric the summary table shows. */
  headlineMetric: string;
  evaluate(model: TrainableModel, data: TrialData, seed: number): Promise<Record<string, number>>;
  images(model: TrainableModel, data: TrialData, seed: number): Promise<LoggedImage[]>;
  /** Work after training (e.g. fitting a prior); may add metrics and images. */
  finish?(model: TrainableModel, data: TrialData, seed: number, options: Record<string, unknown>): Promise<{ metrics: Record<string, number>; images: LoggedImage[] }>;
}
