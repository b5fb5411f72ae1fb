// The CLI at its edges: every option checked by name, stores that are folders, foreign files or
// read-only, read-only commands that never write beside the store, and seeds (0 included) that
// reproduce a sweep bit for bit.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, cli, dir, requireBuiltCli, withStore, writeSweep } from './cli-helpers.js';

beforeAll(requireBuiltCli);

const tinyVae = (name: string) => writeSweep(name, `
name: ${name}
variant: vae
dataset: { name: mnist, trainSize: 128, testSize: 64 }
base: { latentDim: 2, architecture: { kind: mlp, hiddenUnits: [16] } }
train: { batchSize: 64 }
budget: { epochs: 1 }
`);

describe('CLI options and stores', () => {
  it('bad options are one line naming the option, exit 2, and nothing is written', () => {
    const db = join(dir, 'opts', 'store.db');
    const cases: [string[], string][] = [
      [['sweep', tinyVae('o1'), '--parallel', 'abc', '--db', db], 'vaelab sweep: --parallel: expected an integer from 1 to 1024, got "abc"'],
      [['sweep', tinyVae('o2'), '--parallel', '0', '--db', db], 'vaelab sweep: --parallel: expected an integer from 1 to 1024, got "0"'],
      [['dashboard', '--port', 'abc', '--db', db], 'vaelab dashboard: --port: expected an integer from 0 to 65535, got "abc"'],
      [['dashboard', '--port', '70000', '--db', db], 'vaelab dashboard: --port: expected an integer from 0 to 65535, got "70000"'],
      [['export', 'x', '--format', 'xml', '--db', db], 'vaelab export: --format: expected md, csv or json, got "xml"'],
      [['ls', '--port', '1', '--db', db], 'vaelab ls: --port is not an option of ls (it goes with dashboard)'],
      [['ls', '--colour', '--db', db], "vaelab: Unknown option '--colour'."],
      [['resume', 'x', '--max-retries=-1', '--db', db], 'vaelab resume: --max-retries: expected an integer from 0 to 1000, got "-1"'],
      [['resume', 'x', '--max-retries', '--db', db], "vaelab: Option '--max-retries' argument is ambiguous."],
      [['nonsense'], 'vaelab: unknown command "nonsense"'],
    ];
    for (const [args, message] of cases) {
      const { status, output } = cli(args);
      expect(status, output).toBe(2);
      expect(output.split('\n')[0]).toBe(message);
      expect(output).not.toMatch(/\n\s+at /); // no stack trace
    }
    expect(existsSync(join(dir, 'opts'))).toBe(false);
  });

  it('a folder, a file that is not a store, and a read-only store are named with what was expected', () => {
    const folder = join(dir, 'a-folder');
    mkdirSync(folder);
    expect(cli(['ls', '--db', folder]).output).toContain(`vaelab ls: ${folder}: is a folder; expected a store file (e.g. ${folder}/vaelab.db)`);
    const notes = join(dir, 'notes.db');
    writeFileSync(notes, 'not a database, only text that is long enough to look like a header or two');
    expect(cli(['ls', '--db', notes]).output).toContain(`vaelab ls: ${notes}: not a VAE Lab store (SQLite says: file is not a database)`);
    expect(cli(['sweep', tinyVae('nd'), '--db', notes]).output).toContain(`vaelab sweep: ${notes}: not a VAE Lab store`);
  });

  it('read-only commands leave nothing beside the store and work on a store they cannot write', () => {
    const db = join(dir, 'ro', 'store.db');
    expect(cli(['sweep', tinyVae('ro'), '--db', db]).status).toBe(0);
    const files = () => readdirSync(join(dir, 'ro')).sort();
    expect(files()).toEqual(['store.db']);
    const runId = JSON.parse(spawnSync(process.execPath, ['-e', `
      import('@vaelab/tracking').then(async ({ openStore }) => {
        const s = await openStore(${JSON.stringify(db)}, { readonly: true });
        console.log(JSON.stringify((await s.sweepTrials((await s.getSweep('ro')).id))[0].id)); await s.close();
      })`], { cwd: join(import.meta.dirname, '..'), encoding: 'utf8' }).stdout);
    for (const args of [['ls'], ['ls', 'ro'], ['show', runId], ['export', 'ro', '--format', 'json', '--out', join(dir, 'ro.json')]]) {
      const { status, output } = cli([...args, '--db', db]);
      expect(status, output).toBe(0);
      expect(files()).toEqual(['store.db']);
    }
    // A store this user may read but not write: a file owned by someone else (as root: another user runs the CLI).
    const ro = join(dir, 'ro-mount');
    mkdirSync(ro);
    copyFileSync(db, join(ro, 'store.db'));
    chmodSync(join(ro, 'store.db'), 0o444);
    chmodSync(ro, 0o555);
    chmodSync(dir, 0o755);
    const asOther = (args: string[]) => {
      const argv = [process.execPath, CLI, ...args, '--db', join(ro, 'store.db')];
      const run = userInfo().uid === 0 ? spawnSync('runuser', ['-u', 'nobody', '--', ...argv], { encoding: 'utf8' }) : spawnSync(argv[0], argv.slice(1), { encoding: 'utf8' });
      return { status: run.status, output: `${run.stdout}${run.stderr}` };
    };
    const listed = asOther(['ls', 'ro']);
    expect(listed.status, listed.output).toBe(0);
    expect(listed.output).toContain('ro#0');
    expect(readdirSync(ro)).toEqual(['store.db']);
    const written = asOther(['sweep', tinyVae('ro2')]);
    expect(written.status).toBe(1);
    expect(written.output).toContain(`${join(ro, 'store.db')}: the store cannot be written`);
  });

  it('every seed, 0 included, reproduces a sweep bit for bit: metric series and image bytes, for each variant', async () => {
    const text = (name: string) => `
name: ${name}
dataset: { name: mnist, trainSize: 192, testSize: 64 }
train: { batchSize: 64 }
budget: { epochs: 2 }
seeds: [0, 7]
parallel: 2
variants:
  - variant: vae
    base: { latentDim: 3, architecture: { kind: mlp, hiddenUnits: [16] } }
  - variant: beta-vae
    base: { latentDim: 3, architecture: { kind: mlp, hiddenUnits: [16] } }
  - variant: cvae
    base: { latentDim: 3, architecture: { kind: mlp, hiddenUnits: [16] } }
  - variant: vq-vae
    base: { filters: [4, 8], numEmbeddings: 8, embeddingDim: 2 }
    prior: { epochs: 1, hiddenUnits: 4 }
`;
    const results = [];
    for (const copy of ['a', 'b']) {
      const db = join(dir, `seeds-${copy}.db`);
      const run = cli(['sweep', writeSweep(`seeds-${copy}`, text('seeds')), '--db', db]);
      expect(run.status, run.output).toBe(0);
      results.push(await withStore(db, async (store) => {
        const out: Record<string, unknown> = {};
        for (const r of await store.sweepTrials((await store.getSweep('seeds')).id)) {
          for (const key of await store.metricKeys(r.id)) {
            if (key === 'epoch/samplesPerSec') continue; // wall-clock speed, the one thing allowed to differ
            out[`${r.name} ${key}`] = (await store.metricSeries(r.id, key)).map((p) => [p.step, p.value]);
          }
          for (const img of await store.listImages(r.id)) out[`${r.name} ${img.key}@${img.step}`] = (await store.getImage(r.id, img.key, img.step))!.toString('base64');
        }
        return out;
      }));
    }
    expect(Object.keys(results[0]).filter((k) => k.includes('samples')).length).toBeGreaterThanOrEqual(6);
    for (const key of Object.keys(results[0])) expect(results[1][key], key).toEqual(results[0][key]);
    expect(Object.keys(results[1]).sort()).toEqual(Object.keys(results[0]).sort());
  });
});
