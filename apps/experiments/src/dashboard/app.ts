// The dashboard server: a read-only JSON API over the store's read interface plus the static
// page that uses only that API. createApp returns a plain Node request handler. Malformed input
// of any kind is a 400 with a message, never a 500.
import { readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportRunsCsv, exportRunsJson, InvalidInputError, NotFoundError, type StoreReader } from '@vaelab/tracking';
import { BadRequest, integerParam, parseRunQuery } from './query-params.js';
import { hostAllowed, SECURITY_HEADERS } from './security.js';
import { compareSweeps } from '../commands/compare-table.js';
import { dashboardMeta } from './meta.js';
import { explorerExport } from './explorer-export.js';
import { vendorFiles } from './vendor-files.js';
import { runView } from './run-view.js';
import { sweepView } from './sweep-view.js';
import { PATHS, ROUTES } from '../../web/contract.js';

const WEB = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'web');
const require = createRequire(import.meta.url);
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

/** Every page file under web/ (the page's modules), listed once: no request path ever reaches the file system. */
function pageFiles(): Record<string, [string, string]> {
  const files: Record<string, [string, string]> = {};
  for (const entry of readdirSync(WEB, { recursive: true, encoding: 'utf8' })) {
    const type = TYPES[extname(entry)];
    if (type && !entry.endsWith('.d.ts')) files[`/${relative(WEB, join(WEB, entry)).split(sep).join('/')}`] = [join(WEB, entry), type];
  }
  return files;
}

const STATIC: Record<string, [string, string]> = {
  ...pageFiles(),
  '/': [join(WEB, 'index.html'), TYPES['.html']],
  '/uplot.js': [require.resolve('uplot/dist/uPlot.iife.min.js'), TYPES['.js']],
  '/uplot.css': [require.resolve('uplot/dist/uPlot.min.css'), TYPES['.css']],
};

/** The explorer's scripts, read on the first request for one (not when the app is created). */
let vendor: Record<string, string | Buffer> | null = null;

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

type Handler = (id: string, params: URLSearchParams) => Promise<unknown>;

/** JSON numbers cannot be NaN or ±Infinity; send them as strings the page understands. */
function json(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
}

function required(params: URLSearchParams, name: string): string {
  const value = params.get(name);
  if (value == null || value === '') throw new BadRequest(`${name}: required`);
  return value;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new BadRequest(`malformed percent-encoding in the path: "${segment}"`);
  }
}

export interface AppOptions {
  /** The address the server is bound to; requests must name it (or a loopback name) in Host. */
  host?: string;
}

