// Multi-threaded WASM under Node, in child processes (a process's thread count is fixed when
// its backend starts): it really runs 2 threads, trains to the same numbers as 1 thread, and
// its pthread workers do not keep the process alive once training is done.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('./fixtures/train-steps.mjs', import.meta.url));
const built = existsSync(fileURLToPath(new URL('../dist/index.js', import.meta.url)));

interface Trained { threads: number; description: string; losses: number[]; checksum: number }

function train(threads: number, env: Record<string, string> = {}): Trained {
  const run = spawnSync(process.execPath, [script], { env: { ...process.env, ...env, VAELAB_WASM_THREADS: String(threads) }, encoding: 'utf8', timeout: 60_000 });
  expect(run.error, 'the child must exit on its own (pthread workers unref-ed)').toBeUndefined();
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout.trim().split('\n').pop()!);
}

describe.skipIf(!built)('wasm with XNNPACK threads (needs the built package: pnpm build)', () => {
  it('runs 2 threads and trains to the same losses and weights as 1 thread', () => {
    const one = train(1);
    const two = train(2);
    expect(one.threads).toBe(1);
    expect(two.threads).toBe(2);
    expect(two.losses.length).toBe(6);
    two.losses.forEach((loss, i) => expect(Math.abs(loss - one.losses[i]) / Math.abs(one.losses[i]), `step ${i}`).toBeLessThan(1e-5));
    expect(Math.abs(two.checksum - one.checksum) / one.checksum).toBeLessThan(1e-5);
    expect(two.description).toMatch(/^backend: wasm \(2 threads\)/);
  });

  it('falls back to one thread, saying why, when the threaded build cannot start (no writable temp dir)', () => {
    const one = train(1);
    const fallback = train(2, { TMPDIR: '/nonexistent-vaelab-tmp' });
    expect(fallback.threads).toBe(1);
    expect(fallback.description).toMatch(/^backend: wasm \(1 thread; WASM threads unavailable \(ENOENT.+\)\)$/);
    expect(fallback.losses).toEqual(one.losses);
  });
});
