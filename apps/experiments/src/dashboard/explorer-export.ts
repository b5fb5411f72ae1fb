// The latent explorer's data, from a run's latest checkpoint: the decoder's weights as raw
// float32 tensors (the page rebuilds the same network with tfjs and decodes there), and what the
// encoder says about the run's own test images (latents or code grids), computed here once.
import { decodeCheckpoint, disposeCheckpoint, GaussianVae, type ImageDataset, selectExamples, tf, useBackend } from '@vaelab/core';
import type { StoreReader } from '@vaelab/tracking';
import { VqVae } from '@vaelab/vq-vae';
import { loadTestSplit } from '../config/datasets.js';
import type { DatasetSpec } from '../config/sweep-schema.js';
import { variantOf } from '../variants/registry.js';
import { gaussianExplorer } from './explorer-gaussian.js';
import { rawTensor } from './explorer-payload.js';
import { vqExplorer } from './explorer-vq.js';
import { BadRequest } from './query-params.js';

/** Variants the explorer can decode (the page gets them from /api/meta). */
export const EXPLORABLE_VARIANTS = ['vae', 'beta-vae', 'cvae', 'vq-vae'];

/** Test images the explorer encodes for its examples and statistics. */
const TEST_IMAGES = 256;

/** Runs' first test images by dataset spec: copies of 256 images, not the splits they came from. */
const testSets = new Map<string, ImageDataset>();

/** The run's first test images, or why there are none (a run made outside a sweep records no dataset). */
function testImages(config: unknown): { images: ImageDataset | null; note: string | null } {
  const spec = (config as { dataset?: DatasetSpec } | null)?.dataset;
  if (spec == null) return { images: null, note: 'the run records no dataset, so there are no test images to encode' };
  const key = JSON.stringify(spec);
  try {
    let images = testSets.get(key);
    if (images == null) {
      const test = loadTestSplit(spec);
      images = selectExamples(test, Array.from({ length: Math.min(TEST_IMAGES, test.count) }, (_, i) => i));
      if (testSets.size >= 16) testSets.delete(testSets.keys().next().value!);
      testSets.set(key, images);
    }
    return { images, note: null };
  } catch (error) {
    return { images: null, note: `could not load the run's test images: ${(error as Error).message}` };
  }
}

/** The backend the process already computes on (a test sets one), else WASM, started on the first export. */
let backendReady: Promise<unknown> | null = null;
const computeBackend = () => (backendReady ??= tf.engine().backendName != null ? Promise.resolve() : useBackend('wasm'));

export async function explorerExport(store: StoreReader, id: string) {
  await computeBackend();
  const run = await store.getRun(id);
  const saved = await store.latestCheckpoint(run.id);
  if (saved == null) throw new BadRequest(`run "${run.name}" has no checkpoint yet: the explorer decodes with a saved model`);
  const checkpoint = decodeCheckpoint(saved.data, `checkpoint of ${run.name} (step ${saved.step})`);
  const variant = variantOf(checkpoint.variant);
  if (variant == null || !EXPLORABLE_VARIANTS.includes(checkpoint.variant)) {
    disposeCheckpoint(checkpoint);
    throw new BadRequest(`run "${run.name}" is ${checkpoint.variant}: the explorer decodes ${EXPLORABLE_VARIANTS.join(', ')} runs`);
  }
  const { model } = variant.create(checkpoint.modelConfig as Record<string, unknown>);
  try {
    model.params.assign(checkpoint.params);
    const decoder = await Promise.all([...checkpoint.params].filter(([name]) => name.startsWith('decoder/')).map(([name, t]) => rawTensor(name, t)));
    const { images, note } = testImages(run.config);
    const base = { runId: run.id, variant: checkpoint.variant, step: saved.step, decoder, examplesNote: note };
    if (model instanceof VqVae) return { ...base, ...(await vqExplorer(model, images)) };
    if (model instanceof GaussianVae) return { ...base, ...(await gaussianExplorer(model, images)) };
    throw new Error(`the ${checkpoint.variant} model is neither Gaussian-latent nor VQ`);
  } finally {
    model.dispose();
    disposeCheckpoint(checkpoint);
  }
}
