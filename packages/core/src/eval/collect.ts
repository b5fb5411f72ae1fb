// Runs a tensor-valued function over a dataset in batches and gathers its rows on the CPU:
// bounded memory whatever the set's size, with the event loop served between batches.
import * as tf from '@tensorflow/tfjs-core';
import { type Batch, disposeBatch, sequentialBatches } from '../data/batches.js';
import type { ImageDataset } from '../data/dataset.js';
import { yieldToEventLoop } from '../util/yield.js';

/** Concatenated values of `fn` over every batch, per named output. */
export async function collectRows(
  dataset: ImageDataset, fn: (batch: Batch) => Record<string, tf.Tensor>, batchSize = 500,
): Promise<Record<string, Float32Array>> {
  const parts: Record<string, Float32Array[]> = {};
  for (const batch of sequentialBatches(dataset, batchSize)) {
    const out = tf.tidy(() => fn(batch));
    disposeBatch(batch);
    for (const [name, t] of Object.entries(out)) (parts[name] ??= []).push((await t.data()) as Float32Array);
    tf.dispose(Object.values(out));
    await yieldToEventLoop();
  }
  return Object.fromEntries(Object.entries(parts).map(([name, chunks]) => {
    const all = new Float32Array(chunks.reduce((s, c) => s + c.length, 0));
    let offset = 0;
    for (const c of chunks) {
      all.set(c, offset);
      offset += c.length;
    }
    return [name, all];
  }));
}
