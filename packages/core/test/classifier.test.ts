import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { classifierAccuracy, loadMnist, loadOrTrainDigitClassifier, trainDigitClassifier, useBackend } from '@vaelab/core';

beforeAll(async () => {
  await useBackend('wasm');
});

describe('digit classifier for evaluation', () => {
  it('reaches ≥ 97% MNIST test accuracy and reloads from its checkpoint with identical predictions', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'vaelab-cls-')), 'classifier.ckpt');
    const test = loadMnist('test');
    const model = await trainDigitClassifier(loadMnist('train'), { checkpointPath: path });
    const accuracy = await classifierAccuracy(model, test);
    expect(accuracy).toBeGreaterThanOrEqual(0.97);
    const reloaded = await loadOrTrainDigitClassifier(path, () => { throw new Error('must load, not train'); });
    expect(await classifierAccuracy(reloaded, test)).toBe(accuracy);
  });
});
