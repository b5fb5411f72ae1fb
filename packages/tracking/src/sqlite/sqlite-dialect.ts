// The SQLite engine (better-sqlite3): WAL (checked, not assumed), synchronous=NORMAL, a busy
// timeout, foreign keys, every write transaction IMMEDIATE, migrations in user_version.
// Opening errors name the file and say what was expected there.
import { accessSync, constants, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { StoreFullError, StoreNotReadyError, StoreOpenError } from '../errors.js';
import type { Dialect, MetricRow, SqlArg, SqlConnection } from '../sql/dialect.js';
import { Serial } from '../sql/serial.js';
import { LATEST_SCHEMA_VERSION, migrations } from './sqlite-schema.js';

export interface SqliteOpenOptions {
  /** Milliseconds a writer waits for the lock before failing. */
  busyTimeoutMs?: number;
  /** Migrate only up to this version (tests of old schemas). */
  targetVersion?: number;
  readonly?: boolean;
}

type Db = Database.Database;
type Statement = Database.Statement;

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** SQLite's own error, as one line that names the store and what went wrong. */
function translate(error: unknown, path: string): Error {
  const code = (error as { code?: string }).code ?? '';
  const message = (error as Error).message;
  if (code === 'SQLITE_FULL') return new StoreFullError(`${path}: the disk is full (SQLite could not write the store)`);
  if (code === 'SQLITE_NOTADB') return new StoreOpenError(`${path}: not a VAE Lab store (SQLite says: ${message}); expected a store file written by vaelab`);
  if (code.startsWith('SQLITE_READONLY')) {
    return new StoreOpenError(`${path}: the store cannot be written (${message}); check the permissions of the file and its folder, or use a read-only command`);
  }
  if (code.startsWith('SQLITE_CANTOPEN')) return new StoreOpenError(`${path}: cannot open the store file (${message})`);
  return error instanceof Error ? error : new Error(String(error));
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function migrate(db: Db, target: number): void {
  for (const migration of migrations) {
    if (migration.version > target) break;
    if (schemaVersion(db) >= migration.version) continue;
    if (migration.rebuildsTables) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        // Re-read inside the lock: another process may have migrated meanwhile.
        if (schemaVersion(db) >= migration.version) return;
        db.exec(migration.sql);
        db.pragma(`user_version = ${migration.version}`);
      }).immediate();
    } finally {
      if (migration.rebuildsTables) db.pragma('foreign_keys = ON');
    }
  }
}

/**
 * A read-only store whose folder we cannot write and that no writer has open (no -shm file):
 * SQLite cannot open a WAL database there, so read a snapshot of it into memory instead.
 */
function openSnapshot(path: string): Db {
  const bytes = readFileSync(path);
  if (bytes.length >= 20 && bytes[18] === 2) bytes[18] = bytes[19] = 1; // WAL → rollback journal header
  return new Database(bytes, { readonly: true });
}

function openFile(path: string, options: SqliteOpenOptions): { db: Db; note: string } {
  if (existsSync(path) && statSync(path).isDirectory()) throw new StoreOpenError(`${path}: is a folder; expected a store file (e.g. ${path}/vaelab.db)`);
  const readonly = options.readonly ?? false;
  if (readonly && !existsSync(path)) throw new StoreOpenError(`${path}: no store here yet (run a sweep first, or pass --db)`);
  if (!readonly) mkdirSync(dirname(resolve(path)), { recursive: true });
  const timeout = options.busyTimeoutMs ?? 30_000;
  // A read-only command on a writable store opens it normally (SQLite then removes its -wal and
  // -shm files on close) and simply never writes.
  if (!readonly || (writable(path) && writable(dirname(resolve(path))))) return { db: new Database(path, { timeout }), note: '' };
  if (!existsSync(`${path}-shm`) && !writable(dirname(resolve(path)))) return { db: openSnapshot(path), note: ' (read-only snapshot)' };
  return { db: new Database(path, { timeout, readonly: true }), note: '' };
}

export class SqliteDialect implements Dialect {
  readonly engine = 'sqlite' as const;
  readonly least = 'min';
  readonly greatest = 'max';
  orderedConcat(expr: string, separator: string, orderBy: string): string {
    return `group_concat(${expr}, ${separator} ORDER BY ${orderBy})`;
  }

  skipLocked(): string {
    return ''; // one writer at a time: the IMMEDIATE transaction holds the whole store
  }

  readonly lockRow = '';
  readonly readonly: boolean;
  readonly location: string;
  private readonly db: Db;
  private readonly serial = new Serial();
  private readonly statements = new Map<string, Statement>();

