// What the shared SQL store needs from an engine: statements with `?` placeholders, write
// transactions, and the few fragments where SQLite and PostgreSQL spell things differently.

export type SqlArg = string | number | bigint | boolean | null | Buffer | Uint8Array;

export interface SqlConnection {
  all<T>(sql: string, args?: SqlArg[]): Promise<T[]>;
  get<T>(sql: string, args?: SqlArg[]): Promise<T | undefined>;
  /** Returns the number of rows changed. */
  run(sql: string, args?: SqlArg[]): Promise<number>;
}

export interface MetricRow {
  key: string;
  step: number;
  /** null encodes NaN. */
  value: number | null;
  wallMs: number;
}

export interface Dialect extends SqlConnection {
  readonly engine: 'sqlite' | 'postgres';
  readonly location: string;
  readonly readonly: boolean;
  /** Runs `fn` in one write transaction (IMMEDIATE on SQLite); all or nothing. */
  write<T>(fn: (tx: SqlConnection) => Promise<T>): Promise<T>;
  /**
   * Writes metric rows of one run keyed by (run, key, step), inside `tx`; `overwrites` says some
   * may exist already (else a plain insert, which PostgreSQL does much faster than an upsert).
   */
  upsertMetrics(tx: SqlConnection, runId: string, attempt: number, rows: MetricRow[], overwrites: boolean): Promise<void>;
  /** Two-argument minimum/maximum that propagate NULL like the SQL standard's CASE would. */
  readonly least: string;
  readonly greatest: string;
  /** An aggregate joining `expr` of a group's rows with `separator`, in `orderBy` order. */
  orderedConcat(expr: string, separator: string, orderBy: string): string;
  /**
   * Appended to a SELECT of rows to update: locks them, skipping rows another transaction holds
   * (of one table of a join when named), so a claim or a reap never waits on a busy (or paused) worker.
   */
  skipLocked(table?: string): string;
  /** Appended to the lease check: locks the run's row until commit (SQLite's write lock covers it already). */
  readonly lockRow: string;
  /** A checkpoint row's file path (old SQLite stores) resolved to bytes, when it has no data. */
  readCheckpointFile?(path: string): Buffer | null;
  /** Engine settings worth checking (journal mode, versions…), for diagnostics and tests. */
  info(): Promise<Record<string, string | number>>;
  close(): Promise<void>;
}
