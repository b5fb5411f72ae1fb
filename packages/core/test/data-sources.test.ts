// Bring-your-own-data loaders against small files written here: image folders (PNG and JPEG,
// grey and RGB, labels from sub-folders, resizing), .npy/.npz arrays, CSV tables and IDX pairs,
// the seeded split and train-only standardisation, and every bad input named by file (and line).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { columnStats, loadCsvTable, loadIdxPair, loadImageFolder, loadNpyDataset, splitDataset, standardize } from '@vaelab/core';
import { idxBytes, jpegBytes, npyBytes, npzBytes, pngBytes, writeFile } from '@vaelab/core/testing';

const root = mkdtempSync(join(tmpdir(), 'vaelab-data-'));
const at = (...parts: string[]) => join(root, ...parts);

describe('image folders', () => {
  it('read PNG and JPEG, label by sorted sub-folder, grey by luma or RGB', () => {
    const red = (): [number, number, number] => [255, 0, 0];
    const ramp = (x: number): [number, number, number] => [x * 64, x * 64, x * 64];
    writeFile(at('imgs', 'b-ramp', '1.png'), pngBytes(4, 2, ramp));
    writeFile(at('imgs', 'a-red', '1.png'), pngBytes(4, 2, red));
    writeFile(at('imgs', 'a-red', '2.jpg'), jpegBytes(4, 2, red));
    writeFile(at('imgs', 'a-red', 'notes.txt'), 'not an image, skipped');
    const grey = loadImageFolder(at('imgs'));
    expect(grey.classNames).toEqual(['a-red', 'b-ramp']);
    expect([...grey.labels]).toEqual([0, 0, 1]);
    expect(grey.inputShape).toEqual([2, 4, 1]);
    expect(grey.images[0]).toBeCloseTo(0.299, 5); // luma of pure red
    expect(grey.images[8]).toBeCloseTo(0.299, 1); // the JPEG, within compression error
    expect([...grey.images.subarray(16, 20)].map((v) => Math.round(v * 255))).toEqual([0, 64, 128, 192]);
    const rgb = loadImageFolder(at('imgs'), { channels: 3 });
    expect(rgb.inputShape).toEqual([2, 4, 3]);
    expect([...rgb.images.subarray(0, 3)]).toEqual([1, 0, 0]);
  });

  it('centre-crop and resize to a given size; without one, mixed sizes are refused naming the file', () => {
    // 8×4: left half black, right half white; cropping to square keeps the middle 4×4.
    writeFile(at('mixed', 'wide.png'), pngBytes(8, 4, (x) => (x < 4 ? [0, 0, 0] : [255, 255, 255])));
    writeFile(at('mixed', 'small.png'), pngBytes(2, 2, () => [255, 255, 255]));
    expect(() => loadImageFolder(at('mixed'))).toThrow(`${at('mixed', 'wide.png')}: is 8×4 but small.png is 2×2; set dataset.size`);
    const resized = loadImageFolder(at('mixed'), { size: [2, 2] });
    expect(resized.count).toBe(2);
    expect([...resized.images.subarray(4, 8)]).toEqual([0, 1, 0, 1]); // wide.png: black | white
    expect([...resized.images.subarray(0, 4)]).toEqual([1, 1, 1, 1]);
  });

  it('name a missing folder, an empty one, and a corrupt image', () => {
    expect(() => loadImageFolder(at('nope'))).toThrow(`${at('nope')}: cannot read the image folder (ENOENT)`);
    mkdirSync(at('empty', 'cats'), { recursive: true });
    expect(() => loadImageFolder(at('empty'))).toThrow(`${at('empty')}: no .png, .jpg or .jpeg images in its class folders (cats)`);
    writeFile(at('corrupt', 'ok.png'), pngBytes(2, 2, () => [0, 0, 0]));
    writeFile(at('corrupt', 'zbad.png'), 'this is not a png');
    expect(() => loadImageFolder(at('corrupt'))).toThrow(`${at('corrupt', 'zbad.png')}: not a readable PNG image`);
  });
});

