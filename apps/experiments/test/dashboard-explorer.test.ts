// The latent explorers in a real headless Chromium: a CVAE's decoder rebuilt in the page decodes
// what the model decodes on the server (sliders, class, the plane between two test images), its
// sliders ordered by the KL the encoder gives the run's test images; a VQ-VAE's code grid edited
// cell by cell decodes as the model's decodeCodes does, for a codebook (EMA), a residual and an FSQ quantiser.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultTrainConfig, encodeCheckpoint, klPerDimension, type TrainableModel, tf, Trainer, useBackend } from '@vaelab/core';
import { openStore } from '@vaelab/tracking';
import type { VqVae } from '@vaelab/vq-vae';
import { loadDataset } from '../src/config/datasets.js';
import type { DatasetSpec } from '../src/config/sweep-schema.js';
import { variants } from '../src/variants/registry.js';
import { MALICIOUS } from './dashboard-fixture.js';
import { chromiumAvailable, type DashboardSession, openDashboardSession, SHOTS } from './dashboard-session.js';

let session: DashboardSession;
let page: Page;

beforeAll(async () => {
  if (!chromiumAvailable) return;
  await useBackend('cpu');
  session = await openDashboardSession();
  ({ page } = session);
});

afterAll(async () => {
  await session?.close();
});

/** The run's test images: 8×8 shapes (three classes), as a sweep records its dataset. */
const DATASET = { name: 'shapes', size: 8, trainSize: 16, testSize: 40, factorSizes: [3, 6, 40, 2, 2] } as unknown as DatasetSpec;
const testImages = () => loadDataset(DATASET).test;
const imageTensor = (i: number) => tf.tensor4d(testImages().images.subarray(i * 64, (i + 1) * 64), [1, 8, 8, 1]);

/** A finished run whose latest checkpoint is `model` (seeded, untrained: its outputs are far from uniform, which is all a comparison needs). */
async function savedRun(model: TrainableModel, variant: string, config: unknown = { dataset: DATASET }): Promise<string> {
  const trainer = new Trainer(model, defaultTrainConfig);
  const writer = await openStore(session.storePath);
  try {
    const run = await writer.createRun({ name: MALICIOUS, variant, params: { seed: 7 }, config });
    await writer.saveCheckpoint(run.lease, 0, await encodeCheckpoint(trainer.checkpointContents()));
    await writer.endRun(run.lease, 'finished');
    return run.id;
  } finally {
    trainer.dispose();
    await writer.close();
  }
}

const maxDiff = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i])));
const values = (t: tf.Tensor) => {
  const out = Array.from(t.dataSync());
  t.dispose();
  return out;
};
type Decoded = HTMLCanvasElement & { values: number[] };

async function openExplorer(runId: string) {
  await page.goto(`${session.base}#/run/${runId}`);
  await page.click('#explore');
  await page.waitForSelector('#decoded[data-ready="true"]');
  expect(await page.textContent('h2')).toBe(`Latent explorer: ${MALICIOUS}`);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
}

