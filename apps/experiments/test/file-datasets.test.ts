// The user's own data through the CLI: image folders (PNG and JPEG, RGB, resized), .npy arrays,
// CSV tables and IDX pairs, each trained on by every variant that takes it; every bad input is
// one message naming the file (and line or column), exit 1, and no store written; a dataset
// that changes under a sweep is refused on resume.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { idxBytes, jpegBytes, npyBytes, pngBytes, writeFile } from '@vaelab/core/testing';
import { cli, dir, exited, requireBuiltCli, startDetached, waitFor, watchSweep, withStore, writeSweep } from './cli-helpers.js';
import { sensorTable } from '../../../experiments/data/make-sensor-table.mjs';

beforeAll(requireBuiltCli);

const data = (...parts: string[]) => join(dir, 'data', ...parts);
/** Class 0: bright left half; class 1: bright top half; a per-image shade. */
const pattern = (label: number, k: number) => (x: number, y: number): [number, number, number] => {
  const on = label === 0 ? x < 6 : y < 6;
  const v = on ? 200 + (k % 5) * 10 : 20;
  return [v, v * 0.8, v * 0.5];
};

beforeAll(() => {
  for (let k = 0; k < 24; k++) {
    const label = k % 2;
    const name = data('folder', label === 0 ? 'left' : 'top', `${k}.${k % 3 === 0 ? 'jpg' : 'png'}`);
    // Some images are 16×16: dataset.size resizes them all to 12×12.
    const side = k % 4 === 1 ? 16 : 12;
    writeFile(name, k % 3 === 0 ? jpegBytes(side, side, pattern(label, k)) : pngBytes(side, side, pattern(label, k)));
  }
  const n = 40;
  const pixels = new Uint8Array(n * 144);
  for (let i = 0; i < n; i++) for (let p = 0; p < 144; p++) pixels[i * 144 + p] = pattern(i % 2, i)(p % 12, Math.floor(p / 12))[0];
  writeFile(data('x.npy'), npyBytes('|u1', [n, 12, 12], pixels));
  writeFile(data('y.npy'), npyBytes('<i8', [n], BigInt64Array.from({ length: n }, (_, i) => BigInt(i % 2))));
  writeFile(data('images-idx3'), idxBytes([n, 12, 12], pixels));
  writeFile(data('labels-idx1'), idxBytes([n], Uint8Array.from({ length: n }, (_, i) => i % 2)));
  writeFile(data('sensors.csv'), sensorTable(3, 300, 30));
});

const sweepOn = (name: string, dataset: string, variants: string[], extra = '') => writeSweep(name, `
name: ${name}
dataset: ${dataset}
base: { latentDim: 2, architecture: { kind: mlp, hiddenUnits: [16] } }
train: { batchSize: 8 }
budget: { steps: 3 }
variants:
${variants.map((v) => `  - variant: ${v}${v === 'vq-vae' ? '\n    base: { filters: [4, 8], numEmbeddings: 8, embeddingDim: 4 }\n    prior: { epochs: 1, hiddenUnits: 8 }' : ''}`).join('\n')}
${extra}`);

