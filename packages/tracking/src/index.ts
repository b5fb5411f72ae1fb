// @vaelab/tracking: the SQLite experiment store (no tfjs dependency).
export * from './types.js';
export * from './store.js';
export * from './queries.js';
export * from './export.js';
export { migrations, LATEST_SCHEMA_VERSION } from './schema.js';
export { openDatabase, schemaVersion, type OpenOptions } from './db.js';
export type { SweepInput, SweepRecord } from './sweeps.js';
export type { SeriesPoint } from './metrics.js';
export { hashOf, canonicalJson, flattenParams } from './codec.js';
