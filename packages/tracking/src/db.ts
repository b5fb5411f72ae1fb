// Opens a store file: WAL (checked, not assumed), synchronous=NORMAL, busy timeout, foreign
// keys, then applies pending migrations in one IMMEDIATE transaction each.
import Database from 'better-sqlite3';
import { LATEST_SCHEMA_VERSION, migrations } from './schema.js';

export type Db = Database.Database;

export interface OpenOptions {
  /** Milliseconds a writer waits for the lock before failing. */
  busyTimeoutMs?: number;
  /** Migrate only up to this version (tests of old schemas). */
  targetVersion?: number;
  readonly?: boolean;
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function openDatabase(path: string, options: OpenOptions = {}): Db {
  const db = new Database(path, { timeout: options.busyTimeoutMs ?? 30_000, readonly: options.readonly ?? false });
  try {
    const current = schemaVersion(db);
    if (current > LATEST_SCHEMA_VERSION) {
      throw new Error(`${path}: store schema version ${current} is newer than this @vaelab/tracking supports (${LATEST_SCHEMA_VERSION}); upgrade @vaelab/tracking to open it`);
    }
    if (!options.readonly) {
      const mode = db.pragma('journal_mode = WAL', { simple: true });
      if (mode !== 'wal') throw new Error(`${path}: could not switch the store to WAL mode (journal_mode is ${String(mode)})`);
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    if (!options.readonly) migrate(db, options.targetVersion ?? LATEST_SCHEMA_VERSION);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function migrate(db: Db, target: number): void {
  for (const migration of migrations) {
    if (migration.version > target) break;
    db.transaction(() => {
      // Re-read inside the lock: another process may have migrated meanwhile.
      if (schemaVersion(db) >= migration.version) return;
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
}