describe('every kind of file, every variant that takes it', () => {
  it.each([
    ['folder', `{ name: images, path: data/folder, size: [12, 12], channels: 3 }`, ['vae', 'beta-vae', 'cvae', 'vq-vae'], [12, 12, 3], 2],
    ['npy', `{ name: npy, path: data/x.npy, labels: data/y.npy, testFraction: 0.25 }`, ['vae', 'beta-vae', 'cvae', 'vq-vae'], [12, 12, 1], 2],
    ['idx', `{ name: idx, images: data/images-idx3, labels: data/labels-idx1 }`, ['vae', 'beta-vae', 'cvae', 'vq-vae'], [12, 12, 1], 2],
    ['csv', `{ name: csv, path: data/sensors.csv, labelColumn: regime, holdOutClasses: [3] }`, ['vae', 'beta-vae', 'cvae'], [1, 8, 1], 4],
  ] as const)('%s', async (name, dataset, variants, shape, classes) => {
    const db = join(dir, `files-${name}.db`);
    const extra = name === 'csv' ? 'evaluation: { metrics: [reconstruction, anomaly] }' : '';
    const run = cli(['sweep', sweepOn(`files-${name}`, dataset, [...variants], extra), '--db', db]);
    expect(run.status, run.output).toBe(0);
    await withStore(db, async (store) => {
      const runs = await store.sweepTrials((await store.getSweep(`files-${name}`)).id);
      expect(runs.map((r) => [r.variant, r.status])).toEqual(variants.map((v) => [v, 'finished']));
      for (const r of runs) {
        const facts = (r.config as { dataFacts: { inputShape: number[]; numClasses: number; checksum: string; source: string } }).dataFacts;
        expect(facts.inputShape).toEqual(shape);
        expect(facts.numClasses).toBe(classes);
        expect(r.dataChecksum).toBe(facts.checksum);
        expect(facts.source).toContain(join(dir, 'data')); // resolved from the sweep file's folder
        expect(Number.isFinite(r.metrics.loss.last)).toBe(true);
      }
      if (name === 'csv') {
        const vae = runs[0];
        const stats = (vae.config as { dataFacts: { standardization: { mean: number[]; std: number[] } } }).dataFacts.standardization;
        expect(stats.mean).toHaveLength(8);
        expect(Number.isFinite(vae.metrics['eval/auroc/negativeElbo'].last)).toBe(true);
        expect((vae.config as { model: { likelihood: { kind: string } } }).model.likelihood.kind).toBe('gaussian-learned');
      }
    });
  });
});

it('the example table in experiments/data is what make-sensor-table.mjs writes', () => {
  expect(readFileSync(join(import.meta.dirname, '../../../experiments/data/sensors.csv'), 'utf8')).toBe(sensorTable());
});

