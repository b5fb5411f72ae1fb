// Opening stores on both engines: engine settings, schema refusal, read-only opens, and for
// SQLite the migrations from older schemas (with their summary backfill and old checkpoint paths).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION, maskPassword, openStore, POSTGRES_SCHEMA_VERSION, StoreNotReadyError } from '@vaelab/tracking';
import { withPgClient } from '@vaelab/tracking/testing';
import { engines } from './engines.js';
import { tempDbPath } from './helpers.js';

describe.each(engines())('$name store: opening', (engine) => {
  const latest = engine.name === 'sqlite' ? LATEST_SCHEMA_VERSION : POSTGRES_SCHEMA_VERSION;

  it('migrates a new store to the latest schema and reports its engine settings', async () => {
    const store = await openStore(await engine.fresh());
    const info = await store.engineInfo();
    expect(info).toMatchObject({ engine: engine.name, schemaVersion: latest });
    if (engine.name === 'sqlite') expect(info).toMatchObject({ journalMode: 'wal', synchronous: 1, foreignKeys: 1, busyTimeoutMs: 30_000, integrity: 'ok' });
    else expect(String(info.postgres)).toMatch(/^\d+/);
    await store.close();
  });

  it('refuses a store written by a newer schema', async () => {
    const location = await engine.fresh();
    await (await openStore(location)).close();
    if (engine.name === 'sqlite') {
      const db = new Database(location);
      db.pragma(`user_version = ${latest + 1}`);
      db.close();
    } else {
      await withPgClient(location, (c) => c.query('INSERT INTO vaelab_schema (version, applied_at) VALUES ($1, 0)', [latest + 1]));
    }
    const shown = engine.name === 'sqlite' ? location : maskPassword(location);
    await expect(openStore(location)).rejects.toThrow(
      `${shown}: store schema version ${latest + 1} is newer than this @vaelab/tracking supports (${latest}); upgrade @vaelab/tracking to open it`);
  });

  it('a read-only open of a store not created yet says so, and read-only stores refuse writes', async () => {
    const location = await engine.fresh();
    if (engine.name === 'sqlite') new Database(location).close();
    await expect(openStore(location, { readonly: true })).rejects.toThrow(StoreNotReadyError);
    await expect(openStore(location, { readonly: true })).rejects.toThrow(
      engine.name === 'sqlite' ? 'the store is still being created (no schema yet); try again in a moment' : 'store schema version 0 is older');
    await (await openStore(location)).close();
    const reader = await openStore(location, { readonly: true });
    expect(await reader.listSweeps()).toEqual([]);
    await expect((reader as unknown as { createRun(x: unknown): Promise<unknown> }).createRun({ params: {} })).rejects.toThrow('opened read-only');
    await reader.close();
  });
});

describe('sqlite store: migrations and files', () => {
  it('migrates a version-1 store, backfilling metric summaries and keeping old checkpoint files reachable', async () => {
    const path = tempDbPath();
    await (await openStore(path, { targetVersion: 1 })).close();
    const old = new Database(path);
    expect(old.pragma('user_version', { simple: true })).toBe(1);
    old.prepare("INSERT INTO runs (id, name, status, params_json, params_hash, created_at) VALUES ('r1', 'old', 'finished', '{}', 'h', 1)").run();
    const insert = old.prepare("INSERT INTO metrics (run_id, key, step, value, wall_ms) VALUES ('r1', 'loss', ?, ?, 0)");
    [[0, 5], [1, 3], [2, 4]].forEach(([s, v]) => insert.run(s, v));
    old.prepare("INSERT INTO checkpoints (run_id, step, path, created_at) VALUES ('r1', 7, 'checkpoints/r1.vaelab', 1)").run();
    old.close();
    mkdirSync(join(dirname(path), 'checkpoints'));
    writeFileSync(join(dirname(path), 'checkpoints', 'r1.vaelab'), 'bytes');
    const store = await openStore(path);
    expect(await store.engineInfo()).toMatchObject({ schemaVersion: LATEST_SCHEMA_VERSION, foreignKeys: 1, integrity: 'ok' });
    expect(await store.metricSummaries('r1')).toMatchObject([{ key: 'loss', lastStep: 2, last: 4, min: 3, max: 5, count: 3 }]);
    expect(await store.latestCheckpoint('r1')).toMatchObject({ step: 7, data: Buffer.from('bytes') });
    await store.close();
  });

  it('names the file and what was expected for a folder, a non-store file and a missing read-only store', async () => {
    const dir = dirname(tempDbPath());
    await expect(openStore(dir)).rejects.toThrow(`${dir}: is a folder; expected a store file (e.g. ${dir}/vaelab.db)`);
    const junk = join(dir, 'notes.txt');
    writeFileSync(junk, 'this is not a database, just some text that is long enough to have a header');
    await expect(openStore(junk)).rejects.toThrow(`${junk}: not a VAE Lab store (SQLite says: file is not a database)`);
    await expect(openStore(join(dir, 'none.db'), { readonly: true })).rejects.toThrow(`${join(dir, 'none.db')}: no store here yet`);
  });
});
