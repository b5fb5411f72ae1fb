// @vaelab/tracking: the experiment store. One async interface (Store) with two engines: SQLite,
// embedded and the default, and PostgreSQL, shared by workers on many machines. No tfjs.
export * from './types.js';
export * from './errors.js';
export type {
  EndStatus, Environment, NewRun, RangeFilter, ReapedRun, ReapOptions, RequeueOptions, RunQuery, RunWithMetrics, SeedGroup, SeedGroupQuery, SeriesOptions, Store,
  StoreReader,
} from './store.js';
export { leaseOf } from './store.js';
export { isPostgresUrl, maskPassword, openStore, type OpenStoreOptions } from './open-store.js';
export { exportRunsCsv, exportRunsJson, type CsvExport, type ExportFormat } from './export.js';
export { isProcessAlive } from './process-alive.js';
export { workerHost } from './sql/sql-store.js';
export { MAX_FILTERS } from './sql/sql-run-query.js';
export { MAX_GROUP_PAGE } from './sql/sql-seed-groups.js';
export { canonicalJson, flattenParams, hashOf } from './codec.js';
export { LATEST_SCHEMA_VERSION } from './sqlite/sqlite-schema.js';
export { POSTGRES_SCHEMA_VERSION } from './postgres/postgres-schema.js';
