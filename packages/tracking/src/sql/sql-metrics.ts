// Metric series: batched, idempotent upserts keyed by (run, key, step), with latest/min/max kept
// incrementally; a batch that overwrites stored points (a retry, a replay after resume) gets an
// exact recompute of its keys' summaries instead.
import { fromSqlNumber, toSqlNumber } from '../codec.js';
import { InvalidInputError } from '../errors.js';
import type { MetricPoint, MetricSummary, SeriesPoint } from '../types.js';
import { checkKey, checkStep, checkValue, fail } from '../validate.js';
import type { Dialect, MetricRow, SqlArg, SqlConnection } from './dialect.js';

export function validatePoints(points: MetricPoint[]): void {
  if (!Array.isArray(points)) throw new InvalidInputError('metrics: expected an array of {key, step, value}');
  points.forEach((p, i) => {
    checkKey(`metrics[${i}].key`, p?.key);
    checkStep(`metrics[${i}].step`, p.step);
    checkValue(`metrics[${i}].value`, p.value);
    if (p.wallMs !== undefined && !(Number.isInteger(p.wallMs) && p.wallMs >= 0)) {
      fail(`metrics[${i}].wallMs`, 'a non-negative integer (ms since the epoch)', p.wallMs);
    }
  });
}

interface Range {
  key: string;
  lo: number;
  hi: number;
}

/** The last point per (key, step) wins, as it would replayed one by one. */
function dedupe(points: MetricPoint[], now: number): MetricRow[] {
  const rows = new Map<string, MetricRow>();
  for (const p of points) rows.set(`${p.step}\u0000${p.key}`, { key: p.key, step: p.step, value: toSqlNumber(p.value), wallMs: p.wallMs ?? now });
  return [...rows.values()];
}

function ranges(rows: MetricRow[]): Range[] {
  const byKey = new Map<string, Range>();
  for (const r of rows) {
    const g = byKey.get(r.key);
    if (g == null) byKey.set(r.key, { key: r.key, lo: r.step, hi: r.step });
    else {
      g.lo = Math.min(g.lo, r.step);
      g.hi = Math.max(g.hi, r.step);
    }
  }
  return [...byKey.values()];
}

function rangeFilter(list: Range[], withSteps: boolean): { sql: string; args: SqlArg[] } {
  const sql = list.map(() => (withSteps ? '(key = ? AND step BETWEEN ? AND ?)' : 'key = ?')).join(' OR ');
  return { sql: `(${sql})`, args: list.flatMap((g) => (withSteps ? [g.key, g.lo, g.hi] : [g.key])) };
}

/**
 * Summaries of the keys in `list` from their points (within each range when `extend`, merged
 * into the stored summary; over all points otherwise, replacing it).
 */
async function summarise(tx: SqlConnection, d: Dialect, runId: string, list: Range[], extend: boolean): Promise<void> {
  if (list.length === 0) return;
  const filter = rangeFilter(list, extend);
  const merge = extend
    ? `last_step = CASE WHEN excluded.last_step >= metric_summary.last_step THEN excluded.last_step ELSE metric_summary.last_step END,
       last_value = CASE WHEN excluded.last_step >= metric_summary.last_step THEN excluded.last_value ELSE metric_summary.last_value END,
       min_value = CASE WHEN metric_summary.min_value IS NULL THEN excluded.min_value WHEN excluded.min_value IS NULL THEN metric_summary.min_value
                        ELSE ${d.least}(metric_summary.min_value, excluded.min_value) END,
       max_value = CASE WHEN metric_summary.max_value IS NULL THEN excluded.max_value WHEN excluded.max_value IS NULL THEN metric_summary.max_value
                        ELSE ${d.greatest}(metric_summary.max_value, excluded.max_value) END,
       count = metric_summary.count + excluded.count`
    : `last_step = excluded.last_step, last_value = excluded.last_value, min_value = excluded.min_value, max_value = excluded.max_value, count = excluded.count`;
  await tx.run(
    `INSERT INTO metric_summary (run_id, key, last_step, last_value, min_value, max_value, count)
     SELECT m.run_id, m.key, m.step, m.value, agg.mn, agg.mx, agg.n
     FROM (SELECT key, max(step) AS last_step, min(value) AS mn, max(value) AS mx, count(*) AS n
           FROM metrics WHERE run_id = ? AND ${filter.sql} GROUP BY key) agg
     JOIN metrics m ON m.run_id = ? AND m.key = agg.key AND m.step = agg.last_step
     WHERE true
     ON CONFLICT (run_id, key) DO UPDATE SET ${merge}`,
    [runId, ...filter.args, runId]);
}

