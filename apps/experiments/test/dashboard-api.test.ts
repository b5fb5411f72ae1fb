// The dashboard's JSON API over real HTTP against a real store (SQLite and PostgreSQL): queries,
// runs, series, images, sweeps and export; malformed input of every kind is a 400, never a 5xx;
// security headers on every answer; foreign Host headers refused.
import type { Server } from 'node:http';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoreReader } from '@vaelab/tracking';
import { startDashboard } from '../src/dashboard/serve.js';
import { engines } from './engines.js';
import { fillFixtureStore, MALICIOUS } from './dashboard-fixture.js';

describe.each(engines())('dashboard API on a $name store', (engine) => {
  let server: Server;
  let store: StoreReader;
  let base: string;
  let ids: string[];

  beforeAll(async () => {
    const location = await engine.fresh();
    ids = await fillFixtureStore(location);
    ({ server, store, url: base } = await startDashboard({ location, port: 0, host: '127.0.0.1' }));
  });

  afterAll(async () => {
    server?.close();
    await store?.close();
  });

  const get = async (path: string, headers: Record<string, string> = {}) => {
    const res = await fetch(new URL(path, base), { headers });
    return { status: res.status, headers: res.headers, type: res.headers.get('content-type') ?? '', body: res.headers.get('content-type')?.startsWith('image/') ? null : await res.text() };
  };

  /** A raw request (fetch would normalise a malformed path or refuse a custom Host). */
  const raw = (path: string, host = new URL(base).host) => new Promise<{ status: number; body: string }>((resolve, reject) => {
    const { port } = new URL(base);
    const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });

  it('binds to 127.0.0.1 and serves the page with security headers', async () => {
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<script type="module" src="/main.js">');
    const module = await get('/views/run.js');
    expect(module.status).toBe(200);
    expect(module.headers.get('content-type')).toContain('text/javascript');
    expect((await get('/contract.js')).body).toContain('export const urls');
    expect((await get('/contract.d.ts')).status).toBe(404);
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect((await get('/api/runs/NOPE')).headers.get('x-frame-options')).toBe('DENY');
  });

  it('lists, filters, sorts and pages runs', async () => {
    const all = JSON.parse((await get('/api/runs')).body!);
    expect(all.total).toBe(7);
    const finished = JSON.parse((await get('/api/runs?status=finished&sort=metric:test/mig&dir=desc&limit=2')).body!);
    expect(finished.total).toBe(6);
    expect(finished.runs).toHaveLength(2);
    expect(finished.runs[0].metrics['test/mig'].last).toBeCloseTo(0.22, 6);
    const ranged = JSON.parse((await get('/api/runs?param.objective.beta.min=2&metric.test/mig.min=0.21')).body!);
    expect(ranged.runs.map((r: { params: { seed: number } }) => r.params.seed).sort()).toEqual([1, 2]);
    const second = JSON.parse((await get('/api/runs?sort=name&dir=asc&limit=3&offset=3')).body!);
    expect(second.runs).toHaveLength(3);
  });

  it('rejects bad query parameters with 400 and a message', async () => {
    const cases: [string, string][] = [
      ['/api/runs?limit=0', 'limit: expected an integer from 1 to 1000, got "0"'],
      ['/api/runs?status=done', 'status: expected one of pending, running, finished, failed, crashed, killed, pruned, got "done"'],
      ['/api/runs?sort=drop table', 'sort: expected created, name, status, variant, param:<key> or metric:<key>, got "drop table"'],
      ['/api/runs?metric.loss.min=abc', 'metric.loss.min: expected a number, got "abc"'],
      ['/api/runs?colour=red', 'colour: unknown query parameter'],
      [`/api/runs/${ids[0]}/series`, 'key: required'],
      [`/api/runs/${ids[0]}/series?key=${'k'.repeat(300)}`, 'key: expected a non-empty string of at most 200 characters'],
      [`/api/runs/${ids[0]}/image?key=samples&step=-1`, 'step: expected a non-negative integer, got "-1"'],
      [`/api/runs/${ids[0]}/image?key=samples&step=20&index=x`, 'index: expected an integer from 0 to 1000000, got "x"'],
      ['/api/export?format=xml&sweep=fixture-sweep', 'format: expected csv or json, got "xml"'],
      [`/api/runs?${Array.from({ length: 150 }, (_, i) => `param.p${i}.min=1`).join('&')}`, 'params/metrics: expected at most 100 filters, got 150'],
    ];
    for (const [path, message] of cases) {
      const res = await get(path);
      expect(res.status, path).toBe(400);
      expect(JSON.parse(res.body!).error, path).toContain(message);
    }
    expect((await get('/api/runs/NOPE')).status).toBe(404);
    expect((await get('/api/sweeps/nope')).status).toBe(404);
    expect((await get(`/api/runs/${ids[0]}/image?key=samples&step=999`)).status).toBe(404);
    expect((await fetch(new URL('/api/runs', base), { method: 'POST' })).status).toBe(405);
  });

  it('a corpus of malformed paths and parameters never gets a 5xx', async () => {
    const longKey = 'x'.repeat(5000);
    const corpus = [
      '/api/sweeps/%ZZ', '/api/runs/%E0%A4%A', `/api/runs/%ZZ/series?key=loss`, `/api/runs/${ids[0]}/image?key=%ZZ&step=1`,
      `/api/runs?search=%ZZ`, `/api/runs?param.${longKey}.min=1`, `/api/runs?sort=metric:${longKey}`, `/api/runs?sort=param:${longKey}`,
      `/api/runs?${Array.from({ length: 250 }, (_, i) => `param.p${i}.eq=${i}`).join('&')}`, `/api/runs?${Array.from({ length: 1010 }, (_, i) => `param.p${i}.eq=${i}`).join('&')}`, `/api/runs?limit=1e3`, `/api/runs?offset=-0`,
      `/api/runs?offset=99999999999999999999`, `/api/runs/${ids[0]}/series?key=loss&maxPoints=1`, `/api/runs/${ids[0]}/series?key=loss&afterStep=abc`,
      `/api/runs/${'a'.repeat(5000)}`, '/api/runs/..%2F..%2Fetc%2Fpasswd', '/api/export?runs=%ZZ', `/api/export?runs=${'x,'.repeat(20_000)}`,
      '/api/export?sweep=%00', '/api/sweeps/%00', '/api/runs?status=%00', `/api/runs?dir=${longKey}`, '/%', '/api/%FF%FE',
    ];
    const statuses = new Set<number>();
    for (const path of corpus) {
      const res = await raw(path);
      const shown = `${path.slice(0, 120)}${path.length > 120 ? '…' : ''} → ${res.status} ${res.body.slice(0, 200)}`;
      statuses.add(res.status);
      expect(res.status, shown).toBeLessThan(500);
      // Node itself answers 431 (empty body) for a request line over its 16 KiB header limit.
      if (res.status !== 431) expect(() => JSON.parse(res.body), shown).not.toThrow();
    }
    expect(statuses.has(400)).toBe(true);
    expect((await raw('/api/sweeps/%ZZ')).status).toBe(400);
  });

  it('refuses requests whose Host is not this server (DNS rebinding)', async () => {
    const port = new URL(base).port;
    expect((await raw('/api/runs', `evil.example:${port}`)).status).toBe(403);
    expect(JSON.parse((await raw('/api/runs', 'evil.example')).body).error).toContain('is not this dashboard\'s address');
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) expect((await raw('/api/runs', host)).status, host).toBe(200);
  });

  it('serves a run, its series (NaN as a string, incremental after a step), and its images as PNG', async () => {
    const run = JSON.parse((await get(`/api/runs/${ids[0]}`)).body!);
    expect(run.run.backend).toBe('wasm');
    expect(run.images.map((i: { step: number }) => i.step)).toEqual([10, 20]);
    const byKey = Object.fromEntries(run.metrics.map((m: { key: string }) => [m.key, m]));
    expect(byKey['test/mig']).toMatchObject({ kind: 'evaluation', goal: 'maximize', bestStep: 10, lastStep: 20, count: 2 });
    expect(byKey['test/mig'].best).toBeCloseTo(0.052, 9);
    expect(byKey['test/mig'].last).toBeCloseTo(0.05, 9);
    expect(byKey.loss).toMatchObject({ kind: 'step', goal: 'minimize', bestStep: 49, best: byKey.loss.min, minStep: 49, maxStep: 0 });
    const series = JSON.parse((await get(`/api/runs/${ids[0]}/series?key=loss&maxPoints=10`)).body!);
    expect(series.length).toBeLessThanOrEqual(12);
    expect(series[0]).toMatchObject({ step: 0, value: 200 });
    const after = JSON.parse((await get(`/api/runs/${ids[0]}/series?key=loss&afterStep=47`)).body!);
    expect(after.map((p: { step: number }) => p.step)).toEqual([48, 49]);
    const evil = JSON.parse((await get(`/api/runs/${ids[6]}/series?key=loss`)).body!);
    expect(evil[1].value).toBe('NaN');
    const image = await fetch(new URL(`/api/runs/${ids[0]}/image?key=samples&step=20`, base));
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await image.arrayBuffer()).subarray(1, 4).toString()).toBe('PNG');
  });

  it('groups runs that differ only in seed, with mean ± std and n per metric, sorted by a metric', async () => {
    const grouped = JSON.parse((await get('/api/groups?sort=metric:test/mig&dir=desc')).body!);
    expect(grouped).toMatchObject({ total: 3, runs: 7 });
    const [top, second, evil] = grouped.groups;
    expect(top).toMatchObject({ variant: 'beta-vae', params: { 'objective.beta': 4 }, n: 3, statuses: { finished: 3 } });
    expect(top.params).not.toHaveProperty('seed');
    expect(top.runIds.sort()).toEqual(ids.slice(3, 6).sort());
    expect(top.metrics['test/mig'].mean).toBeCloseTo(0.21, 9);
    expect(top.metrics['test/mig'].std).toBeCloseTo(0.01, 9);
    expect(second.metrics['test/mig'].mean).toBeCloseTo(0.06, 9);
    expect(evil).toMatchObject({ n: 1, names: [MALICIOUS] });
    expect(evil.metrics['test/mig']).toBeUndefined();
    const paged = JSON.parse((await get('/api/groups?sort=metric:test/mig&dir=asc&limit=1&offset=1')).body!);
    expect(paged.groups.map((g: { params: object }) => g.params)).toEqual([{ 'objective.beta': 4 }]);
    const filtered = JSON.parse((await get('/api/groups?variant=vae')).body!);
    expect(filtered).toMatchObject({ total: 1, runs: 1 });
    expect((await get('/api/groups?sort=bogus')).status).toBe(400);
  });

  it('refuses the latent explorer a run without a checkpoint, saying why', async () => {
    const res = await get(`/api/runs/${ids[0]}/explorer`);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body!).error).toBe('run "fixture-sweep#0" has no checkpoint yet: the explorer decodes with a saved model');
    expect((await get('/api/runs/NOPE/explorer')).status).toBe(404);
    for (const file of ['/vendor/tf-core.js', '/vendor/tf-backend-cpu.js', '/vendor/core/layers/networks.js']) expect((await get(file)).status, file).toBe(200);
    expect((await get('/vendor/core/layers/networks.js')).body).not.toContain("from '@tensorflow/tfjs-core'");
  });

  it('returns user strings as JSON data, never as markup', async () => {
    const res = await get(`/api/runs/${ids[6]}`);
    expect(res.type).toContain('application/json');
    expect(JSON.parse(res.body!).run.name).toBe(MALICIOUS);
  });

  it('aggregates a sweep over seeds and exports it', async () => {
    const sweep = JSON.parse((await get('/api/sweeps/fixture-sweep')).body!);
    expect(sweep.counts.finished).toBe(6);
    expect(sweep.aggregates).toHaveLength(2);
    const top = sweep.aggregates[0];
    expect(top.params).toEqual({ 'objective.beta': 4 });
    expect(top.mean).toBeCloseTo(0.21, 6); // 0.20 + 0.01·{0, 1, 2} / 3
    expect(top.std).toBeCloseTo(0.01, 6);
    expect(sweep.best).toHaveLength(5);
    const csv = await get('/api/export?sweep=fixture-sweep&format=csv');
    expect(csv.type).toContain('text/csv');
    expect(csv.body!.split('\n')[0]).toContain('param.objective.beta');
    expect(csv.body!.trim().split('\n')).toHaveLength(7);
    const json = JSON.parse((await get('/api/export?sweep=fixture-sweep&format=json')).body!);
    expect(json.runs).toHaveLength(6);
  });
});
