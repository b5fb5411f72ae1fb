// Opens a store by its location: a postgres:// (or postgresql://) URL is the shared PostgreSQL
// store for many machines; anything else is the path of an embedded SQLite file.
import { isPostgresUrl } from './postgres/postgres-url.js';
import { SqlStore } from './sql/sql-store.js';
import { SqliteDialect } from './sqlite/sqlite-dialect.js';
import type { Store, StoreReader } from './store.js';

export interface OpenStoreOptions {
  /** Never write (read-only commands and the dashboard); a store that is not migrated yet is an error. */
  readonly?: boolean;
  /** Migrate only up to this version (tests of old schemas). */
  targetVersion?: number;
  /** SQLite: how long a writer waits for the lock (ms). */
  busyTimeoutMs?: number;
  /** PostgreSQL: connections per process. */
  poolSize?: number;
  /** The store's idea of now (ms since the epoch): tests of lease expiry move it by hand. */
  clock?: () => number;
}

export async function openStore(location: string, options: OpenStoreOptions & { readonly: true }): Promise<StoreReader>;
export async function openStore(location: string, options?: OpenStoreOptions): Promise<Store>;
export async function openStore(location: string, options: OpenStoreOptions = {}): Promise<Store> {
  if (typeof location !== 'string' || location.trim() === '') throw new Error('store: expected a file path or a postgres:// URL');
  // pg loads only for a PostgreSQL store: an embedded store's processes start without it.
  const dialect = isPostgresUrl(location)
    ? await (await import('./postgres/postgres-dialect.js')).PostgresDialect.open(location, options)
    : new SqliteDialect(location, options);
  const store = new SqlStore(dialect);
  if (options.clock) store.clock = options.clock;
  return store;
}

export { isPostgresUrl, maskPassword } from './postgres/postgres-url.js';