describe.skipIf(!chromiumAvailable)('latent explorer in Chromium', () => {
  it('CVAE: the page decodes what the server decodes, sliders by KL, and the plane between two test images', async () => {
    const { model: trained } = variants.cvae.create({ latentDim: 3, numClasses: 4, inputShape: [8, 8, 1], seed: 7, architecture: { kind: 'conv', filters: [4, 8], kernelSize: 3, denseUnits: 16 } });
    const model = trained as unknown as {
      decode(z: tf.Tensor2D, o: { labels: tf.Tensor1D }): tf.Tensor;
      encode(x: tf.Tensor, o: { labels: tf.Tensor1D }): { zMean: tf.Tensor2D; zLogVar: tf.Tensor2D };
    };
    const runId = await savedRun(trained, 'cvae');
    const serverDecode = (z: number[], label: number) => values(tf.tidy(() => model.decode(tf.tensor2d([z]), { labels: tf.tensor1d([label], 'int32') })));
    const images = testImages();
    const encoded = tf.tidy(() => model.encode(tf.tensor4d(images.images, [images.count, 8, 8, 1]), { labels: tf.tensor1d(images.labels, 'int32') }));
    const kl = values(klPerDimension(encoded.zMean, encoded.zLogVar));
    const means = encoded.zMean.arraySync();
    tf.dispose([encoded.zMean, encoded.zLogVar]);

    await openExplorer(runId);
    const shown = () => page.$eval('#decoded', (c) => ({ values: (c as Decoded).values, z: JSON.parse(c.dataset.z!), label: Number(c.dataset.label) }));
    const atOrigin = await shown();
    expect(atOrigin.values).toHaveLength(64);
    expect(maxDiff(atOrigin.values, serverDecode([0, 0, 0], 0))).toBeLessThan(1e-5);
    // Sliders in the order of the KL the server's encoder gives the 40 test images, highest first.
    const order = await page.$$eval('#sliders label[data-dim]', (ls) => ls.map((l) => Number((l as HTMLElement).dataset.dim)));
    expect(order).toEqual([0, 1, 2].sort((a, b) => kl[b] - kl[a]));
    expect(new Set(kl).size).toBe(3);
    // Moving a slider and picking a class both redraw, and still match the server's decode.
    await page.locator('#z-1').fill('2.5');
    await page.selectOption('#explorer-class', '3');
    await page.waitForFunction(() => { const c = document.querySelector('#decoded') as HTMLCanvasElement; return c.dataset.label === '3' && JSON.parse(c.dataset.z!)[1] === 2.5; });
    const moved = await shown();
    expect(moved.z).toEqual([0, 2.5, 0]);
    expect(maxDiff(moved.values, atOrigin.values)).toBeGreaterThan(0.01);
    expect(maxDiff(moved.values, serverDecode([0, 2.5, 0], 3))).toBeLessThan(1e-5);
    // The canvas shows those values: its pixels are the decoded means × 255, to rounding.
    const pixels = await page.$eval('#decoded', (c) => Array.from((c as HTMLCanvasElement).getContext('2d')!.getImageData(0, 0, 8, 8).data.filter((_, i) => i % 4 === 0)));
    expect(maxDiff(pixels, moved.values.map((v) => Math.round(255 * v)))).toBeLessThanOrEqual(1);

    // The plane between test images 2 and 5 (class 3 still picked): u·μ(A) + v·μ(B), decoded in the page.
    await page.selectOption('#plane-a', '2');
    await page.selectOption('#plane-b', '5');
    await page.waitForFunction(() => (document.querySelector('#plane-grid') as HTMLCanvasElement).dataset.ab === '2,5');
    type Tile = { u: number; v: number; z: number[]; values: number[] };
    const tiles = await page.$eval('#plane-grid', (c) => (c as HTMLCanvasElement & { tiles: Tile[] }).tiles);
    expect(tiles).toHaveLength(81);
    const tile = (u: number, v: number) => tiles.find((t) => t.u === u && t.v === v)!;
    expect(maxDiff(tile(1, 0).z, means[2])).toBeLessThan(1e-5);
    expect(maxDiff(tile(0, 1).z, means[5])).toBeLessThan(1e-5);
    for (const [u, v] of [[1, 0], [0, 1], [0.5, 0.75], [-0.5, 1.5]]) {
      const z = means[2].map((a, d) => u * a + v * means[5][d]);
      expect(maxDiff(tile(u, v).values, serverDecode(z, 3)), `tile u=${u} v=${v}`).toBeLessThan(1e-5);
    }
    // A click on a tile moves the sliders there (the top-left tile: u = -0.5, v = 1.5).
    const box = (await page.locator('#plane-grid').boundingBox())!;
    await page.mouse.click(box.x + 4, box.y + 4);
    await page.waitForFunction(() => Number((document.querySelector('#z-0') as HTMLInputElement).value) !== 0);
    const corner = means[2].map((a, d) => -0.5 * a + 1.5 * means[5][d]);
    await page.waitForFunction((want) => { const z = JSON.parse((document.querySelector('#decoded') as HTMLCanvasElement).dataset.z!); return Math.abs(z[0] - want) < 1e-9; }, corner[0]);
    const there = await shown();
    expect(maxDiff(there.z, corner)).toBeLessThan(1e-5);
    expect(maxDiff(there.values, serverDecode(corner, 3))).toBeLessThan(1e-5);
    await page.screenshot({ path: join(SHOTS, 'latent-explorer.png'), fullPage: true });
    trained.dispose();
  });

  it.each([
    ['codebook', { kind: 'codebook' }],
    ['residual', { kind: 'residual', stages: 2 }],
    ['fsq', { kind: 'fsq', levels: [3, 3, 2] }],
  ])('VQ-VAE (%s): the code grid of a test image, edited by clicks, decodes as the model decodes it', async (kind, quantizer) => {
    const { model: trained } = variants['vq-vae'].create({ inputShape: [8, 8, 1], filters: [4, 8], kernelSize: 3, numEmbeddings: 5, embeddingDim: 3, seed: 7, quantizer });
    const model = trained as unknown as VqVae;
    const runId = await savedRun(trained, 'vq-vae');
    const serverDecode = (codes: number[][]) => values(tf.tidy(() => model.decodeCodes(tf.tensor3d([codes], undefined, 'int32'))));
    await openExplorer(runId);
    const shown = () => page.$eval('#decoded', (c) => ({ values: (c as Decoded).values, codes: JSON.parse(c.dataset.codes!) as number[][] }));
    const first = await shown();
    // Test image 0's code grid as the server's encoder gives it: 2×2 cells, one token per stage.
    const want = tf.tidy(() => model.encodeCodes(imageTensor(0))).arraySync()[0];
    expect(first.codes).toEqual(want);
    expect(first.codes[0]).toHaveLength(2 * model.quantizer.tokensPerCell);
    expect(maxDiff(first.values, serverDecode(first.codes))).toBeLessThan(1e-5);
    // Clicking a token cycles it to the next code; shift-click to the previous.
    await page.click('#code-grid button[data-cell="0,1"]');
    await page.click('#code-grid button[data-cell="1,0"]', { modifiers: ['Shift'] });
    const edited = want.map((row) => [...row]);
    edited[0][1] = (edited[0][1] + 1) % model.numEmbeddings;
    edited[1][0] = (edited[1][0] + model.numEmbeddings - 1) % model.numEmbeddings;
    await page.waitForFunction((codes) => (document.querySelector('#decoded') as HTMLCanvasElement).dataset.codes === codes, JSON.stringify(edited));
    const after = await shown();
    expect(maxDiff(after.values, first.values)).toBeGreaterThan(1e-4); // ten times the match tolerance below
    expect(maxDiff(after.values, serverDecode(edited))).toBeLessThan(1e-5);
    expect(await page.textContent('#code-grid button[data-cell="0,1"]')).toBe(String(edited[0][1]));
    await page.screenshot({ path: join(SHOTS, `vq-explorer-${kind}.png`), fullPage: true });
    trained.dispose();
  });

  it('serves a run that records no dataset without test images, and says so', async () => {
    const { model } = variants.vae.create({ latentDim: 2, inputShape: [8, 8, 1], seed: 3, architecture: { kind: 'mlp', hiddenUnits: [8] } });
    const runId = await savedRun(model, 'vae', null);
    model.dispose();
    const res = await fetch(new URL(`/api/runs/${runId}/explorer`, session.base));
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ kind: 'gaussian', latentDim: 2, klPerDimension: null, examples: [], examplesNote: 'the run records no dataset, so there are no test images to encode' });
    expect(body.decoder.map((t: { name: string }) => t.name).every((n: string) => n.startsWith('decoder/'))).toBe(true);
    await openExplorer(runId);
    expect(await page.textContent('#sliders')).toContain('dimensions in index order (no test images to measure KL on)');
    expect(await page.$('#plane')).toBeNull();
  });

  it('asked nothing of any origin but the dashboard', () => {
    expect(session.offsite).toEqual([]);
  });
});