describe('NumPy arrays', () => {
  it('read float32 and uint8 images, float64 tables and int64 labels, from .npy and .npz', () => {
    const u8 = writeFile(at('u8.npy'), npyBytes('|u1', [2, 2, 2], Uint8Array.from([0, 255, 51, 102, 0, 0, 0, 255])));
    const labels = writeFile(at('y.npy'), npyBytes('<i8', [2], BigInt64Array.from([3n, 1n])));
    const images = loadNpyDataset(u8, { labels });
    expect(images.inputShape).toEqual([2, 2, 1]);
    expect([...images.images.subarray(0, 4)]).toEqual([0, 1, 0.2, 0.4].map(Math.fround));
    expect([...images.labels]).toEqual([3, 1]);
    expect(images.numClasses).toBe(4);
    const rgb = loadNpyDataset(writeFile(at('rgb.npy'), npyBytes('<f4', [1, 1, 2, 3], Float32Array.from([0, 0.5, 1, 1, 0.5, 0]))));
    expect(rgb.inputShape).toEqual([1, 2, 3]);
    const npz = writeFile(at('table.npz'), npzBytes({
      x: npyBytes('<f8', [3, 2], Float64Array.from([1, -2, 3, 4, 5, 600])), y: npyBytes('<i4', [3], Int32Array.from([0, 1, 0])),
    }));
    const table = loadNpyDataset(npz, { labels: 'y' });
    expect(table.inputShape).toEqual([1, 2, 1]);
    expect([...table.images]).toEqual([1, -2, 3, 4, 5, 600]);
    expect(table.columns).toEqual(['x0', 'x1']);
    expect([...table.labels]).toEqual([0, 1, 0]);
  });

  it('refuse an unsupported dtype or rank, Fortran order, images outside [0, 1], and labels that do not fit', () => {
    const bad = (name: string, bytes: Uint8Array) => writeFile(at(name), bytes);
    expect(() => loadNpyDataset(bad('c.npy', npyBytes('<c8', [1, 2], new Float32Array(4))))).toThrow('c.npy: dtype <c8 is not supported; expected little-endian float32/float64');
    expect(() => loadNpyDataset(bad('big.npy', npyBytes('>f4', [1, 2], new Float32Array(2))))).toThrow('big.npy: dtype >f4 is not supported');
    expect(() => loadNpyDataset(bad('r5.npy', npyBytes('<f4', [1, 1, 1, 1, 1], new Float32Array(1))))).toThrow('r5.npy: shape (1, 1, 1, 1, 1) is not (n, features), (n, h, w) or (n, h, w, 1|3)');
    expect(() => loadNpyDataset(bad('f.npy', npyBytes('<f4', [2, 2], new Float32Array(4), true)))).toThrow('f.npy: Fortran-ordered array');
    expect(() => loadNpyDataset(bad('255.npy', npyBytes('<f4', [1, 1, 2], Float32Array.from([0, 255]))))).toThrow('255.npy: f4 image values span [0, 255]; expected [0, 1]');
    expect(() => loadNpyDataset(bad('txt.npy', new TextEncoder().encode('hello')))).toThrow('txt.npy: not a NumPy .npy file');
    const x = bad('x2.npy', npyBytes('<f4', [2, 3], new Float32Array(6)));
    expect(() => loadNpyDataset(x, { labels: bad('y3.npy', npyBytes('<i4', [3], new Int32Array(3))) })).toThrow(`${at('y3.npy')}: labels have shape (3,); expected (2,), one per example`);
    expect(() => loadNpyDataset(x, { labels: bad('yneg.npy', npyBytes('<i4', [2], Int32Array.from([0, -1]))) })).toThrow('label -1 at index 1 is not a class number');
    expect(() => loadNpyDataset(at('missing.npy'))).toThrow(`${at('missing.npy')}: cannot read (ENOENT)`);
  });
});

