// Tiles images into one PNG (rows × columns, padded, optionally upscaled) for samples,
// reconstructions and traversals that people would rather look at than read.
import * as tf from '@tensorflow/tfjs-core';
import { PNG } from 'pngjs';

export interface GridOptions {
  columns: number;
  padding?: number;
  /** Integer nearest-neighbour upscaling, so 28×28 digits are legible. */
  scale?: number;
}

/** Images are `count` × [h, w, c] floats in [0, 1] (c = 1 or 3), example-major. */
export function imageGridPng(images: Float32Array, shape: [number, number, number], options: GridOptions): Buffer {
  const [h, w, c] = shape;
  if (c !== 1 && c !== 3) throw new Error(`image grid needs 1 or 3 channels, got ${c}`);
  const count = images.length / (h * w * c);
  if (!Number.isInteger(count)) throw new Error(`image data length ${images.length} is not a multiple of ${h}x${w}x${c}`);
  const pad = options.padding ?? 2;
  const scale = options.scale ?? 1;
  const columns = Math.max(1, Math.min(options.columns, count));
  const rows = Math.max(1, Math.ceil(count / columns));
  const cellW = w * scale;
  const cellH = h * scale;
  const png = new PNG({ width: columns * (cellW + pad) + pad, height: rows * (cellH + pad) + pad });
  png.data.fill(64);
  for (let i = 0; i < png.data.length; i += 4) png.data[i + 3] = 255;
  for (let n = 0; n < count; n++) {
    const x0 = pad + (n % columns) * (cellW + pad);
    const y0 = pad + Math.floor(n / columns) * (cellH + pad);
    for (let y = 0; y < cellH; y++) {
      for (let x = 0; x < cellW; x++) {
        const src = ((n * h + Math.floor(y / scale)) * w + Math.floor(x / scale)) * c;
        const dst = ((y0 + y) * png.width + x0 + x) * 4;
        for (let k = 0; k < 3; k++) {
          const v = images[src + (c === 1 ? 0 : k)];
          png.data[dst + k] = Math.round(Math.min(1, Math.max(0, v)) * 255);
        }
      }
    }
  }
  return PNG.sync.write(png);
}

/** Encodes a [N, H, W, C] tensor (values in [0, 1]) as a grid PNG. */
export async function tensorGridPng(images: tf.Tensor4D, options: GridOptions): Promise<Buffer> {
  const [, h, w, c] = images.shape;
  return imageGridPng((await images.data()) as Float32Array, [h, w, c], options);
}
