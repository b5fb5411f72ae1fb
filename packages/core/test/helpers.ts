// Small shared fixtures for core tests.
import { type ImageDataset, loadMnist, takeExamples } from '@vaelab/core';

let cached: ImageDataset | null = null;

/** The first n MNIST test digits (loaded once per test file). */
export function mnistSubset(n: number): ImageDataset {
  cached ??= loadMnist('test');
  return takeExamples(cached, n);
}