export function createApp(store: StoreReader, options: AppOptions = {}): (req: IncomingMessage, res: ServerResponse) => void {
  const boundHost = options.host ?? '127.0.0.1';
  const routes: [RegExp, Handler][] = [
    [ROUTES.run, async (id) => runView(store, id)],
    [ROUTES.series, async (id, p) => store.metricSeries(id, required(p, 'key'), {
      maxPoints: integerParam(p, 'maxPoints', 2, 100_000, 2000), afterStep: integerParam(p, 'afterStep', -1, Number.MAX_SAFE_INTEGER, -1),
    })],
    [ROUTES.sweep, async (id) => sweepView(store, id)],
    [ROUTES.explorer, async (id) => explorerExport(store, id)],
  ];

  const image = async (id: string, p: URLSearchParams): Promise<Buffer> => {
    const step = integerParam(p, 'step', 0, Number.MAX_SAFE_INTEGER, null);
    const index = integerParam(p, 'index', 0, 1_000_000, 0);
    await store.getRun(id);
    const png = await store.getImage(id, required(p, 'key'), step, index);
    if (png == null) throw new HttpError(404, `no image ${p.get('key')} at step ${step}`);
    return png;
  };

  const exportBody = async (p: URLSearchParams): Promise<[string, string, string]> => {
    const format = p.get('format') ?? 'csv';
    const kind = p.get('table') ?? 'runs';
    if (format !== 'csv' && format !== 'json') throw new BadRequest(`format: expected csv or json, got "${format}"`);
    if (kind !== 'runs' && kind !== 'metrics') throw new BadRequest(`table: expected runs or metrics, got "${kind}"`);
    const sweep = p.get('sweep');
    const ids = sweep ? (await store.sweepTrials((await store.getSweep(sweep)).id)).map((r) => r.id) : (p.get('runs') ?? '').split(',').filter(Boolean);
    if (ids.length === 0) throw new BadRequest('sweep or runs: name a sweep or list run ids');
    if (ids.length > 10_000) throw new BadRequest(`runs: at most 10000 runs per export, got ${ids.length}`);
    const name = `vaelab-${sweep ?? 'runs'}`.replace(/[^\w.-]/g, '_');
    if (format === 'json') return ['application/json', await exportRunsJson(store, ids), `${name}.json`];
    return ['text/csv; charset=utf-8', (await exportRunsCsv(store, ids))[kind], `${name}.${kind}.csv`];
  };

  const answer = async (req: IncomingMessage): Promise<[number, string, string | Buffer, Record<string, string>]> => {
    if (!hostAllowed(req.headers.host, boundHost)) {
      throw new HttpError(403, `Host "${req.headers.host ?? ''}" is not this dashboard's address (refused to guard against DNS rebinding); open it at http://127.0.0.1/`);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') throw Object.assign(new HttpError(405, `${req.method}: the dashboard is read-only`), { allow: 'GET, HEAD' });
    const url = new URL(req.url ?? '/', 'http://localhost');
    const asset = STATIC[url.pathname];
    if (asset) return [200, asset[1], readFileSync(asset[0]), {}];
    if (url.pathname.startsWith('/vendor/')) {
      const script = (vendor ??= vendorFiles())[url.pathname];
      if (script != null) return [200, TYPES['.js'], script, {}];
    }
    if ([...url.searchParams.keys()].length > 200) throw new BadRequest('too many query parameters (at most 200)');
    if (url.pathname === PATHS.runs) return [200, 'application/json', json(await store.queryRuns(parseRunQuery(url.searchParams))), {}];
    if (url.pathname === PATHS.groups) return [200, 'application/json', json(await store.seedGroups(parseRunQuery(url.searchParams))), {}];
    if (url.pathname === PATHS.sweeps) return [200, 'application/json', json(await store.listSweeps()), {}];
    if (url.pathname === PATHS.meta) return [200, 'application/json', json(dashboardMeta()), {}];
    if (url.pathname === PATHS.compare) {
      const names = url.searchParams.getAll('sweep');
      if (names.length === 0) throw new BadRequest('compare: give one or more sweep=<name> parameters');
      return [200, 'application/json', json(await compareSweeps(store, names).catch((error: Error) => {
        throw /no finished trials/.test(error.message) ? new BadRequest(error.message) : error;
      })), {}];
    }
    if (url.pathname === PATHS.export) {
      const [type, body, file] = await exportBody(url.searchParams);
      return [200, type, body, { 'content-disposition': `attachment; filename="${file}"` }];
    }
    const img = ROUTES.image.exec(url.pathname);
    if (img) return [200, 'image/png', await image(decodeSegment(img[1]), url.searchParams), {}];
    for (const [pattern, handler] of routes) {
      const match = pattern.exec(url.pathname);
      if (match) return [200, 'application/json', json(await handler(decodeSegment(match[1]), url.searchParams)), {}];
    }
    throw new HttpError(404, `no such page: ${url.pathname}`);
  };

  return (req, res) => {
    const send = (status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...SECURITY_HEADERS, ...extra });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    answer(req).then(([status, type, body, extra]) => send(status, type, body, extra), (error: unknown) => {
      const status = error instanceof HttpError ? error.status : error instanceof BadRequest || error instanceof InvalidInputError ? 400
        : error instanceof NotFoundError ? 404 : 500;
      const allow = (error as { allow?: string }).allow;
      const extra: Record<string, string> = allow ? { allow } : {};
      if (status === 500) console.error(`dashboard: ${req.method} ${req.url}: ${(error as Error).stack ?? error}`);
      send(status, 'application/json', json({ error: (error as Error).message }), extra);
    });
  };
}
