// The dashboard server: a read-only JSON API over the tracking store plus the static page that
// uses only that API. createApp returns a plain Node request handler (no framework needed).
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportRunsCsv, exportRunsJson, queryRuns, type TrackingStore } from '@vaelab/tracking';
import { BadRequest, parseRunQuery } from './query-params.js';
import { sweepView } from './sweep-view.js';

const WEB = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'web');
const require = createRequire(import.meta.url);
const STATIC: Record<string, [string, string]> = {
  '/': [join(WEB, 'index.html'), 'text/html; charset=utf-8'],
  '/app.js': [join(WEB, 'app.js'), 'text/javascript; charset=utf-8'],
  '/style.css': [join(WEB, 'style.css'), 'text/css; charset=utf-8'],
  '/uplot.js': [require.resolve('uplot/dist/uPlot.iife.min.js'), 'text/javascript; charset=utf-8'],
  '/uplot.css': [require.resolve('uplot/dist/uPlot.min.css'), 'text/css; charset=utf-8'],
};

class NotFound extends Error {
  readonly status = 404;
}

type Handler = (match: RegExpExecArray, params: URLSearchParams) => unknown;

/** JSON numbers cannot be NaN or ±Infinity; send them as strings the page understands. */
function json(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
}

function required(params: URLSearchParams, name: string): string {
  const value = params.get(name);
  if (value == null || value === '') throw new BadRequest(`${name}: required`);
  return value;
}

function lookup<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (/^unknown run id|^unknown sweep/.test((error as Error).message)) throw new NotFound((error as Error).message);
    throw error;
  }
}

export function createApp(store: TrackingStore): (req: IncomingMessage, res: ServerResponse) => void {
  const routes: [RegExp, Handler][] = [
    [/^\/api\/runs$/, (_m, p) => queryRuns(store.db, parseRunQuery(p))],
    [/^\/api\/runs\/([\w-]+)$/, (m) => lookup(() => ({
      run: store.getRun(m[1]), metrics: store.metricSummaries(m[1]), images: store.listImages(m[1]),
    }))],
    [/^\/api\/runs\/([\w-]+)\/series$/, (m, p) => {
      const maxPoints = p.get('maxPoints') == null ? 2000 : Number(p.get('maxPoints'));
      if (!Number.isInteger(maxPoints) || maxPoints < 2 || maxPoints > 100_000) throw new BadRequest(`maxPoints: expected an integer from 2 to 100000, got "${p.get('maxPoints')}"`);
      return lookup(() => store.metricSeries(m[1], required(p, 'key'), maxPoints));
    }],
    [/^\/api\/sweeps$/, () => store.listSweeps().map((s) => ({ ...s, counts: store.sweepCounts(s.id) }))],
    [/^\/api\/sweeps\/([^/]+)$/, (m) => lookup(() => sweepView(store, decodeURIComponent(m[1])))],
  ];

  return (req, res) => {
    const send = (status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...extra });
      res.end(body);
    };
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        send(405, 'application/json', json({ error: `${req.method}: the dashboard is read-only` }), { allow: 'GET, HEAD' });
        return;
      }
      const asset = STATIC[url.pathname];
      if (asset) {
        send(200, asset[1], readFileSync(asset[0]));
        return;
      }
      const image = /^\/api\/runs\/([\w-]+)\/image$/.exec(url.pathname);
      if (image) {
        const p = url.searchParams;
        const step = Number(required(p, 'step'));
        const index = Number(p.get('index') ?? 0);
        if (!Number.isInteger(step) || step < 0) throw new BadRequest(`step: expected a non-negative integer, got "${p.get('step')}"`);
        const png = lookup(() => store.getImage(image[1], required(p, 'key'), step, index));
        if (png == null) throw new NotFound(`no image ${p.get('key')} at step ${step}`);
        send(200, 'image/png', png);
        return;
      }
      if (url.pathname === '/api/export') {
        const p = url.searchParams;
        const format = p.get('format') ?? 'csv';
        const kind = p.get('table') ?? 'runs';
        if (format !== 'csv' && format !== 'json') throw new BadRequest(`format: expected csv or json, got "${format}"`);
        if (kind !== 'runs' && kind !== 'metrics') throw new BadRequest(`table: expected runs or metrics, got "${kind}"`);
        const ids = p.get('sweep') ? lookup(() => store.sweepRuns(store.getSweep(p.get('sweep')!).id).map((r) => r.id)) : (p.get('runs') ?? '').split(',').filter(Boolean);
        if (ids.length === 0) throw new BadRequest('sweep or runs: name a sweep or list run ids');
        const name = `vaelab-${p.get('sweep') ?? 'runs'}`.replace(/[^\w.-]/g, '_');
        if (format === 'json') send(200, 'application/json', lookup(() => exportRunsJson(store, ids)), { 'content-disposition': `attachment; filename="${name}.json"` });
        else send(200, 'text/csv; charset=utf-8', lookup(() => exportRunsCsv(store, ids))[kind], { 'content-disposition': `attachment; filename="${name}.${kind}.csv"` });
        return;
      }
      for (const [pattern, handler] of routes) {
        const match = pattern.exec(url.pathname);
        if (match) {
          send(200, 'application/json', json(handler(match, url.searchParams)));
          return;
        }
      }
      throw new NotFound(`no such page: ${url.pathname}`);
    } catch (error) {
      const status = (error as { status?: number }).status ?? 500;
      send(status, 'application/json', json({ error: (error as Error).message }));
    }
  };
}
