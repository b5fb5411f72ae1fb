// The runs-table query behind `vaelab ls` and the dashboard: filters on status, variant,
// params and latest metrics; sorting by any of those; paging. Inputs are validated by name.
import type { RangeFilter, RunQuery, RunWithMetrics } from '../store.js';
import { RUN_STATUSES } from '../types.js';
import { checkKey, fail } from '../validate.js';
import type { Dialect, SqlArg } from './dialect.js';
import { type RunRow, toRunRecord } from './run-rows.js';
import { summariesOf } from './sql-metrics.js';

const COLUMN_SORTS: Record<string, string> = { created: 'r.created_at', name: 'r.name', status: 'r.status', variant: 'r.variant' };
/** More filters than this is a malformed query, not a real one (and SQL expression depth is finite). */
export const MAX_FILTERS = 100;

function checkRange(field: string, f: RangeFilter): void {
  if (typeof f?.key !== 'string' || f.key === '') fail(`${field}.key`, 'a non-empty string', f?.key);
  checkKey(`${field}.key`, f.key);
  for (const bound of ['min', 'max'] as const) {
    if (f[bound] !== undefined && (typeof f[bound] !== 'number' || Number.isNaN(f[bound]))) fail(`${field}.${bound}`, 'a number', f[bound]);
  }
}

/** The WHERE clause (on runs as `r`) of a query's filters, validated, with its arguments. */
export function runFilter(q: Omit<RunQuery, 'sortBy' | 'direction' | 'limit' | 'offset'>): { whereSql: string; args: SqlArg[] } {
  const where: string[] = [];
  const args: SqlArg[] = [];
  if (q.sweepId !== undefined) { where.push('r.sweep_id = ?'); args.push(q.sweepId); }
  if (q.status?.length) {
    q.status.forEach((s, i) => { if (!RUN_STATUSES.includes(s)) fail(`status[${i}]`, `one of ${RUN_STATUSES.join(', ')}`, s); });
    where.push(`r.status IN (${q.status.map(() => '?').join(', ')})`);
    args.push(...q.status);
  }
  if (q.variant?.length) { where.push(`r.variant IN (${q.variant.map(() => '?').join(', ')})`); args.push(...q.variant); }
  if (q.search) {
    where.push(`lower(r.name) LIKE ? ESCAPE '\\'`);
    args.push(`%${q.search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  }
  const filters = (q.params?.length ?? 0) + (q.metrics?.length ?? 0);
  if (filters > MAX_FILTERS) fail('params/metrics', `at most ${MAX_FILTERS} filters`, filters);
  (q.params ?? []).forEach((f, i) => {
    checkRange(`params[${i}]`, f);
    const conds = ['p.key = ?'];
    args.push(f.key);
    if (f.equals !== undefined) {
      conds.push(typeof f.equals === 'number' ? 'p.value_num = ?' : 'p.value_text = ?');
      args.push(f.equals);
    }
    if (f.min !== undefined) { conds.push('p.value_num >= ?'); args.push(f.min); }
    if (f.max !== undefined) { conds.push('p.value_num <= ?'); args.push(f.max); }
    // Non-correlated IN: evaluated once, not once per run (a correlated EXISTS went O(n²) on SQLite).
    where.push(`r.id IN (SELECT p.run_id FROM run_params p WHERE ${conds.join(' AND ')})`);
  });
  (q.metrics ?? []).forEach((f, i) => {
    checkRange(`metrics[${i}]`, f);
    const conds = ['s.key = ?'];
    args.push(f.key);
    if (f.min !== undefined) { conds.push('s.last_value >= ?'); args.push(f.min); }
    if (f.max !== undefined) { conds.push('s.last_value <= ?'); args.push(f.max); }
    where.push(`r.id IN (SELECT s.run_id FROM metric_summary s WHERE ${conds.join(' AND ')})`);
  });
  return { whereSql: where.length ? `WHERE ${where.join(' AND ')}` : '', args };
}

/** What `sortBy` may be, for queries of runs and of seed groups. */
export const SORT_CHOICES = 'created, name, status, variant, param:<key> or metric:<key>';

/** Checked paging and sort direction; `max` is the largest page. */
export function pagingOf(q: { limit?: number; offset?: number; direction?: string }, max = 1000): { limit: number; offset: number; direction: 'asc' | 'desc' } {
  const direction = q.direction ?? 'desc';
  if (direction !== 'asc' && direction !== 'desc') fail('direction', 'asc or desc', direction);
  const limit = q.limit ?? 50;
  const offset = q.offset ?? 0;
  if (!Number.isInteger(limit) || limit < 1 || limit > max) fail('limit', `an integer from 1 to ${max}`, limit);
  if (!Number.isInteger(offset) || offset < 0) fail('offset', 'a non-negative integer', offset);
  return { limit, offset, direction };
}

export async function queryRuns(d: Dialect, q: RunQuery = {}): Promise<{ total: number; runs: RunWithMetrics[] }> {
  const { whereSql, args } = runFilter(q);
  const { limit, offset, direction } = pagingOf(q);

  const sortBy = q.sortBy ?? 'created';
  let join = '';
  const joinArgs: SqlArg[] = [];
  let order: string;
  if (COLUMN_SORTS[sortBy]) order = `${COLUMN_SORTS[sortBy]} ${direction}`;
  else if (sortBy.startsWith('metric:') && sortBy.length > 7) {
    join = 'LEFT JOIN metric_summary o ON o.run_id = r.id AND o.key = ?';
    joinArgs.push(checkKey('sortBy', sortBy.slice(7)));
    order = `o.last_value IS NULL, o.last_value ${direction}`;
  } else if (sortBy.startsWith('param:') && sortBy.length > 6) {
    join = 'LEFT JOIN run_params o ON o.run_id = r.id AND o.key = ?';
    joinArgs.push(checkKey('sortBy', sortBy.slice(6)));
    order = `o.run_id IS NULL, o.value_num ${direction}, o.value_text ${direction}`;
  } else {
    fail('sortBy', SORT_CHOICES, sortBy);
  }
  // Sort and page narrow rows (ids), counting the matches in the same pass; then fetch the page's
  // runs. Sorting whole run rows (configs, params) made a deep page several times slower.
  const page = await d.all<{ id: string; total: number }>(
    `SELECT r.id, count(*) OVER () AS total FROM runs r ${join} ${whereSql} ORDER BY ${order}, r.id LIMIT ? OFFSET ?`,
    [...joinArgs, ...args, limit, offset]);
  const total = page.length > 0 ? Number(page[0].total) : (await d.get<{ n: number }>(`SELECT count(*) AS n FROM runs r ${whereSql}`, args))!.n;
  const ids = page.map((r) => r.id);
  const rows = ids.length === 0 ? [] : await d.all<RunRow>(`SELECT * FROM runs WHERE id IN (${ids.map(() => '?').join(', ')})`, ids);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const metrics = await summariesOf(d, ids);
  return { total, runs: ids.map((id) => ({ ...toRunRecord(byId.get(id)!), metrics: metrics.get(id)! })) };
}