/** Writes points for one run inside the caller's (fenced) transaction. */
export async function writeMetrics(tx: SqlConnection, d: Dialect, runId: string, attempt: number, points: MetricPoint[], now: number): Promise<void> {
  if (points.length === 0) return;
  const rows = dedupe(points, now);
  const groups = ranges(rows);
  const filter = rangeFilter(groups, true);
  const existing = new Set((await tx.all<{ key: string }>(
    `SELECT DISTINCT key FROM metrics WHERE run_id = ? AND ${filter.sql}`, [runId, ...filter.args])).map((r) => r.key));
  await d.upsertMetrics(tx, runId, attempt, rows);
  await summarise(tx, d, runId, groups.filter((g) => !existing.has(g.key)), true);
  await summarise(tx, d, runId, groups.filter((g) => existing.has(g.key)), false);
}

/** Removes points and images after `afterStep` and fixes the summaries. */
export async function truncateMetrics(tx: SqlConnection, d: Dialect, runId: string, afterStep: number): Promise<number> {
  const keys = (await tx.all<{ key: string }>('SELECT DISTINCT key FROM metrics WHERE run_id = ? AND step > ?', [runId, afterStep])).map((r) => r.key);
  const removed = await tx.run('DELETE FROM metrics WHERE run_id = ? AND step > ?', [runId, afterStep]);
  await tx.run('DELETE FROM images WHERE run_id = ? AND step > ?', [runId, afterStep]);
  if (keys.length > 0) {
    await tx.run(`DELETE FROM metric_summary WHERE run_id = ? AND key IN (${keys.map(() => '?').join(', ')})`, [runId, ...keys]);
    await summarise(tx, d, runId, keys.map((key) => ({ key, lo: 0, hi: 0 })), false);
  }
  return removed;
}

interface SummaryRow { key: string; last_step: number; last_value: number | null; min_value: number | null; max_value: number | null; count: number }

export function toSummary(r: SummaryRow): MetricSummary {
  return { key: r.key, lastStep: r.last_step, last: fromSqlNumber(r.last_value), min: fromSqlNumber(r.min_value), max: fromSqlNumber(r.max_value), count: r.count };
}

export const SUMMARY_COLUMNS = 'key, last_step, last_value, min_value, max_value, count';

export async function summaries(db: SqlConnection, runId: string): Promise<MetricSummary[]> {
  const rows = await db.all<SummaryRow>(`SELECT ${SUMMARY_COLUMNS} FROM metric_summary WHERE run_id = ? ORDER BY key`, [runId]);
  return rows.map(toSummary);
}

/** Summaries of many runs at once, by run id. */
export async function summariesOf(db: SqlConnection, runIds: string[]): Promise<Map<string, Record<string, MetricSummary>>> {
  const out = new Map<string, Record<string, MetricSummary>>(runIds.map((id) => [id, {}]));
  for (let i = 0; i < runIds.length; i += 500) {
    const chunk = runIds.slice(i, i + 500);
    const rows = await db.all<SummaryRow & { run_id: string }>(
      `SELECT run_id, ${SUMMARY_COLUMNS} FROM metric_summary WHERE run_id IN (${chunk.map(() => '?').join(', ')})`, chunk);
    for (const r of rows) out.get(r.run_id)![r.key] = toSummary(r);
  }
  return out;
}

/**
 * A metric series; with `maxPoints`, long series are cut into buckets of steps and each bucket
 * keeps its minimum and maximum points, so spikes survive downsampling.
 */
export async function series(db: SqlConnection, runId: string, key: string, maxPoints?: number, afterStep = -1): Promise<SeriesPoint[]> {
  const rows = await db.all<{ step: number; value: number | null; wall_ms: number; attempt: number }>(
    'SELECT step, value, wall_ms, attempt FROM metrics WHERE run_id = ? AND key = ? AND step > ? ORDER BY step', [runId, key, afterStep]);
  const points = rows.map((r) => ({ step: r.step, value: fromSqlNumber(r.value), wallMs: r.wall_ms, attempt: r.attempt }));
  if (maxPoints == null || points.length <= maxPoints) return points;
  const buckets = Math.max(1, Math.floor(maxPoints / 2));
  const perBucket = Math.ceil(points.length / buckets);
  const out: SeriesPoint[] = [];
  for (let start = 0; start < points.length; start += perBucket) {
    const slice = points.slice(start, start + perBucket);
    let lo = slice[0];
    let hi = slice[0];
    for (const p of slice) {
      if (Number.isNaN(p.value)) continue;
      if (!(p.value >= lo.value)) lo = p;
      if (!(p.value <= hi.value)) hi = p;
    }
    if (lo === hi) out.push(lo);
    else out.push(...(lo.step < hi.step ? [lo, hi] : [hi, lo]));
  }
  return out;
}
