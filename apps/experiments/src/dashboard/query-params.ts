// Turns the runs-table URL query into a validated RunQuery; anything malformed is a 400 with a
// message naming the parameter.
import { RUN_STATUSES, type RangeFilter, type RunQuery, type RunStatus } from '@vaelab/tracking';

export class BadRequest extends Error {
  readonly status = 400;
}

function number(name: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new BadRequest(`${name}: expected a number, got "${text}"`);
  return value;
}

function integer(name: string, text: string | null, min: number, max: number, fallback: number | null): number {
  if (text == null || text === '') {
    if (fallback == null) throw new BadRequest(`${name}: required`);
    return fallback;
  }
  const value = Number(text);
  if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new BadRequest(min === 0 && max === Number.MAX_SAFE_INTEGER ? `${name}: expected a non-negative integer, got "${text}"` : `${name}: expected an integer from ${min} to ${max}, got "${text}"`);
  }
  return value;
}

/** An integer query parameter in [min, max]; `fallback` null makes it required. */
export function integerParam(params: URLSearchParams, name: string, min: number, max: number, fallback: number | null): number {
  return integer(name, params.get(name), min, max, fallback);
}

const KNOWN = new Set(['sweep', 'status', 'variant', 'search', 'sort', 'dir', 'limit', 'offset']);
/** param.<key>.min|max|eq and metric.<key>.min|max; keys may contain dots, so the bound is the last segment. */
const RANGE = /^(param|metric)\.(.+)\.(min|max|eq)$/;

export function parseRunQuery(params: URLSearchParams): RunQuery {
  const query: RunQuery = {};
  const ranges = { param: new Map<string, RangeFilter & { equals?: string | number }>(), metric: new Map<string, RangeFilter>() };
  for (const [name, value] of params) {
    const range = RANGE.exec(name);
    if (range) {
      const [, kind, key, bound] = range as unknown as [string, 'param' | 'metric', string, 'min' | 'max' | 'eq'];
      if (kind === 'metric' && bound === 'eq') throw new BadRequest(`${name}: metrics filter by min and max only`);
      const filter = ranges[kind].get(key) ?? { key };
      if (bound === 'eq') (filter as { equals?: string | number }).equals = Number.isFinite(Number(value)) && value.trim() !== '' ? Number(value) : value;
      else filter[bound] = number(name, value);
      ranges[kind].set(key, filter);
    } else if (!KNOWN.has(name)) {
      throw new BadRequest(`${name}: unknown query parameter; expected sweep, status, variant, search, sort, dir, limit, offset, param.<key>.min|max|eq or metric.<key>.min|max`);
    }
  }
  const sweep = params.get('sweep');
  if (sweep) query.sweepId = sweep;
  const statuses = params.getAll('status').flatMap((s) => s.split(',')).filter(Boolean);
  for (const s of statuses) if (!RUN_STATUSES.includes(s as RunStatus)) throw new BadRequest(`status: expected one of ${RUN_STATUSES.join(', ')}, got "${s}"`);
  if (statuses.length > 0) query.status = statuses as RunStatus[];
  const variants = params.getAll('variant').flatMap((s) => s.split(',')).filter(Boolean);
  if (variants.length > 0) query.variant = variants;
  const search = params.get('search');
  if (search) query.search = search;
  const sort = params.get('sort');
  if (sort) {
    if (!/^(created|name|status|variant|param:.+|metric:.+)$/.test(sort)) throw new BadRequest(`sort: expected created, name, status, variant, param:<key> or metric:<key>, got "${sort}"`);
    query.sortBy = sort;
  }
  const dir = params.get('dir');
  if (dir != null && dir !== 'asc' && dir !== 'desc') throw new BadRequest(`dir: expected asc or desc, got "${dir}"`);
  if (dir) query.direction = dir;
  query.limit = integer('limit', params.get('limit'), 1, 1000, 50);
  query.offset = integer('offset', params.get('offset'), 0, Number.MAX_SAFE_INTEGER, 0);
  if (ranges.param.size > 0) query.params = [...ranges.param.values()];
  if (ranges.metric.size > 0) query.metrics = [...ranges.metric.values()];
  return query;
}
