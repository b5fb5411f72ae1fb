// Conversions between JS values and portable SQL columns: NaN ⇄ NULL, JSON ⇄ text,
// nested params ⇄ dotted key/value rows, and a canonical hash of params.
import { createHash } from 'node:crypto';

export function toSqlNumber(value: number): number | null {
  return Number.isNaN(value) ? null : value;
}

export function fromSqlNumber(value: number | null): number {
  return value === null ? Number.NaN : value;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
  }
  return value;
}

export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonical(value));
}

export function hashOf(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 32);
}

/** {a: {b: 1}, c: 'x'} → [['a.b', 1], ['c', 'x']]; arrays stay whole values. */
export function flattenParams(params: Record<string, unknown>, prefix = ''): [string, unknown][] {
  return Object.entries(params).flatMap(([k, v]) => {
    const key = prefix ? `${prefix}.${k}` : k;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? flattenParams(v as Record<string, unknown>, key) : [[key, v] as [string, unknown]];
  });
}

export function parseJson<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}
