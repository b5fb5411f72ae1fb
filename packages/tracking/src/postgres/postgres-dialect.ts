// The PostgreSQL engine (node-postgres): a small pool per process, write transactions on one
// client, claims with FOR UPDATE SKIP LOCKED, batched multi-row upserts. Connection problems
// become one clear error naming the URL with its password masked.
import { createHash } from 'node:crypto';
import pg from 'pg';
import { StoreFullError, StoreNotReadyError, StoreOpenError } from '../errors.js';
import type { Dialect, MetricRow, SqlArg, SqlConnection } from '../sql/dialect.js';
import { POSTGRES_SCHEMA_VERSION, postgresMigrations } from './postgres-schema.js';
import { maskPassword } from './postgres-url.js';

export interface PostgresOpenOptions {
  readonly?: boolean;
  /** Migrate only up to this version (tests of old schemas). */
  targetVersion?: number;
  /** Connections per process (default 4). */
  poolSize?: number;
}

/** `?` placeholders → `$1, $2, …` (our SQL has no other question marks). */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

function connectError(error: unknown, masked: string): Error {
  const e = error as { code?: string; message?: string };
  const detail = e.message ?? String(error);
  const where = `PostgreSQL at ${masked}`;
  switch (e.code) {
    case 'ECONNREFUSED': return new StoreOpenError(`cannot reach ${where}: connection refused (is the server running and listening there?)`);
    case 'ENOTFOUND': case 'EAI_AGAIN': return new StoreOpenError(`cannot reach ${where}: host not found`);
    case 'ETIMEDOUT': return new StoreOpenError(`cannot reach ${where}: connection timed out`);
    case '28P01': case '28000': return new StoreOpenError(`${where}: authentication failed (${detail}); check the user and password in the URL`);
    case '3D000': return new StoreOpenError(`${where}: ${detail}; create it first (createdb, or CREATE DATABASE)`);
    default:
      if (/timeout/i.test(detail)) return new StoreOpenError(`cannot reach ${where}: connection timed out`);
      return new StoreOpenError(`${where}: the server did not answer as PostgreSQL (${detail})`);
  }
}

function queryError(error: unknown, masked: string): Error {
  const code = (error as { code?: string }).code;
  if (code === '53100') return new StoreFullError(`PostgreSQL at ${masked}: the disk is full (${(error as Error).message})`);
  return error instanceof Error ? error : new Error(String(error));
}

// Serialization failure, deadlock, and a session the server ended while idle in a transaction
// (the client was paused): our write transactions are idempotent, so they are run again.
const RETRYABLE = new Set(['40001', '40P01', '25P03', '57P01']);

function retryable(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return RETRYABLE.has(e.code ?? '') || /Connection terminated|terminating connection/i.test(e.message ?? '');
}

/**
 * Our statements as named prepared statements: the server parses and plans each once per
 * connection instead of on every batch (planning the summary statement cost as much as running it).
 */
function prepared(sql: string, args: SqlArg[]): pg.QueryConfig {
  return { name: `v${createHash('sha1').update(sql).digest('hex').slice(0, 16)}`, text: numbered(sql), values: args };
}

function connection(query: (config: pg.QueryConfig) => Promise<pg.QueryResult>): SqlConnection {
  return {
    all: async <T>(sql: string, args: SqlArg[] = []) => (await query(prepared(sql, args))).rows as T[],
    get: async <T>(sql: string, args: SqlArg[] = []) => (await query(prepared(sql, args))).rows[0] as T | undefined,
    run: async (sql: string, args: SqlArg[] = []) => (await query(prepared(sql, args))).rowCount ?? 0,
  };
}