  constructor(readonly path: string, options: SqliteOpenOptions = {}) {
    this.readonly = options.readonly ?? false;
    let opened: { db: Db; note: string };
    try {
      opened = openFile(path, options);
    } catch (error) {
      throw translate(error, path);
    }
    this.db = opened.db;
    this.location = `${path}${opened.note}`;
    try {
      this.prepareConnection(options);
    } catch (error) {
      this.db.close();
      throw translate(error, path);
    }
  }

  private prepareConnection(options: SqliteOpenOptions): void {
    const current = schemaVersion(this.db);
    if (current > LATEST_SCHEMA_VERSION) {
      throw new StoreOpenError(`${this.path}: store schema version ${current} is newer than this @vaelab/tracking supports (${LATEST_SCHEMA_VERSION}); upgrade @vaelab/tracking to open it`);
    }
    if (this.readonly) {
      // A read-only open cannot migrate: a store still being created (version 0) has no tables yet.
      if (current < LATEST_SCHEMA_VERSION) {
        throw new StoreNotReadyError(current === 0
          ? `${this.path}: the store is still being created (no schema yet); try again in a moment`
          : `${this.path}: store schema version ${current} is older than ${LATEST_SCHEMA_VERSION}; run a command that writes (vaelab sweep or resume) once to migrate it`);
      }
      return;
    }
    const mode = this.db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw new StoreOpenError(`${this.path}: could not switch the store to WAL mode (journal_mode is ${String(mode)})`);
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    migrate(this.db, options.targetVersion ?? LATEST_SCHEMA_VERSION);
  }

  private statement(sql: string): Statement {
    let stmt = this.statements.get(sql);
    if (stmt == null) {
      stmt = this.db.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  private exec<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      throw translate(error, this.path);
    }
  }

  private direct(): SqlConnection {
    const args = (a: SqlArg[]) => a.map((v) => (typeof v === 'boolean' ? Number(v) : v));
    return {
      all: async <T>(sql: string, a: SqlArg[] = []) => this.exec(() => this.statement(sql).all(...args(a)) as T[]),
      get: async <T>(sql: string, a: SqlArg[] = []) => this.exec(() => this.statement(sql).get(...args(a)) as T | undefined),
      run: async (sql: string, a: SqlArg[] = []) => this.exec(() => this.statement(sql).run(...args(a)).changes),
    };
  }

  all<T>(sql: string, args?: SqlArg[]): Promise<T[]> {
    return this.serial.run(() => this.direct().all<T>(sql, args));
  }

  get<T>(sql: string, args?: SqlArg[]): Promise<T | undefined> {
    return this.serial.run(() => this.direct().get<T>(sql, args));
  }

  run(sql: string, args?: SqlArg[]): Promise<number> {
    return this.serial.run(() => this.direct().run(sql, args));
  }

  write<T>(fn: (tx: SqlConnection) => Promise<T>): Promise<T> {
    return this.serial.run(async () => {
      // IMMEDIATE: a deferred read-then-write transaction fails at once under WAL contention.
      this.exec(() => this.db.exec('BEGIN IMMEDIATE'));
      try {
        const result = await fn(this.direct());
        this.exec(() => this.db.exec('COMMIT'));
        return result;
      } catch (error) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw error;
      }
    });
  }

  async upsertMetrics(_tx: SqlConnection, runId: string, attempt: number, rows: MetricRow[]): Promise<void> {
    const upsert = this.statement(
      `INSERT INTO metrics (run_id, key, step, value, wall_ms, attempt) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (run_id, key, step) DO UPDATE SET value = excluded.value, wall_ms = excluded.wall_ms, attempt = excluded.attempt`);
    this.exec(() => {
      for (const r of rows) upsert.run(runId, r.key, r.step, r.value, r.wallMs, attempt);
    });
  }

  readCheckpointFile(path: string): Buffer | null {
    const full = isAbsolute(path) ? path : resolve(dirname(resolve(this.path)), path);
    try {
      return readFileSync(full);
    } catch {
      return null;
    }
  }

  async close(): Promise<void> {
    await this.serial.run(() => {
      // Lets SQLite refresh planner statistics for tables that changed a lot.
      if (!this.readonly) this.exec(() => this.db.pragma('optimize'));
      this.db.close();
    });
  }

  async info(): Promise<Record<string, string | number>> {
    return this.serial.run(() => {
      const pragma = (name: string) => this.db.pragma(name, { simple: true }) as string | number;
      return {
        engine: 'sqlite', sqlite: this.db.prepare('SELECT sqlite_version() AS v').pluck().get() as string, schemaVersion: pragma('user_version'),
        journalMode: pragma('journal_mode'), synchronous: pragma('synchronous'), foreignKeys: pragma('foreign_keys'),
        busyTimeoutMs: pragma('busy_timeout'), integrity: pragma('quick_check'),
      };
    });
  }
}
