// Datasets from the user's files (image folders, .npy/.npz, CSV, IDX pairs): paths resolved from
// the sweep file's folder, a test split from test files or a seeded share of the one set, and
// tables standardised with the training split's statistics only.
import { isAbsolute, resolve } from 'node:path';
import {
  columnStats, type ImageDataset, loadCsvTable, loadIdxPair, loadImageFolder, loadNpyDataset, splitDataset, standardize, takeExamples,
} from '@vaelab/core';
import { type DatasetSpec, FILE_DATASETS } from './sweep-schema.js';
import type { TrialData } from '../variants/runner-types.js';

export type FileDatasetSpec = Extract<DatasetSpec, { name: (typeof FILE_DATASETS)[number] }>;

export const isFileDataset = (spec: DatasetSpec): spec is FileDatasetSpec => (FILE_DATASETS as readonly string[]).includes(spec.name);

const PATH_KEYS = ['path', 'testPath', 'images', 'testImages', 'testLabels'] as const;

/** The spec with its file paths made absolute from `baseDir` (a .npz's labels array name is left alone). */
export function resolveDatasetPaths(spec: DatasetSpec, baseDir: string): DatasetSpec {
  if (!isFileDataset(spec)) return spec;
  const out: Record<string, unknown> = { ...spec };
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
  for (const key of PATH_KEYS) if (typeof out[key] === 'string') out[key] = abs(out[key] as string);
  const npzLabelsName = spec.name === 'npy' && spec.path.toLowerCase().endsWith('.npz') && !/\.npy$/i.test(spec.labels ?? '');
  if (typeof out.labels === 'string' && !npzLabelsName) out.labels = abs(out.labels);
  return out as DatasetSpec;
}

function loadOne(spec: FileDatasetSpec, which: 'train' | 'test'): ImageDataset | null {
  const test = which === 'test';
  switch (spec.name) {
    case 'images': {
      const path = test ? spec.testPath : spec.path;
      return path == null ? null : loadImageFolder(path, { size: spec.size, channels: spec.channels });
    }
    case 'npy': {
      const path = test ? spec.testPath : spec.path;
      return path == null ? null : loadNpyDataset(path, { labels: test ? spec.testLabels : spec.labels, key: spec.key });
    }
    case 'csv': {
      const path = test ? spec.testPath : spec.path;
      return path == null ? null : loadCsvTable(path, { labelColumn: spec.labelColumn });
    }
    case 'idx': {
      const path = test ? spec.testImages : spec.images;
      return path == null ? null : loadIdxPair(path, test ? spec.testLabels : spec.labels);
    }
  }
}

function sameShape(train: ImageDataset, test: ImageDataset): void {
  if (train.inputShape.join('x') !== test.inputShape.join('x')) {
    throw new Error(`${test.name}: examples are ${test.inputShape.join('x')} but the training set's are ${train.inputShape.join('x')}`);
  }
  if (train.columns && test.columns && train.columns.join() !== test.columns.join()) {
    throw new Error(`${test.name}: columns ${test.columns.join(', ')} differ from the training table's ${train.columns.join(', ')}`);
  }
}

export function loadFileSplits(spec: FileDatasetSpec): TrialData {
  const whole = loadOne(spec, 'train')!;
  const given = loadOne(spec, 'test');
  let { train, test } = given != null ? { train: whole, test: given } : splitDataset(whole, spec.testFraction, spec.splitSeed);
  if (given != null) sameShape(train, test);
  if (spec.trainSize != null) train = limit(train, spec.trainSize, 'trainSize');
  if (spec.testSize != null) test = limit(test, spec.testSize, 'testSize');
  return { train, test };
}

/** A table's splits standardised with the (final) training split's statistics, when the spec asks. */
export function standardizeSplits(spec: DatasetSpec, data: TrialData): TrialData {
  if (!isFileDataset(spec) || !('standardize' in spec) || !spec.standardize || data.train.columns == null) return data;
  const stats = columnStats(data.train);
  return {
    train: standardize(data.train, stats), test: standardize(data.test, stats),
    ...(data.anomalies ? { anomalies: standardize(data.anomalies, stats) } : {}),
    standardization: stats,
  };
}

function limit(data: ImageDataset, n: number, key: string): ImageDataset {
  if (n > data.count) throw new Error(`dataset.${key}: ${n.toLocaleString('en')} asked for, but ${data.name} has ${data.count.toLocaleString('en')}`);
  return takeExamples(data, n);
}