// bigint columns (ms timestamps, counts, steps) come back as JS numbers: they fit in 2^53.
const types = {
  getTypeParser(oid: number, format?: string) {
    if (oid === 20) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

export class PostgresDialect implements Dialect {
  readonly engine = 'postgres' as const;
  readonly least = 'LEAST';
  readonly greatest = 'GREATEST';
  orderedConcat(expr: string, separator: string, orderBy: string): string {
    return `string_agg(${expr}, ${separator} ORDER BY ${orderBy})`;
  }

  skipLocked(table?: string): string {
    return `FOR UPDATE${table ? ` OF ${table}` : ''} SKIP LOCKED`;
  }

  readonly lockRow = 'FOR SHARE OF r';
  readonly location: string;
  readonly readonly: boolean;
  private readonly pool: pg.Pool;
  private readonly direct: SqlConnection;

  private constructor(url: string, options: PostgresOpenOptions) {
    this.location = maskPassword(url);
    this.readonly = options.readonly ?? false;
    this.pool = new pg.Pool({
      connectionString: url, max: options.poolSize ?? 4, connectionTimeoutMillis: 10_000, types,
      // A paused client (SIGSTOP, a debugger) inside a transaction would hold its row locks for
      // ever; the server ends such a session after 30 s (our transactions take milliseconds).
      options: `-c idle_in_transaction_session_timeout=30000${this.readonly ? ' -c default_transaction_read_only=on' : ''}`,
    });
    // A connection the server ends (an idle client, or a paused one in a transaction) emits an
    // error event; its next query fails with it instead, and write() then runs on a new client.
    this.pool.on('error', () => {});
    this.pool.on('connect', (client) => client.on('error', () => {}));
    this.direct = connection(async (config) => {
      try {
        return await this.pool.query(config);
      } catch (error) {
        throw queryError(error, this.location);
      }
    });
  }

  static async open(url: string, options: PostgresOpenOptions = {}): Promise<PostgresDialect> {
    try {
      new URL(url);
    } catch {
      throw new StoreOpenError(`not a valid PostgreSQL URL: ${maskPassword(url)} (expected postgres://user:password@host:port/database)`);
    }
    const dialect = new PostgresDialect(url, options);
    try {
      const client = await dialect.pool.connect().catch((error) => { throw connectError(error, dialect.location); });
      try {
        await dialect.prepareSchema(client, options);
      } finally {
        client.release();
      }
      return dialect;
    } catch (error) {
      await dialect.pool.end();
      throw error;
    }
  }

  private async prepareSchema(client: pg.PoolClient, options: PostgresOpenOptions): Promise<void> {
    const current = async () => {
      const exists = await client.query("SELECT to_regclass('vaelab_schema') AS t");
      if (exists.rows[0].t == null) return 0;
      return Number((await client.query('SELECT max(version) AS v FROM vaelab_schema')).rows[0].v ?? 0);
    };
    const version = await current();
    if (version > POSTGRES_SCHEMA_VERSION) {
      throw new StoreOpenError(`${this.location}: store schema version ${version} is newer than this @vaelab/tracking supports (${POSTGRES_SCHEMA_VERSION}); upgrade @vaelab/tracking to open it`);
    }
    const target = options.targetVersion ?? POSTGRES_SCHEMA_VERSION;
    if (version >= target) return;
    if (this.readonly) {
      throw new StoreNotReadyError(`${this.location}: store schema version ${version} is older than ${POSTGRES_SCHEMA_VERSION}; run a command that writes (vaelab sweep or resume) once to migrate it`);
    }
    await client.query('BEGIN');
    try {
      // One migrator at a time across every machine; the others wait, then see it done.
      await client.query("SELECT pg_advisory_xact_lock(hashtext('vaelab_schema'))");
      await client.query('CREATE TABLE IF NOT EXISTS vaelab_schema (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)');
      const now = await current();
      for (const migration of postgresMigrations) {
        if (migration.version <= now || migration.version > target) continue;
        await client.query(migration.sql);
        await client.query('INSERT INTO vaelab_schema (version, applied_at) VALUES ($1, $2)', [migration.version, Date.now()]);
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
  }

  all<T>(sql: string, args?: SqlArg[]): Promise<T[]> {
    return this.direct.all<T>(sql, args);
  }

  get<T>(sql: string, args?: SqlArg[]): Promise<T | undefined> {
    return this.direct.get<T>(sql, args);
  }

  run(sql: string, args?: SqlArg[]): Promise<number> {
    return this.direct.run(sql, args);
  }

  private statsCheckedAt = 0;

  /**
   * Refreshes planner statistics of tables that changed a lot since their last ANALYZE (checked
   * at most every 20 s per process). A store fills faster than autovacuum wakes: with statistics
   * from when a table was empty, the runs-table query planned nested loops and took a minute.
   */
  private async refreshStatistics(): Promise<void> {
    if (Date.now() - this.statsCheckedAt < 20_000) return;
    this.statsCheckedAt = Date.now();
    const stale = await this.direct.all<{ relname: string }>(
      `SELECT relname FROM pg_stat_user_tables WHERE relname IN ('runs', 'run_params', 'metric_summary', 'sweeps')
         AND n_mod_since_analyze > 500 + 0.2 * n_live_tup`);
    for (const { relname } of stale) await this.pool.query(`ANALYZE ${relname}`);
  }

  async write<T>(fn: (tx: SqlConnection) => Promise<T>): Promise<T> {
    const result = await this.writeOnce(fn);
    await this.refreshStatistics().catch(() => {}); // statistics are an optimisation: never fail a write for them
    return result;
  }

  private async writeOnce<T>(fn: (tx: SqlConnection) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect().catch((error) => { throw connectError(error, this.location); });
      let broken = false;
      try {
        await client.query('BEGIN');
        const result = await fn(connection((config) => client.query(config)));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => { broken = true; });
        if (attempt < 5 && retryable(error)) continue;
        throw queryError(error, this.location);
      } finally {
        client.release(broken); // a connection the server ended is dropped, not pooled
      }
    }
  }

  async upsertMetrics(tx: SqlConnection, runId: string, attempt: number, rows: MetricRow[], overwrites: boolean): Promise<void> {
    await tx.run(
      `INSERT INTO metrics (run_id, key, step, value, wall_ms, attempt)
       SELECT ?, t.key, t.step, t.value, t.wall_ms, ? FROM unnest(?::text[], ?::bigint[], ?::float8[], ?::bigint[]) AS t(key, step, value, wall_ms)
       ${overwrites ? 'ON CONFLICT (run_id, key, step) DO UPDATE SET value = excluded.value, wall_ms = excluded.wall_ms, attempt = excluded.attempt' : ''}`,
      [runId, attempt, rows.map((r) => r.key), rows.map((r) => r.step), rows.map((r) => r.value), rows.map((r) => r.wallMs)] as unknown as SqlArg[]);
  }

  async info(): Promise<Record<string, string | number>> {
    const server = await this.get<{ server_version: string }>('SHOW server_version');
    const isolation = await this.get<{ default_transaction_isolation: string }>('SHOW default_transaction_isolation');
    const schema = await this.get<{ v: number | null }>('SELECT max(version) AS v FROM vaelab_schema');
    return {
      engine: 'postgres', postgres: server?.server_version ?? '', schemaVersion: Number(schema?.v ?? 0),
      isolation: isolation?.default_transaction_isolation ?? '',
    };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
