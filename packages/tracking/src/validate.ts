// Input checks that name the offending field; run before any write so a bad batch writes nothing.
import { InvalidInputError } from './errors.js';

export function fail(field: string, expected: string, got: unknown): never {
  const shown = typeof got === 'number' ? String(got) : typeof got === 'string' ? JSON.stringify(got) : got === null ? 'null' : typeof got;
  throw new InvalidInputError(`${field}: expected ${expected}, got ${shown}`);
}

export function checkStep(field: string, step: unknown): number {
  if (typeof step !== 'number' || !Number.isInteger(step) || step < 0) fail(field, 'a non-negative integer step', step);
  return step;
}

export function checkKey(field: string, key: unknown): string {
  if (typeof key !== 'string' || key.length === 0 || key.length > 200) fail(field, 'a non-empty string of at most 200 characters', key);
  return checkString(field, key);
}

/** Metric values may be NaN or ±Inf (kept as such), but must be numbers. */
export function checkValue(field: string, value: unknown): number {
  if (typeof value !== 'number') fail(field, 'a number (NaN and ±Infinity are allowed)', value);
  return value;
}

/** Text as both engines store it: a string without NUL characters (PostgreSQL text cannot hold them). */
export function checkString(field: string, value: unknown): string {
  if (typeof value !== 'string') fail(field, 'a string', value);
  if (value.includes('\u0000')) throw new InvalidInputError(`${field}: expected text without NUL characters`);
  return value;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
export const MAX_IMAGE_BYTES = 8 * 1024 * 1024;

export function checkPng(field: string, png: unknown): Uint8Array {
  if (!(png instanceof Uint8Array)) fail(field, 'PNG bytes (Uint8Array or Buffer)', png);
  if (png.length > MAX_IMAGE_BYTES) throw new InvalidInputError(`${field}: image of ${png.length} bytes is over the ${MAX_IMAGE_BYTES}-byte limit`);
  if (png.length < 8 || PNG_SIGNATURE.some((b, i) => png[i] !== b)) throw new InvalidInputError(`${field}: not a PNG (bad signature)`);
  return png;
}