describe('CSV tables', () => {
  it('read numeric columns with or without a label column; string labels become sorted classes', () => {
    const path = writeFile(at('t.csv'), 'a,b,kind\n1,2,dog\n3,4.5,cat\n\n-1,0,dog\n');
    const t = loadCsvTable(path, { labelColumn: 'kind' });
    expect(t.columns).toEqual(['a', 'b']);
    expect(t.inputShape).toEqual([1, 2, 1]);
    expect([...t.images]).toEqual([1, 2, 3, 4.5, -1, 0]);
    expect(t.classNames).toEqual(['cat', 'dog']);
    expect([...t.labels]).toEqual([1, 0, 1]);
    const plain = loadCsvTable(writeFile(at('p.csv'), 'x,y\n1,2\n3,4\n'));
    expect(plain.labels).toHaveLength(0);
    expect(plain.count).toBe(2);
  });

  it('name the line and column of a non-numeric cell, a ragged row, a missing header or label column', () => {
    expect(() => loadCsvTable(writeFile(at('nn.csv'), 'a,b\n1,2\n3,abc\n'))).toThrow('nn.csv: line 3, column "b": "abc" is not a number');
    expect(() => loadCsvTable(writeFile(at('rag.csv'), 'a,b\n1,2\n3\n'))).toThrow('rag.csv: line 3 has 1 cells; the header has 2');
    expect(() => loadCsvTable(writeFile(at('nh.csv'), '1,2\n3,4\n'))).toThrow('nh.csv: the first row (1, 2…) is numbers; expected a header row');
    expect(() => loadCsvTable(writeFile(at('nl.csv'), 'a,b\n1,2\n'), { labelColumn: 'y' })).toThrow('nl.csv: no column "y" for labelColumn; columns are a, b');
    expect(() => loadCsvTable(writeFile(at('e.csv'), ''))).toThrow('e.csv: empty');
  });
});

describe('IDX pairs, splits and standardisation', () => {
  it('read an IDX pair of any size and refuse a count mismatch', () => {
    const images = writeFile(at('i-idx3'), idxBytes([3, 2, 2], Uint8Array.from({ length: 12 }, (_, i) => i * 20)));
    const labels = writeFile(at('l-idx1'), idxBytes([3], Uint8Array.from([4, 0, 2])));
    const d = loadIdxPair(images, labels);
    expect(d.inputShape).toEqual([2, 2, 1]);
    expect([...d.labels]).toEqual([4, 0, 2]);
    expect(d.images[11]).toBeCloseTo(220 / 255, 6);
    const short = writeFile(at('s-idx1'), idxBytes([2], Uint8Array.from([1, 2])));
    expect(() => loadIdxPair(images, short)).toThrow(`${short}: has 2 labels but ${images} has 3 images`);
  });

  it('split by seed (reproducibly, disjointly) and refuse a test split under 2 examples', () => {
    const data = loadCsvTable(writeFile(at('s.csv'), `v\n${Array.from({ length: 20 }, (_, i) => i).join('\n')}\n`));
    const a = splitDataset(data, 0.25, 7);
    const b = splitDataset(data, 0.25, 7);
    expect([...a.test.images]).toEqual([...b.test.images]);
    expect(a.test.count).toBe(5);
    expect(new Set([...a.train.images, ...a.test.images]).size).toBe(20);
    expect([...splitDataset(data, 0.25, 8).test.images]).not.toEqual([...a.test.images]);
    expect(() => splitDataset(data, 0.01, 0)).toThrow('a test fraction of 0.01 of 20 examples gives 0 test and 20 training examples; each needs at least 2');
  });

  it('standardise with the training split\'s statistics only', () => {
    const train = loadCsvTable(writeFile(at('tr.csv'), 'a,b\n0,5\n2,5\n4,5\n'));
    const test = loadCsvTable(writeFile(at('te.csv'), 'a,b\n100,6\n'));
    const stats = columnStats(train);
    expect(stats.mean).toEqual([2, 5]);
    expect(stats.std[0]).toBeCloseTo(Math.sqrt(8 / 3), 10);
    expect(stats.std[1]).toBe(1); // a constant column is shifted, not divided by zero
    expect([...standardize(test, stats).images][0]).toBeCloseTo(98 / Math.sqrt(8 / 3), 4);
    expect([...standardize(test, stats).images][1]).toBe(1);
  });
});
