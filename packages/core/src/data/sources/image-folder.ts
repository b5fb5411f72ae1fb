// A folder of PNG/JPEG files as one dataset (torchvision's ImageFolder convention: with
// sub-folders, each is a class named by the folder, in sorted order). Decoded with pngjs and
// jpeg-js straight into one Float32Array, grey or RGB, centre-cropped to the target aspect and
// resized bilinearly when a size is given.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { decode as decodeJpeg } from 'jpeg-js';
import { PNG } from 'pngjs';
import type { ImageDataset } from '../dataset.js';

export interface ImageFolderOptions {
  /** Target [height, width]; without it every image must have the same size. */
  size?: [number, number];
  channels?: 1 | 3;
  name?: string;
}

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg']);

interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array;
}

function imagesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && IMAGE_EXTENSIONS.has(extname(e.name).toLowerCase()))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

function decodeImage(file: string): RgbaImage {
  const bytes = readFileSync(file);
  try {
    if (extname(file).toLowerCase() === '.png') return PNG.sync.read(bytes);
    return decodeJpeg(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 1024 });
  } catch (error) {
    throw new Error(`${file}: not a readable ${extname(file).slice(1).toUpperCase()} image (${(error as Error).message})`);
  }
}

/** Writes `img` as `channels` floats per pixel into out (at offset), cropped and resized to h × w. */
function writePixels(img: RgbaImage, h: number, w: number, channels: 1 | 3, out: Float32Array, offset: number): void {
  if (img.width === w && img.height === h) {
    for (let p = 0; p < w * h; p++) {
      const [r, g, b] = [img.data[p * 4], img.data[p * 4 + 1], img.data[p * 4 + 2]];
      if (channels === 3) out.set([r / 255, g / 255, b / 255], offset + p * 3);
      else out[offset + p] = (0.299 * r + 0.587 * g + 0.114 * b) / 255;
    }
    return;
  }
  // Centre crop to the target aspect ratio, then bilinear sampling at pixel centres.
  const scale = Math.min(img.width / w, img.height / h);
  const x0 = (img.width - w * scale) / 2;
  const y0 = (img.height - h * scale) / 2;
  const at = (x: number, y: number, c: number) => img.data[(y * img.width + x) * 4 + c];
  for (let i = 0; i < h; i++) {
    const sy = Math.min(img.height - 1, Math.max(0, y0 + (i + 0.5) * scale - 0.5));
    const ya = Math.floor(sy);
    const yb = Math.min(img.height - 1, ya + 1);
    const fy = sy - ya;
    for (let j = 0; j < w; j++) {
      const sx = Math.min(img.width - 1, Math.max(0, x0 + (j + 0.5) * scale - 0.5));
      const xa = Math.floor(sx);
      const xb = Math.min(img.width - 1, xa + 1);
      const fx = sx - xa;
      const rgb = [0, 1, 2].map((c) => (at(xa, ya, c) * (1 - fx) + at(xb, ya, c) * fx) * (1 - fy) + (at(xa, yb, c) * (1 - fx) + at(xb, yb, c) * fx) * fy);
      const k = offset + (i * w + j) * channels;
      if (channels === 3) for (let c = 0; c < 3; c++) out[k + c] = rgb[c] / 255;
      else out[k] = (0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]) / 255;
    }
  }
}

export function loadImageFolder(dir: string, options: ImageFolderOptions = {}): ImageDataset {
  let entries;
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a folder');
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    throw new Error(`${dir}: cannot read the image folder (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const classNames = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const files: { path: string; label: number }[] = classNames.length > 0
    ? classNames.flatMap((name, label) => imagesUnder(join(dir, name)).map((path) => ({ path, label })))
    : imagesUnder(dir).map((path) => ({ path, label: -1 }));
  if (files.length === 0) throw new Error(`${dir}: no .png, .jpg or .jpeg images${classNames.length > 0 ? ` in its class folders (${classNames.join(', ')})` : ''}`);
  const channels = options.channels ?? 1;
  const first = decodeImage(files[0].path);
  const [h, w] = options.size ?? [first.height, first.width];
  const size = h * w * channels;
  const images = new Float32Array(files.length * size);
  files.forEach((file, n) => {
    const img = n === 0 ? first : decodeImage(file.path);
    if (options.size == null && (img.width !== w || img.height !== h)) {
      throw new Error(`${file.path}: is ${img.width}×${img.height} but ${relative(dir, files[0].path)} is ${w}×${h}; set dataset.size to resize them all`);
    }
    writePixels(img, h, w, channels, images, n * size);
  });
  return {
    name: options.name ?? dir, images, count: files.length, inputShape: [h, w, channels],
    labels: classNames.length > 0 ? Int32Array.from(files, (f) => f.label) : new Int32Array(0),
    numClasses: classNames.length,
    ...(classNames.length > 0 ? { classNames } : {}),
  };
}
