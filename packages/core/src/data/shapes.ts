// A procedural dSprites-like set (Matthey et al. 2017): binary images of a square, ellipse or
// heart with known scale, rotation and x/y position, each drawn from a fixed grid of values,
// seeded, and returned with the ground-truth factor indices for disentanglement metrics.
import { createRng } from '../util/random.js';
import type { ImageDataset } from './dataset.js';

export const SHAPE_NAMES = ['square', 'ellipse', 'heart'] as const;
export const SHAPE_FACTOR_NAMES = ['shape', 'scale', 'rotation', 'posX', 'posY'] as const;

export interface ShapesOptions {
  count: number;
  /** Image side in pixels (dSprites uses 64). */
  size?: number;
  seed?: number;
  /** Number of distinct values per factor: [shape, scale, rotation, posX, posY]. */
  factorSizes?: [number, number, number, number, number];
}

export type ShapesDataset = ImageDataset & {
  /** Factor value indices, example-major: count × 5 (shape, scale, rotation, posX, posY). */
  factors: Int32Array;
  factorNames: readonly string[];
  factorSizes: number[];
};

/** Whether a dataset carries ground-truth factors (for disentanglement metrics). */
export function hasFactors(dataset: ImageDataset): dataset is ShapesDataset {
  return 'factors' in dataset && 'factorSizes' in dataset;
}

function inside(shape: number, u: number, v: number): boolean {
  if (shape === 0) return Math.abs(u) <= 0.8 && Math.abs(v) <= 0.8;
  if (shape === 1) return u * u + (v / 0.55) ** 2 <= 1;
  const x = u * 1.15;
  const y = -v * 1.15 + 0.25; // heart curve (x²+y²−1)³ − x²y³ ≤ 0, point down
  const a = x * x + y * y - 1;
  return a * a * a - x * x * y * y * y <= 0;
}

const lerpGrid = (i: number, n: number, lo: number, hi: number) => (n === 1 ? (lo + hi) / 2 : lo + ((hi - lo) * i) / (n - 1));

export function generateShapes(options: ShapesOptions): ShapesDataset {
  const size = options.size ?? 64;
  const sizes = options.factorSizes ?? [3, 6, 40, 32, 32];
  const rng = createRng(options.seed ?? 0);
  const { count } = options;
  const images = new Float32Array(count * size * size);
  const factors = new Int32Array(count * 5);
  const maxRadius = 0.2 * size;
  for (let n = 0; n < count; n++) {
    const f = sizes.map((k) => Math.floor(rng() * k));
    factors.set(f, n * 5);
    const radius = maxRadius * lerpGrid(f[1], sizes[1], 0.5, 1);
    const angle = (2 * Math.PI * f[2]) / sizes[2];
    const margin = maxRadius * 1.15;
    const cx = lerpGrid(f[3], sizes[3], margin, size - margin);
    const cy = lerpGrid(f[4], sizes[4], margin, size - margin);
    const cos = Math.cos(angle);
    const sin = Math.sin(angle);
    const reach = Math.ceil(radius * 1.5);
    for (let py = Math.max(0, Math.floor(cy - reach)); py < Math.min(size, Math.ceil(cy + reach)); py++) {
      for (let px = Math.max(0, Math.floor(cx - reach)); px < Math.min(size, Math.ceil(cx + reach)); px++) {
        const dx = (px + 0.5 - cx) / radius;
        const dy = (py + 0.5 - cy) / radius;
        if (inside(f[0], dx * cos + dy * sin, -dx * sin + dy * cos)) images[(n * size + py) * size + px] = 1;
      }
    }
  }
  const labels = Int32Array.from({ length: count }, (_, n) => factors[n * 5]);
  return {
    name: `shapes-${size}`, images, labels, inputShape: [size, size, 1], count, numClasses: sizes[0],
    factors, factorNames: SHAPE_FACTOR_NAMES, factorSizes: [...sizes],
  };
}
