// The packages as users get them: packed with pnpm, installed with npm into scratch projects
// outside this repository. Their declarations type-check with skipLibCheck off and nodenext
// resolution; each package's README example runs as written beside only the packages it needs.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const PACKAGES = ['core', 'tracking', 'beta-vae', 'cvae', 'vq-vae'];
const work = mkdtempSync(join(tmpdir(), 'vaelab-outside-'));
const tarballs = join(work, 'tarballs');
const tarball = (name: string) => join(tarballs, readdirSync(tarballs).find((f) => f.startsWith(`vaelab-${name}-`))!);

/** A user's shell: without the npm_config_* settings pnpm exports to the scripts it runs. */
const userEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_config_/i.test(key)));

function run(cmd: string, args: string[], cwd: string): string {
  const result = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 600_000, env: userEnv });
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} in ${cwd} exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
  return `${result.stdout}${result.stderr}`;
}

/**
 * better-sqlite3's native module: npm builds it from source here (no prebuilt download), which
 * takes minutes on this machine; the workspace's build of the same version is the same file.
 */
function provideSqliteBinding(dir: string): void {
  const installed = join(dir, 'node_modules', 'better-sqlite3');
  const version = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')).version as string;
  const built = join(ROOT, 'node_modules', '.pnpm', `better-sqlite3@${version}`, 'node_modules', 'better-sqlite3', 'build');
  if (existsSync(join(built, 'Release', 'better_sqlite3.node'))) cpSync(built, join(installed, 'build'), { recursive: true });
  else run('npm', ['rebuild', 'better-sqlite3'], dir);
}

function project(name: string, deps: string[]): string {
  const dir = join(work, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true, type: 'module' }));
  // Optional backends (tfjs-node) would try to download libtensorflow; a user without them skips them too.
  run('npm', ['install', '--no-audit', '--no-fund', '--omit=optional', '--loglevel=error', '--ignore-scripts', ...deps], dir);
  if (existsSync(join(dir, 'node_modules', 'better-sqlite3'))) provideSqliteBinding(dir);
  return dir;
}

/** The first ```js block of a package's README: its runnable example. */
function readmeExample(pkg: string): string {
  const readme = readFileSync(join(ROOT, 'packages', pkg, 'README.md'), 'utf8');
  const block = /```js\n([\s\S]*?)```/.exec(readme);
  if (block == null) throw new Error(`packages/${pkg}/README.md has no js example`);
  return block[1];
}

beforeAll(() => {
  mkdirSync(tarballs);
  for (const pkg of PACKAGES) run('npx', ['--yes', 'pnpm@10.34.8', 'pack', '--pack-destination', tarballs], join(ROOT, 'packages', pkg));
}, 300_000);

describe('the packages outside this repository', () => {
  it('ship their README and licence, and type-check with skipLibCheck off and nodenext resolution', () => {
    for (const pkg of PACKAGES) {
      const files = execFileSync('tar', ['-tzf', tarball(pkg)], { encoding: 'utf8' }).split('\n');
      expect(files, pkg).toEqual(expect.arrayContaining(['package/README.md', 'package/LICENSE', 'package/dist/index.d.ts']));
    }
    const dir = project('typecheck', [...PACKAGES.map(tarball), 'typescript@5.9', '@types/node@20']);
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: false, noEmit: true, types: ['node'] },
      files: ['index.ts'],
    }));
    writeFileSync(join(dir, 'index.ts'), `
import { createVae, parseTrainConfig, tf, Trainer, useBackend, type TrainableModel } from '@vaelab/core';
import { createBetaVae } from '@vaelab/beta-vae';
import { createCvae } from '@vaelab/cvae';
import { createVqVae } from '@vaelab/vq-vae';
import { openStore, type Store } from '@vaelab/tracking';
await useBackend('cpu');
const models: TrainableModel[] = [createVae({}), createBetaVae({}), createCvae({}), createVqVae({})];
const trainer = new Trainer(models[0], parseTrainConfig({ steps: 1 }));
const store: Store = await openStore('x.db');
const t: tf.Tensor = tf.zeros([1]);
console.log(models.length, trainer.position.step, store.engine, t.shape);
`);
    const tsc = join(dir, 'node_modules', 'typescript', 'bin', 'tsc');
    expect(run(process.execPath, [tsc, '-p', 'tsconfig.json'], dir)).toBe('');
  });

  it.each(PACKAGES)('%s: the README example runs as written, installed beside only what it needs', (pkg) => {
    const deps = pkg === 'tracking' ? [tarball('tracking')] : pkg === 'core' ? [tarball('core')] : [tarball('core'), tarball(pkg)];
    const dir = project(`example-${pkg}`, deps);
    writeFileSync(join(dir, 'example.mjs'), readmeExample(pkg));
    const output = run(process.execPath, ['example.mjs'], dir);
    expect(output).toMatch(pkg === 'tracking' ? /key: 'loss'/ : pkg === 'cvae' ? /wrote class-grid\.png/ : /after 20 steps|test MSE/);
    expect(output).not.toMatch(/Hi, looks like you are running TensorFlow\.js/);
  });
});
