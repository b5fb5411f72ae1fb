// Seed groups in SQL: runs of one variant whose params are equal but for `seed` are repeats of
// one configuration. Each run's group is its variant and its other params (from run_params, each
// length-prefixed so no value can pose as another); the store counts, sorts and pages groups and
// computes each metric's mean and sample standard deviation over the runs' latest finite values
// (squared deviations from the group's mean, which a window gives each value, not Σx² − n·mean²).
import type { SeedGroup, SeedGroupQuery } from '../store.js';
import { parseJson } from '../codec.js';
import type { RunStatus } from '../types.js';
import { checkKey, fail } from '../validate.js';
import type { Dialect, SqlArg } from './dialect.js';
import { pagingOf, runFilter, SORT_CHOICES } from './sql-run-query.js';

/** Pages of groups can be larger than pages of runs: the sweep page shows every group. */
export const MAX_GROUP_PAGE = 10_000;
const FINITE = 's.last_value BETWEEN -1.7976931348623157e308 AND 1.7976931348623157e308';

function keyedRuns(d: Dialect, whereSql: string): string {
  const value = "CASE WHEN p.value_num IS NULL THEN 's' || p.value_text ELSE 'n' || CAST(p.value_num AS TEXT) END";
  const entry = `length(p.key) || ':' || p.key || '=' || length(${value}) || ':' || ${value}`;
  return `keyed AS (SELECT r.id, r.name, r.status, r.variant, r.created_at, r.params_json,
    coalesce('v' || r.variant, '-') || '|' || coalesce((SELECT ${d.orderedConcat(entry, "'&'", 'p.key')} FROM run_params p WHERE p.run_id = r.id AND p.key <> 'seed'), '') AS g
    FROM runs r ${whereSql})`;
}

/** The ORDER BY of groups (over `keyed k` with `o` joined for a param or metric sort), and that join. */
function groupOrder(sortBy: string, direction: string): { join: string; joinArgs: SqlArg[]; order: string } {
  if (sortBy === 'created') return { join: '', joinArgs: [], order: `min(k.created_at) ${direction}` };
  if (sortBy === 'name') return { join: '', joinArgs: [], order: `min(k.name) ${direction}` };
  if (sortBy === 'status' || sortBy === 'variant') return { join: '', joinArgs: [], order: `min(k.${sortBy}) ${direction}, min(k.created_at)` };
  if (sortBy.startsWith('metric:') && sortBy.length > 7) {
    return {
      join: `LEFT JOIN metric_summary o ON o.run_id = k.id AND o.key = ? AND ${FINITE.replace('s.', 'o.')}`,
      joinArgs: [checkKey('sortBy', sortBy.slice(7))],
      order: `avg(o.last_value) IS NULL, avg(o.last_value) ${direction}`,
    };
  }
  if (sortBy.startsWith('param:') && sortBy.length > 6) {
    return {
      join: 'LEFT JOIN run_params o ON o.run_id = k.id AND o.key = ?',
      joinArgs: [checkKey('sortBy', sortBy.slice(6))],
      // Numbers before text in both engines (their NULL orders differ).
      order: `min(o.run_id) IS NULL, min(o.value_num) IS NULL, min(o.value_num) ${direction}, min(o.value_text) ${direction}`,
    };
  }
  return fail('sortBy', SORT_CHOICES, sortBy);
}

export async function seedGroups(d: Dialect, q: SeedGroupQuery = {}): Promise<{ total: number; runs: number; groups: SeedGroup[] }> {
  const { whereSql, args } = runFilter(q);
  const { limit, offset, direction } = pagingOf(q, MAX_GROUP_PAGE);
  const metricKeys = q.metricKeys?.map((k, i) => checkKey(`metricKeys[${i}]`, k));
  const { join, joinArgs, order } = groupOrder(q.sortBy ?? 'created', direction);
  const keyed = keyedRuns(d, whereSql);
  const page = await d.all<{ g: string; total: number; runs: number }>(
    `WITH ${keyed} SELECT k.g, count(*) OVER () AS total, sum(count(DISTINCT k.id)) OVER () AS runs
     FROM keyed k ${join} GROUP BY k.g ORDER BY ${order}, min(k.id) LIMIT ? OFFSET ?`,
    [...args, ...joinArgs, limit, offset]);
  if (page.length === 0) {
    const counted = await d.get<{ total: number; runs: number }>(`WITH ${keyed} SELECT count(DISTINCT g) AS total, count(*) AS runs FROM keyed`, args);
    return { total: Number(counted?.total ?? 0), runs: Number(counted?.runs ?? 0), groups: [] };
  }
  const keys = page.map((p) => p.g);
  // A page of every group (the sweep page's case) needs no filter on the groups.
  const everyGroup = keys.length === Number(page[0].total);
  const inKeys = everyGroup ? '1 = 1' : `k.g IN (${keys.map(() => '?').join(', ')})`;
  const keyArgs = everyGroup ? [] : keys;
  const members = await d.all<{ g: string; id: string; name: string; status: RunStatus; variant: string | null; params_json: string | null }>(
    `WITH ${keyed} SELECT k.g, k.id, k.name, k.status, k.variant,
       CASE WHEN row_number() OVER (PARTITION BY k.g ORDER BY k.created_at, k.id) = 1 THEN k.params_json END AS params_json
     FROM keyed k WHERE ${inKeys} ORDER BY k.created_at, k.id`, [...args, ...keyArgs]);
  const metricFilter = metricKeys ? metricKeys.length === 0 ? 'AND 1 = 0' : `AND s.key IN (${metricKeys.map(() => '?').join(', ')})` : '';
  const stats = await d.all<{ g: string; key: string; n: number; mean: number; ss: number }>(
    `WITH ${keyed},
     vals AS (SELECT k.g, s.key, s.last_value AS v, avg(s.last_value) OVER (PARTITION BY k.g, s.key) AS mean
       FROM keyed k JOIN metric_summary s ON s.run_id = k.id WHERE ${inKeys} AND ${FINITE} ${metricFilter})
     SELECT g, key, count(*) AS n, avg(v) AS mean, sum((v - mean) * (v - mean)) AS ss FROM vals GROUP BY g, key`,
    [...args, ...keyArgs, ...(metricKeys ?? [])]);
  const groups = new Map<string, SeedGroup>(keys.map((g) => [g, { key: g, variant: null, params: {}, n: 0, runIds: [], names: [], statuses: {}, metrics: {} }]));
  for (const m of members) {
    const group = groups.get(m.g)!;
    if (group.n === 0) {
      group.variant = m.variant;
      // Only a group's first run carries its params (the others' are equal but for seed).
      const { seed: _seed, ...rest } = parseJson<Record<string, unknown>>(m.params_json) ?? {};
      group.params = rest;
    }
    group.n += 1;
    group.runIds.push(m.id);
    group.names.push(m.name);
    group.statuses[m.status] = (group.statuses[m.status] ?? 0) + 1;
  }
  for (const s of stats) {
    const n = Number(s.n);
    groups.get(s.g)!.metrics[s.key] = { mean: Number(s.mean), std: n > 1 ? Math.sqrt(Number(s.ss) / (n - 1)) : 0, n };
  }
  return { total: Number(page[0].total), runs: Number(page[0].runs), groups: keys.map((g) => groups.get(g)!) };
}
