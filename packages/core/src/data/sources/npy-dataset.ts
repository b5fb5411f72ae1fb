// A dataset from a .npy file (with an optional labels .npy) or from two arrays of one .npz.
import type { ImageDataset } from '../dataset.js';
import { arraysToDataset } from './arrays.js';
import { type NpyArray, readNpyArrays } from './npy.js';

export interface NpyDatasetOptions {
  /** A .npy of labels, or (for a .npz) the name of its labels array. */
  labels?: string;
  /** For a .npz: the name of the examples array (default: the only array, or "x"). */
  key?: string;
  name?: string;
}

function pick(arrays: Record<string, NpyArray>, key: string | undefined, path: string, role: string): NpyArray {
  const names = Object.keys(arrays);
  const name = key ?? (names.length === 1 ? names[0] : names.find((n) => n === 'x' || n === 'images'));
  if (name == null || arrays[name] == null) throw new Error(`${path}: no array ${key ? `"${key}"` : 'to use'} for the ${role}; it holds ${names.join(', ')}${key ? '' : ' (set dataset.key)'}`);
  return arrays[name];
}

export function loadNpyDataset(path: string, options: NpyDatasetOptions = {}): ImageDataset {
  const arrays = readNpyArrays(path);
  const npz = path.toLowerCase().endsWith('.npz');
  const x = npz ? pick(arrays, options.key, path, 'examples') : arrays.arr_0;
  let y: NpyArray | undefined;
  if (options.labels != null) y = npz && !options.labels.includes('.') ? pick(arrays, options.labels, path, 'labels') : readNpyArrays(options.labels).arr_0;
  return arraysToDataset({ x, y }, options.name ?? path, path, options.labels != null && !npz ? options.labels : path);
}
