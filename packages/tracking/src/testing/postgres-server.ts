// A throwaway PostgreSQL server for tests and benchmarks: initdb into a temporary folder, start
// it on 127.0.0.1 with a free port (as the postgres user when we are root: the server refuses to
// run as root), hand out one database per caller, and stop and remove it afterwards.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** Plain data (it crosses from a test runner's global setup into test files). */
export interface TestPostgresInfo {
  /** postgres://… of the superuser (for creating databases). */
  adminUrl: string;
  /** The role that owns the databases, and its password (for bad-password tests). */
  user: { name: string; password: string };
  port: number;
}

export interface TestPostgres extends TestPostgresInfo {
  /** A fresh, empty database owned by the password-protected role; returns its URL. */
  createDatabase(name?: string): Promise<string>;
  stop(): Promise<void>;
}

/** Runs fn with one connected client on url, and ends the client however fn ends. */
export async function withPgClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const adminQuery = (adminUrl: string, sql: string) => withPgClient(adminUrl, async (client) => void (await client.query(sql)));

let databases = 0;

/** A fresh database on a running test server, owned by its role; returns the role's URL for it. */
export async function createTestDatabase(server: TestPostgresInfo, name = `vaelab_test_${process.pid}_${++databases}`): Promise<string> {
  await adminQuery(server.adminUrl, `CREATE DATABASE ${name} OWNER ${server.user.name}`);
  return `postgres://${server.user.name}:${server.user.password}@127.0.0.1:${server.port}/${name}`;
}

/** The folder with initdb and pg_ctl: VAELAB_PG_BIN, else the newest /usr/lib/postgresql/<v>/bin. */
export function postgresBinDir(): string | null {
  const fromEnv = process.env.VAELAB_PG_BIN;
  if (fromEnv) return existsSync(join(fromEnv, 'initdb')) ? fromEnv : null;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? join(root, versions[0], 'bin') : null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface StartOptions {
  /** fsync on (as in production) for benchmarks; off by default, which tests do not need. */
  durable?: boolean;
}

export async function startTestPostgres(options: StartOptions = {}): Promise<TestPostgres> {
  const bin = postgresBinDir();
  if (bin == null) throw new Error('no PostgreSQL server binaries (apt-get install postgresql, or set VAELAB_PG_BIN to the folder with initdb and pg_ctl)');
  const dir = mkdtempSync('/tmp/vaelab-pg-');
  const asRoot = userInfo().uid === 0;
  const run = (tool: string, args: string[]) => {
    const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]] : [join(bin, tool), args];
    execFileSync(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  };
  const superPassword = 'vaelab-admin';
  writeFileSync(join(dir, 'pw'), superPassword);
  if (asRoot) {
    const ids = execFileSync('id', ['-u', 'postgres']).toString().trim();
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, Number(ids), gid);
    chownSync(join(dir, 'pw'), Number(ids), gid);
  }
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256', `--pwfile=${join(dir, 'pw')}`, '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  const settings = [`-p ${port}`, `-k ${dir}`, '-c listen_addresses=127.0.0.1', '-c max_connections=200', ...(options.durable ? [] : ['-c fsync=off', '-c synchronous_commit=off'])];
  run('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60', '-o', settings.join(' '), 'start']);
  const adminUrl = `postgres://postgres:${superPassword}@127.0.0.1:${port}/postgres`;
  const user = { name: 'vaelab', password: 'vaelab-secret' };
  await adminQuery(adminUrl, `CREATE ROLE ${user.name} LOGIN PASSWORD '${user.password}'`);
  const info: TestPostgresInfo = { adminUrl, user, port };
  return {
    ...info,
    createDatabase: (name?: string) => createTestDatabase(info, name),
    async stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * A test runner's global setup (vitest): starts one server for the run and provides its
 * TestPostgresInfo as "postgres" (null, with a message, where no server binaries exist).
 */
export async function postgresGlobalSetup(project: { provide(key: string, value: unknown): void }): Promise<(() => Promise<void>) | undefined> {
  if (postgresBinDir() == null) {
    console.warn('SKIPPED PostgreSQL store tests: no PostgreSQL server binaries (apt-get install postgresql, or set VAELAB_PG_BIN)');
    project.provide('postgres', null);
    return undefined;
  }
  const server = await startTestPostgres();
  project.provide('postgres', { adminUrl: server.adminUrl, user: server.user, port: server.port } satisfies TestPostgresInfo);
  return () => server.stop();
}

export interface StoreEngine {
  name: 'sqlite' | 'postgres';
  /** Where a fresh, empty store lives: a new SQLite file, or a new database on the test server. */
  fresh(): Promise<string>;
}

/** The engines a conformance test runs against: SQLite always, PostgreSQL when a test server runs. */
export function storeEngines(server: TestPostgresInfo | null): StoreEngine[] {
  const sqlite: StoreEngine = { name: 'sqlite', fresh: async () => join(mkdtempSync(join(tmpdir(), 'vaelab-store-')), 'store.db') };
  return server == null ? [sqlite] : [sqlite, { name: 'postgres', fresh: () => createTestDatabase(server) }];
}
