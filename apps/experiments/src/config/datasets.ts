// Loads the train and test splits a sweep names (real MNIST, or the synthetic shapes set with
// its known factors, generated with different seeds for the two splits).
import { generateShapes, type ImageDataset, loadMnist, takeExamples } from '@vaelab/core';
import type { DatasetSpec } from './sweep-schema.js';
import type { TrialData } from '../variants/runner-types.js';

export function datasetInputShape(spec: DatasetSpec): [number, number, number] {
  return spec.name === 'mnist' ? [28, 28, 1] : [spec.size ?? 64, spec.size ?? 64, 1];
}

export function datasetClasses(spec: DatasetSpec): number {
  return spec.name === 'mnist' ? 10 : (spec.factorSizes ?? [3])[0];
}

export function loadDataset(spec: DatasetSpec): TrialData {
  if (spec.name === 'mnist') {
    const limit = (d: ImageDataset, n: number | undefined) => (n == null ? d : takeExamples(d, n));
    return { train: limit(loadMnist('train'), spec.trainSize), test: limit(loadMnist('test'), spec.testSize) };
  }
  const options = { size: spec.size, factorSizes: spec.factorSizes };
  const seed = spec.seed ?? 0;
  return {
    train: generateShapes({ ...options, count: spec.trainSize, seed }),
    test: generateShapes({ ...options, count: spec.testSize, seed: seed + 1_000_003 }),
  };
}
