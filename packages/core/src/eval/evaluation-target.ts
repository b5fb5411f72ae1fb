// What the evaluation suite needs from a trained model, whatever its latent space: every variant
// provides one, so every variant is measured by the same code on the same data.
import type * as tf from '@tensorflow/tfjs-core';
import type { Batch } from '../data/batches.js';
import type { ImageDataset } from '../data/dataset.js';

export interface FamilyMetricOptions {
  seed: number;
  /** k of the importance-weighted bound; 0 skips it. */
  importanceSamples: number;
  /** Likelihood metrics where the model defines them (eval/negativeElbo, eval/iwNll). */
  likelihood: boolean;
  /** Latent health (eval/activeUnits; eval/perplexity and eval/usedFraction). */
  latent: boolean;
}

export interface EvaluationTarget {
  /** Mean reconstructions in [0, 1] (a conditional model uses the batch's labels). */
  reconstruct(batch: Batch): tf.Tensor4D;
  /** Label-free features for a probe, [B, F]; null when the model has none (a CVAE's encoder needs the label). */
  features: ((batch: Batch) => tf.Tensor2D) | null;
  /** Per-example anomaly scores by name, higher = more anomalous; none may need the batch's labels. */
  anomalyScores(batch: Batch, seed: number): Record<string, tf.Tensor1D>;
  /** n generated images (of the given classes when conditional); null when the model cannot sample. */
  sample: ((n: number, seed: number, labels: Int32Array | null) => tf.Tensor4D) | null;
  conditional: boolean;
  /** `steps` images between the single images a and b, per kind of path (e.g. linear, spherical). */
  interpolate(a: Batch, b: Batch, steps: number): Record<string, tf.Tensor4D>;
  /** The size of the code: latent dimensions, or code-grid cells (the PCA baseline gets as many components). */
  latentSize: number;
  /** The metrics only this family of models defines, from one pass over the test set. */
  familyMetrics(test: ImageDataset, options: FamilyMetricOptions): Promise<Record<string, number>>;
}
