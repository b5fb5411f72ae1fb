// Core's digit classifier, trained once per training set and machine and kept in a cache folder
// (VAELAB_CACHE, else ~/.cache/vaelab): scoring generated samples must not retrain it per trial.
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { type DigitClassifier, type ImageDataset, loadOrTrainDigitClassifier } from '@vaelab/core';
import { dataChecksum } from '../config/data-checksum.js';

const loaded = new Map<string, Promise<DigitClassifier>>();

export function cacheDir(): string {
  const dir = process.env.VAELAB_CACHE || join(homedir(), '.cache', 'vaelab');
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function sharedDigitClassifier(train: ImageDataset): Promise<DigitClassifier> {
  const key = dataChecksum(train).replace(/[^\w]/g, '_');
  let classifier = loaded.get(key);
  if (classifier == null) {
    classifier = loadOrTrainDigitClassifier(join(cacheDir(), `digit-classifier-${key}.vaelab`), () => train);
    loaded.set(key, classifier);
  }
  return classifier;
}
