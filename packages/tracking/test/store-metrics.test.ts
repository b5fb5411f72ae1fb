// Metric series, images and checkpoints on both engines: idempotent upserts, NaN/±Inf, resume
// truncation, downsampling, incremental reads, bad input that writes nothing.
import { describe, expect, it } from 'vitest';
import { openStore, type Store } from '@vaelab/tracking';
import { engines } from './engines.js';
import { tinyPng } from './helpers.js';

describe.each(engines())('$name store: metrics, images, checkpoints', (engine) => {
  const fresh = async (): Promise<Store> => openStore(await engine.fresh());

  it('re-logging the same (run, key, step) replaces, never duplicates, and keeps summaries exact', async () => {
    const store = await fresh();
    const { lease, id } = await store.createRun({ params: { lr: 0.1 } });
    await store.logMetrics(lease, [{ key: 'loss', step: 0, value: 5 }, { key: 'loss', step: 1, value: 1 }, { key: 'loss', step: 2, value: 3 }]);
    await store.logMetrics(lease, [{ key: 'loss', step: 1, value: 4 }, { key: 'loss', step: 2, value: 3 }]);
    expect((await store.metricSeries(id, 'loss')).map((p) => [p.step, p.value, p.attempt])).toEqual([[0, 5, 1], [1, 4, 1], [2, 3, 1]]);
    expect(await store.metricSummaries(id)).toEqual([{ key: 'loss', lastStep: 2, last: 3, min: 3, max: 5, count: 3, minStep: 2, maxStep: 0 }]);
    await store.logMetrics(lease, [{ key: 'loss', step: 3, value: 0.5 }, { key: 'loss', step: 3, value: 0.25 }, { key: 'kl', step: 3, value: 2 }]);
    expect(await store.metricSummaries(id)).toEqual([
      { key: 'kl', lastStep: 3, last: 2, min: 2, max: 2, count: 1, minStep: 3, maxStep: 3 },
      { key: 'loss', lastStep: 3, last: 0.25, min: 0.25, max: 5, count: 4, minStep: 3, maxStep: 0 },
    ]);
    expect((await store.metricSeries(id, 'loss', { afterStep: 1 })).map((p) => p.step)).toEqual([2, 3]);
    await store.close();
  });

  it('keeps NaN and ±Infinity as such', async () => {
    const store = await fresh();
    const { lease, id } = await store.createRun({ params: {} });
    await store.logMetrics(lease, [{ key: 'x', step: 0, value: Number.NaN }, { key: 'x', step: 1, value: Infinity }, { key: 'x', step: 2, value: -Infinity }, { key: 'x', step: 3, value: 2 }]);
    expect((await store.metricSeries(id, 'x')).map((p) => p.value)).toEqual([Number.NaN, Infinity, -Infinity, 2]);
    expect((await store.metricSummaries(id))[0]).toMatchObject({ min: -Infinity, max: Infinity, last: 2, count: 4, minStep: 2, maxStep: 1 });
    await store.logMetrics(lease, [{ key: 'y', step: 5, value: Number.NaN }]);
    expect((await store.metricSummaries(id))[1]).toMatchObject({ key: 'y', min: Number.NaN, minStep: null, maxStep: null });
    await store.close();
  });

  it('after a resume from step S, later points and images are dropped and replaced cleanly', async () => {
    const store = await fresh();
    const { lease, id } = await store.createRun({ params: {} });
    await store.logMetrics(lease, Array.from({ length: 10 }, (_, s) => ({ key: 'loss', step: s, value: 100 - s })));
    await store.logMetrics(lease, [{ key: 'late', step: 8, value: 1 }]);
    await store.logImages(lease, [{ key: 'samples', step: 8, index: 0, png: tinyPng() }]);
    expect(await store.truncateAfter(lease, 5)).toBe(5);
    expect(await store.listImages(id)).toEqual([]);
    expect(await store.metricSummaries(id)).toEqual([{ key: 'loss', lastStep: 5, last: 95, min: 95, max: 100, count: 6, minStep: 5, maxStep: 0 }]);
    await store.logMetrics(lease, [6, 7].map((s) => ({ key: 'loss', step: s, value: 50 })));
    expect((await store.metricSeries(id, 'loss')).map((p) => p.value)).toEqual([100, 99, 98, 97, 96, 95, 50, 50]);
    await store.close();
  });

  it('downsampling keeps each bucket’s extremes', async () => {
    const store = await fresh();
    const { lease, id } = await store.createRun({ params: {} });
    await store.logMetrics(lease, Array.from({ length: 1000 }, (_, s) => ({ key: 'loss', step: s, value: s === 517 ? 1e6 : s === 233 ? -1e6 : Math.sin(s) })));
    const down = await store.metricSeries(id, 'loss', { maxPoints: 100 });
    expect(down.length).toBeLessThanOrEqual(100);
    expect(down.length).toBeGreaterThan(50);
    expect(down.find((p) => p.step === 517)?.value).toBe(1e6);
    expect(down.find((p) => p.step === 233)?.value).toBe(-1e6);
    expect(down.map((p) => p.step)).toEqual([...down.map((p) => p.step)].sort((a, b) => a - b));
    await store.close();
  });

  it('bad input names the field and writes nothing', async () => {
    const store = await fresh();
    const { lease, id } = await store.createRun({ params: {} });
    const good = { key: 'loss', step: 0, value: 1 };
    await expect(store.logMetrics({ runId: 'nope', attempt: 1 }, [good])).rejects.toThrow('unknown run id "nope"');
    await expect(store.logMetrics(lease, [good, { key: 'loss', step: Number.NaN, value: 1 }])).rejects.toThrow('metrics[1].step: expected a non-negative integer step, got NaN');
    await expect(store.logMetrics(lease, [good, { key: 'loss', step: 1.5, value: 1 }])).rejects.toThrow('metrics[1].step: expected a non-negative integer step, got 1.5');
    await expect(store.logMetrics(lease, [good, { key: 'loss', step: 2, value: '3' as never }])).rejects.toThrow('metrics[1].value: expected a number (NaN and ±Infinity are allowed), got "3"');
    await expect(store.logMetrics(lease, [{ key: '', step: 2, value: 3 }])).rejects.toThrow('metrics[0].key: expected a non-empty string');
    await expect(store.logMetrics(lease, [{ key: 'k'.repeat(201), step: 2, value: 3 }])).rejects.toThrow('metrics[0].key: expected a non-empty string of at most 200 characters');
    await expect(store.logMetrics(lease, [{ key: 'loss', step: 2, value: 3, wallMs: -5 }])).rejects.toThrow('metrics[0].wallMs: expected a non-negative integer (ms since the epoch), got -5');
    expect(await store.metricKeys(id)).toEqual([]);
    await expect(store.logImages(lease, [{ key: 's', step: 0, index: 0, png: Buffer.from('GIF89a not a png') }])).rejects.toThrow('images[0].png: not a PNG (bad signature)');
    const huge = Buffer.concat([tinyPng(), Buffer.alloc(9 * 1024 * 1024)]);
    await expect(store.logImages(lease, [{ key: 's', step: 0, index: 0, png: tinyPng() }, { key: 's', step: 0, index: 1, png: huge }]))
      .rejects.toThrow(/^images\[1\]\.png: image of \d+ bytes is over the 8388608-byte limit$/);
    expect(await store.listImages(id)).toEqual([]);
    await expect(store.createRun({ params: 'lr=1' as never })).rejects.toThrow('run.params: expected an object of parameters, got "lr=1"');
    await expect(store.metricSeries(id, 'loss', { maxPoints: 1 })).rejects.toThrow('maxPoints: expected an integer ≥ 2, got 1');
    await store.close();
  });

  it('round-trips PNG bytes by (run, key, step, index) and replaces on re-log', async () => {
    const store = await fresh();
    const { lease, id } = await store.createRun({ params: {} });
    await store.logImages(lease, [{ key: 'samples', step: 10, index: 0, png: tinyPng(10), caption: 'first' }]);
    await store.logImages(lease, [{ key: 'samples', step: 10, index: 0, png: tinyPng(200), caption: 'again' }]);
    expect(await store.listImages(id)).toEqual([{ runId: id, key: 'samples', step: 10, index: 0, caption: 'again', bytes: tinyPng(200).length }]);
    expect(Buffer.compare((await store.getImage(id, 'samples', 10))!, tinyPng(200))).toBe(0);
    expect(await store.getImage(id, 'samples', 11)).toBeNull();
    await store.close();
  });

  it('keeps the latest checkpoint in the store, with the attempt that wrote it', async () => {
    const store = await fresh();
    const { lease, id } = await store.createRun({ params: {} });
    expect(await store.latestCheckpoint(id)).toBeNull();
    const bytes = (n: number) => Buffer.alloc(3 * 1024 * 1024, n);
    await store.saveCheckpoint(lease, 100, bytes(1));
    await store.saveCheckpoint(lease, 200, bytes(2));
    const latest = (await store.latestCheckpoint(id))!;
    expect({ step: latest.step, attempt: latest.attempt, same: Buffer.compare(latest.data, bytes(2)) }).toEqual({ step: 200, attempt: 1, same: 0 });
    await expect(store.saveCheckpoint(lease, 300, new Uint8Array(0))).rejects.toThrow('checkpoint: expected non-empty bytes');
    await store.close();
  });
});