describe('bad input', () => {
  beforeAll(() => {
    writeFile(data('empty', 'cats', 'readme.txt'), 'no images here');
    writeFile(data('corrupt', 'a.png'), pngBytes(4, 4, () => [0, 0, 0]));
    writeFile(data('corrupt', 'b.png'), 'not a png at all');
    writeFile(data('mixed', 'a.png'), pngBytes(4, 4, () => [0, 0, 0]));
    writeFile(data('mixed', 'b.png'), pngBytes(5, 4, () => [0, 0, 0]));
    writeFile(data('c8.npy'), npyBytes('<c8', [4, 2], new Float32Array(8)));
    writeFile(data('rank5.npy'), npyBytes('<f4', [2, 1, 1, 1, 1], new Float32Array(2)));
    writeFile(data('cell.csv'), 'a,b,y\n1,2,0\n3,x7,1\n');
    writeFile(data('ragged.csv'), 'a,b\n1,2\n3,4,5\n');
    writeFile(data('small.csv'), `a,b\n${Array.from({ length: 20 }, (_, i) => `${i},${i * 2}`).join('\n')}\n`);
  });

  it.each([
    ['missing folder', `{ name: images, path: data/nope }`, ['vae'], '', () => `dataset: ${data('nope')}: cannot read the image folder (ENOENT)`],
    ['empty folder', `{ name: images, path: data/empty }`, ['vae'], '', () => `dataset: ${data('empty')}: no .png, .jpg or .jpeg images in its class folders (cats)`],
    ['corrupt image', `{ name: images, path: data/corrupt }`, ['vae'], '', () => `dataset: ${data('corrupt', 'b.png')}: not a readable PNG image`],
    ['mixed sizes', `{ name: images, path: data/mixed }`, ['vae'], '', () => `dataset: ${data('mixed', 'b.png')}: is 5×4 but a.png is 4×4; set dataset.size to resize them all`],
    ['npy dtype', `{ name: npy, path: data/c8.npy }`, ['vae'], '', () => `dataset: ${data('c8.npy')}: dtype <c8 is not supported`],
    ['npy rank', `{ name: npy, path: data/rank5.npy }`, ['vae'], '', () => `dataset: ${data('rank5.npy')}: shape (2, 1, 1, 1, 1) is not (n, features), (n, h, w) or (n, h, w, 1|3)`],
    ['csv cell', `{ name: csv, path: data/cell.csv, labelColumn: y }`, ['vae'], '', () => `dataset: ${data('cell.csv')}: line 3, column "b": "x7" is not a number`],
    ['csv ragged', `{ name: csv, path: data/ragged.csv }`, ['vae'], '', () => `dataset: ${data('ragged.csv')}: line 3 has 3 cells; the header has 2`],
    ['too many classes', `{ name: csv, path: data/sensors.csv, labelColumn: regime }`, ['cvae'], '', () => 'base.numClasses: 2, but the dataset\'s labels go up to 3 (4 classes)'],
    ['test split of 1', `{ name: csv, path: data/small.csv, testFraction: 0.05 }`, ['vae'], '', () => 'a test fraction of 0.05 of 20 examples gives 1 test and 19 training examples; each needs at least 2'],
    ['cvae without labels', `{ name: csv, path: data/small.csv }`, ['cvae'], '', () => 'dataset: cvae conditions on labels, but '],
    ['vq-vae on a table', `{ name: csv, path: data/small.csv }`, ['vq-vae'], '', () => 'dataset: vq-vae is convolutional and needs images; csv gives table rows of 2 columns'],
    ['image metrics on a table', `{ name: csv, path: data/small.csv }`, ['vae'], 'evaluation: { metrics: [samples] }', () => 'evaluation.metrics: samples scores images; a table supports'],
  ] as [string, string, string[], string, () => string][])('%s', (name, dataset, variants, extra, message) => {
    const slug = name.replace(/\W+/g, '-');
    const db = join(dir, `bad-${slug}`, 'store.db');
    const base = name === 'too many classes' ? '\n    base: { numClasses: 2, latentDim: 2, architecture: { kind: mlp, hiddenUnits: [16] } }' : '';
    const file = sweepOn(`bad-${slug}`, dataset, [...variants], extra);
    if (base) writeFileSync(file, readFileSync(file, 'utf8').replace(/(- variant: cvae)$/m, `$1${base}`));
    const { status, output } = cli(['sweep', file, '--db', db]);
    expect(status, output).toBe(1);
    expect(output.split('\n')[0]).toContain(`vaelab sweep: ${file}: `);
    expect(output).toContain(message());
    expect(output).not.toMatch(/\n\s+at /);
    expect(existsSync(db)).toBe(false);
  });
});

describe('a dataset that changes under a sweep', () => {
  it('is refused when the sweep resumes, naming the file and both checksums', async () => {
    const csv = writeFile(data('drift.csv'), sensorTable(5, 300, 0));
    const db = join(dir, 'drift.db');
    const file = writeSweep('drift', `
name: drift
variant: vae
dataset: { name: csv, path: data/drift.csv, labelColumn: regime }
base: { latentDim: 2, architecture: { kind: mlp, hiddenUnits: [16] } }
train: { batchSize: 8, checkpointEvery: 20 }
budget: { epochs: 500 }
max_retries: 0
`);
    const child = startDetached(['sweep', file, '--db', db]);
    const watcher = await watchSweep(db, 'drift');
    const sweepId = (await watcher.getSweep('drift')).id;
    await waitFor(async () => (await watcher.sweepTrials(sweepId)).some((r) => r.status === 'running' && r.metrics.loss), 'a running trial');
    process.kill(-child.pid!, 'SIGINT');
    expect(await exited(child), child.output()).toBe(130);
    await watcher.close();
    writeFileSync(csv, sensorTable(6, 300, 0));
    const resumed = cli(['resume', 'drift', '--db', db]);
    expect(resumed.status).not.toBe(0);
    await withStore(db, async (store) => {
      const [run] = await store.sweepTrials(sweepId);
      expect(run.status).toBe('failed');
      expect(run.error).toContain(`dataset changed since the sweep was created: csv ${csv} had checksum sha256:`);
    });
  });
});
