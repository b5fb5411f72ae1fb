import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';

export function tempDbPath(): string {
  return join(mkdtempSync(join(tmpdir(), 'vaelab-store-')), 'store.db');
}

export function tinyPng(shade = 128): Buffer {
  const png = new PNG({ width: 2, height: 2 });
  png.data.fill(shade);
  return PNG.sync.write(png);
}
