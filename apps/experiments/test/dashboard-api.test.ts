// The dashboard's JSON API over real HTTP against a real SQLite file.
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrackingStore } from '@vaelab/tracking';
import { startDashboard } from '../src/dashboard/serve.js';
import { buildFixtureStore, MALICIOUS } from './dashboard-fixture.js';

let server: Server;
let store: TrackingStore;
let base: string;
let ids: string[];

beforeAll(async () => {
  const fixture = buildFixtureStore();
  ids = fixture.ids;
  ({ server, store, url: base } = await startDashboard({ dbPath: fixture.path, port: 0, host: '127.0.0.1' }));
});

afterAll(() => {
  server?.close();
  store?.close();
});

const get = async (path: string) => {
  const res = await fetch(new URL(path, base));
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: res.headers.get('content-type')?.startsWith('image/') ? null : await res.text() };
};

describe('dashboard API', () => {
  it('binds to 127.0.0.1 and serves the page', async () => {
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<script src="/app.js">');
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
      [`/api/runs/${ids[0]}/image?key=samples&step=-1`, 'step: expected a non-negative integer, got "-1"'],
      ['/api/export?format=xml&sweep=fixture-sweep', 'format: expected csv or json, got "xml"'],
    ];
    for (const [path, message] of cases) {
      const res = await get(path);
      expect(res.status, path).toBe(400);
      expect(JSON.parse(res.body!).error, path).toContain(message);
    }
    expect((await get('/api/runs/NOPE')).status).toBe(404);
    expect((await get('/api/sweeps/nope')).status).toBe(404);
    expect((await fetch(new URL('/api/runs', base), { method: 'POST' })).status).toBe(405);
  });

  it('serves a run, its series (NaN as a string), and its images as PNG', async () => {
    const run = JSON.parse((await get(`/api/runs/${ids[0]}`)).body!);
    expect(run.run.backend).toBe('wasm');
    expect(run.images.map((i: { step: number }) => i.step)).toEqual([10, 20]);
    const series = JSON.parse((await get(`/api/runs/${ids[0]}/series?key=loss&maxPoints=10`)).body!);
    expect(series.length).toBeLessThanOrEqual(12);
    expect(series[0]).toMatchObject({ step: 0, value: 200 });
    const evil = JSON.parse((await get(`/api/runs/${ids[6]}/series?key=loss`)).body!);
    expect(evil[1].value).toBe('NaN');
    const image = await fetch(new URL(`/api/runs/${ids[0]}/image?key=samples&step=20`, base));
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await image.arrayBuffer()).subarray(1, 4).toString()).toBe('PNG');
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
