// One evaluation suite for every variant: the groups a sweep asks for, measured by the same code
// on the same test set through the model's EvaluationTarget, as eval/* metrics plus
// interpolation grids. Every group runs batched and leaves no tensors behind.
import * as tf from '@tensorflow/tfjs-core';
import { disposeBatch, makeBatch } from '../data/batches.js';
import type { ImageDataset } from '../data/dataset.js';
import { tensorGridPng } from '../image/png-grid.js';
import { anomalyDetection } from './anomaly.js';
import { collectRows } from './collect.js';
import type { DigitClassifier } from './digit-classifier.js';
import type { EvaluationTarget } from './evaluation-target.js';
import { augmentationGains, probeAccuracies } from './few-labels.js';
import { sampleQuality } from './sample-quality.js';

export const EVALUATION_GROUPS = ['reconstruction', 'likelihood', 'latent', 'samples', 'anomaly', 'probe', 'augmentation', 'interpolation'] as const;
export type EvaluationGroup = (typeof EVALUATION_GROUPS)[number];

export interface SuiteData {
  train: ImageDataset;
  /** Test images of the trained classes. */
  test: ImageDataset;
  /** Test images of classes held out of training (for anomaly detection). */
  anomalies?: ImageDataset;
}

export interface SuiteOptions {
  groups: readonly EvaluationGroup[];
  seed: number;
  importanceSamples: number;
  /** Generated images scored for sample quality. */
  samples: number;
  probeLabels: number[];
  augmentLabels: number[];
  augmentRatio: number;
  augmentSteps: number;
  /** Core's digit classifier, trained on `train` (needed by the samples group). */
  classifier?: DigitClassifier;
}

export interface SuiteImage {
  key: string;
  png: Buffer;
  caption: string;
}

export interface SuiteReport {
  metrics: Record<string, number>;
  images: SuiteImage[];
}

/** Bernoulli NLL (nats per image, means clipped to [1e-6, 1 − 1e-6]; images only) and squared error per pixel (or column) of the reconstructions. */
async function reconstructionMetrics(target: EvaluationTarget, test: ImageDataset): Promise<Record<string, number>> {
  const images = test.columns == null; // a table's standardised columns have no Bernoulli NLL: not computed
  const rows = await collectRows(test, (batch) => {
    const p = tf.clipByValue(target.reconstruct(batch), 1e-6, 1 - 1e-6);
    const x = batch.x;
    const out: Record<string, tf.Tensor> = { se: tf.mean(tf.squaredDifference(p, x), [1, 2, 3]) };
    if (images) out.nll = tf.neg(tf.sum(tf.add(tf.mul(x, tf.log(p)), tf.mul(tf.sub(1, x), tf.log(tf.sub(1, p)))), [1, 2, 3]));
    return out;
  });
  const mean = (v: Float32Array) => v.reduce((s, x) => s + x, 0) / v.length;
  return { ...(images ? { 'eval/bernoulliNll': mean(rows.nll) } : {}), 'eval/mse': mean(rows.se) };
}

/** Rows of `steps` images between four pairs of test images (of different classes, when labelled), per kind of path. */
async function interpolationGrids(target: EvaluationTarget, test: ImageDataset, steps = 10): Promise<SuiteImage[]> {
  const pairs: [number, number][] = [];
  for (let i = 0; pairs.length < 4 && i + 1 < test.count; i += 2) {
    let j = i + 1;
    while (j < test.count && !target.conditional && test.labels.length > 0 && test.labels[j] === test.labels[i]) j++;
    if (j < test.count) pairs.push([i, j]);
  }
  const rows: Record<string, tf.Tensor4D[]> = {};
  for (const [i, j] of pairs) {
    const a = makeBatch(test, [i]);
    const b = makeBatch(test, [j]);
    for (const [kind, images] of Object.entries(target.interpolate(a, b, steps))) (rows[kind] ??= []).push(images);
    disposeBatch(a);
    disposeBatch(b);
  }
  const grids: SuiteImage[] = [];
  for (const [kind, parts] of Object.entries(rows)) {
    const all = tf.concat(parts) as tf.Tensor4D;
    grids.push({ key: `interpolation-${kind}`, png: await tensorGridPng(all, { columns: steps, scale: 2 }), caption: `${kind} paths between the codes of two test images (one pair per row)` });
    tf.dispose([all, ...parts]);
  }
  return grids;
}

export async function runEvaluationSuite(target: EvaluationTarget, data: SuiteData, options: SuiteOptions): Promise<SuiteReport> {
  const want = new Set(options.groups);
  const { seed } = options;
  const metrics: Record<string, number> = {};
  const images: SuiteImage[] = [];
  const classes = [...new Set(data.train.labels)].sort((a, b) => a - b);
  if (want.has('reconstruction')) Object.assign(metrics, await reconstructionMetrics(target, data.test));
  Object.assign(metrics, await target.familyMetrics(data.test, {
    seed, importanceSamples: options.importanceSamples, likelihood: want.has('likelihood'), latent: want.has('latent'),
  }));
  if (want.has('samples') && target.sample != null) {
    if (options.classifier == null) throw new Error('evaluation group "samples" needs the digit classifier');
    Object.assign(metrics, await sampleQuality(target, options.classifier, data.test, { count: options.samples, seed, classes }));
  }
  if (want.has('anomaly')) {
    if (data.anomalies == null || data.anomalies.count === 0) throw new Error('evaluation group "anomaly" needs test images of held-out classes (dataset.holdOutClasses)');
    Object.assign(metrics, await anomalyDetection(target, data.train, data.test, data.anomalies, seed));
  }
  if (want.has('probe')) Object.assign(metrics, await probeAccuracies(target, data.train, data.test, options.probeLabels, seed));
  if (want.has('augmentation')) {
    Object.assign(metrics, await augmentationGains(target, data.train, data.test, {
      sizes: options.augmentLabels, ratio: options.augmentRatio, steps: options.augmentSteps, classes, seed,
    }));
  }
  if (want.has('interpolation')) images.push(...await interpolationGrids(target, data.test));
  return { metrics, images };
}
