// Running the built CLI as users do, and watching a store while it runs: helpers for the
// end-to-end sweep tests. Every wait is on a condition, never on a guess of how long things take.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { openStore, type Store, type StoreReader } from '@vaelab/tracking';

export const CLI = join(import.meta.dirname, '../dist/cli.js');
export const dir = mkdtempSync(join(tmpdir(), 'vaelab-sweep-'));

export function requireBuiltCli(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (the README test command does)`);
}

export function cli(args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 400_000, env: { ...process.env, ...env } });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

export function writeSweep(name: string, text: string): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, text);
  return file;
}

/** Starts the CLI in its own process group (so a test can signal the whole group, as a terminal does). */
export function startDetached(args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess & { output(): string } {
  const child = spawn(process.execPath, [CLI, ...args], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  return Object.assign(child, { output: () => output });
}

export function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode != null || child.signalCode != null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

export async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 240_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Opens the store once the sweep has created it and registered the named sweep. */
export async function watchSweep(location: string, name: string): Promise<StoreReader> {
  let watcher: StoreReader | null = null;
  await waitFor(async () => {
    try {
      watcher ??= await openStore(location, { readonly: true });
      await watcher.getSweep(name);
      return true;
    } catch (error) {
      if (!/still being created|unknown sweep|no store here yet|older than/.test((error as Error).message)) throw error;
      return false;
    }
  }, `sweep "${name}" in ${location}`);
  return watcher!;
}

export async function withStore<T>(location: string, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(location);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** Every step 0..steps-1 logged exactly once for `key`. */
export async function expectCompleteSeries(store: StoreReader, runId: string, key: string, steps: number): Promise<void> {
  const points = await store.metricSeries(runId, key);
  expect(points.map((p) => p.step)).toEqual(Array.from({ length: steps }, (_, i) => i));
}

/** The pids of the worker processes (children of `parent`). */
export function childPids(parent: number): number[] {
  const out = spawnSync('pgrep', ['-P', String(parent)], { encoding: 'utf8' }).stdout.trim();
  return out === '' ? [] : out.split('\n').map(Number);
}
