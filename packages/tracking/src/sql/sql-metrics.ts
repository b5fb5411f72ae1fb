// Metric series: batched, idempotent upserts keyed by (run, key, step), with latest/min/max kept
// incrementally; a batch that overwrites stored points (a retry, a replay after resume) gets an
// exact recompute of its keys' summaries instead.
import { fromSqlNumber, toSqlNumber } from '../codec.js';
import { InvalidInputError } from '../errors.js';
import type { MetricPoint, MetricSummary, RunMetricSummary, SeriesPoint } from '../types.js';
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

/** The last point per (key, step) wins, as it would replayed one by one (one pass when there are no repeats). */
function dedupe(points: MetricPoint[], now: number): MetricRow[] {
  const rows = points.map((p) => ({ key: p.key, step: p.step, value: toSqlNumber(p.value), wallMs: p.wallMs ?? now }));
  const seen = new Map<string, Set<number>>();
  let repeats = false;
  for (const r of rows) {
    let steps = seen.get(r.key);
    if (steps == null) seen.set(r.key, (steps = new Set()));
    if (steps.has(r.step)) repeats = true;
    steps.add(r.step);
  }
  if (!repeats) return rows;
  const last = new Map<string, MetricRow>();
  for (const r of rows) last.set(`${r.step}\u0000${r.key}`, r);
  return [...last.values()];
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

/** The (key, lo, hi) ranges of a batch as a table of constants. */
function rangesTable(list: Range[]): { cte: string; args: SqlArg[] } {
  const rows = list.map(() => '(CAST(? AS TEXT), CAST(? AS BIGINT), CAST(? AS BIGINT))').join(', ');
  return { cte: `WITH r(key, lo, hi) AS (VALUES ${rows})`, args: list.flatMap((g) => [g.key, g.lo, g.hi]) };
}

/** Whole series of these keys (a recompute after an overwrite or a truncation). */
const ALL_STEPS = Number.MAX_SAFE_INTEGER;

/**
 * One key's points within its range, as a correlated subquery of the ranges table. Correlated
 * scalar subqueries are run per key as index range scans by both engines, whatever their
 * statistics say; as joins, a planner with stale statistics scanned every point of the run.
 */
const IN_RANGE = 'FROM metrics p WHERE p.run_id = ? AND p.key = r.key AND p.step BETWEEN r.lo AND r.hi';

/**
 * The keys of `list` that may already have points within their range (a retry, or a replay
 * after resume): those whose stored last step reaches the range. One primary-key lookup per key
 * in metric_summary; new points appended after the last step (the usual batch) never qualify.
 */
async function keysWithPoints(tx: SqlConnection, runId: string, list: Range[]): Promise<Set<string>> {
  const rows = await tx.all<{ key: string; last_step: number }>(
    `SELECT key, last_step FROM metric_summary WHERE run_id = ? AND key IN (${list.map(() => '?').join(', ')})`, [runId, ...list.map((g) => g.key)]);
  const lo = new Map(list.map((g) => [g.key, g.lo]));
  return new Set(rows.filter((r) => r.last_step >= lo.get(r.key)!).map((r) => r.key));
}

const MERGE_SUMMARY = (d: Dialect) => `last_step = CASE WHEN excluded.last_step >= metric_summary.last_step THEN excluded.last_step ELSE metric_summary.last_step END,
       last_value = CASE WHEN excluded.last_step >= metric_summary.last_step THEN excluded.last_value ELSE metric_summary.last_value END,
       min_value = CASE WHEN metric_summary.min_value IS NULL THEN excluded.min_value WHEN excluded.min_value IS NULL THEN metric_summary.min_value
                        ELSE ${d.least}(metric_summary.min_value, excluded.min_value) END,
       max_value = CASE WHEN metric_summary.max_value IS NULL THEN excluded.max_value WHEN excluded.max_value IS NULL THEN metric_summary.max_value
                        ELSE ${d.greatest}(metric_summary.max_value, excluded.max_value) END,
       count = metric_summary.count + excluded.count`;

interface BatchSummary {
  key: string;
  last: MetricRow;
  min: number | null;
  max: number | null;
  count: number;
}

/** Each key's summary of the batch's own points (SQL's min/max skip NULL, that is NaN: so do these). */
function batchSummaries(rows: MetricRow[]): Map<string, BatchSummary> {
  const byKey = new Map<string, BatchSummary>();
  for (const r of rows) {
    const s = byKey.get(r.key);
    if (s == null) {
      byKey.set(r.key, { key: r.key, last: r, min: r.value, max: r.value, count: 1 });
      continue;
    }
    if (r.step > s.last.step) s.last = r;
    if (r.value != null) {
      s.min = s.min == null ? r.value : Math.min(s.min, r.value);
      s.max = s.max == null ? r.value : Math.max(s.max, r.value);
    }
    s.count++;
  }
  return byKey;
}

/** Merges summaries of brand-new points, computed from the batch itself (no read back). */
async function extendSummaries(tx: SqlConnection, d: Dialect, runId: string, summaries: BatchSummary[]): Promise<void> {
  if (summaries.length === 0) return;
  const values = summaries.flatMap((s) => [runId, s.key, s.last.step, s.last.value, s.min, s.max, s.count]);
  await tx.run(`INSERT INTO metric_summary (run_id, key, last_step, last_value, min_value, max_value, count)
     VALUES ${summaries.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}
     ON CONFLICT (run_id, key) DO UPDATE SET ${MERGE_SUMMARY(d)}`, values);
}

/** Recomputes the summaries of these keys from all their stored points (after overwrites or a truncation). */
async function recomputeSummaries(tx: SqlConnection, runId: string, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  const ranges = rangesTable(keys.map((key) => ({ key, lo: 0, hi: ALL_STEPS })));
  const merge = 'last_step = excluded.last_step, last_value = excluded.last_value, min_value = excluded.min_value, max_value = excluded.max_value, count = excluded.count';
  await tx.run(
    `${ranges.cte}, agg AS (
       SELECT r.key,
              (SELECT p.step ${IN_RANGE} ORDER BY p.step DESC LIMIT 1) AS last_step,
              (SELECT p.value ${IN_RANGE} ORDER BY p.step DESC LIMIT 1) AS last_value,
              (SELECT min(p.value) ${IN_RANGE}) AS mn, (SELECT max(p.value) ${IN_RANGE}) AS mx, (SELECT count(*) ${IN_RANGE}) AS n
       FROM r)
     INSERT INTO metric_summary (run_id, key, last_step, last_value, min_value, max_value, count)
     SELECT ?, key, last_step, last_value, mn, mx, n FROM agg WHERE n > 0
     ON CONFLICT (run_id, key) DO UPDATE SET ${merge}`,
    [...ranges.args, runId, runId, runId, runId, runId, runId]);
}

/** A validated batch made ready outside the transaction, so the store's lock is held only for SQL. */
export interface PreparedMetrics {
  rows: MetricRow[];
  ranges: Range[];
  summaries: Map<string, BatchSummary>;
}

export function prepareMetrics(points: MetricPoint[], now: number): PreparedMetrics {
  const rows = dedupe(points, now);
  return { rows, ranges: ranges(rows), summaries: batchSummaries(rows) };
}

/** Writes a prepared batch for one run inside the caller's (fenced) transaction. */
export async function writeMetrics(tx: SqlConnection, d: Dialect, runId: string, attempt: number, batch: PreparedMetrics): Promise<void> {
  if (batch.rows.length === 0) return;
  const existing = await keysWithPoints(tx, runId, batch.ranges);
  await d.upsertMetrics(tx, runId, attempt, batch.rows, existing.size > 0);
  await extendSummaries(tx, d, runId, [...batch.summaries.values()].filter((s) => !existing.has(s.key)));
  await recomputeSummaries(tx, runId, [...existing]);
}

/** Removes points and images after `afterStep` and fixes the summaries. */
export async function truncateMetrics(tx: SqlConnection, runId: string, afterStep: number): Promise<number> {
  // The keys with points after the step are those whose last step is after it.
  const keys = (await tx.all<{ key: string }>('SELECT key FROM metric_summary WHERE run_id = ? AND last_step > ?', [runId, afterStep])).map((r) => r.key);
  const removed = await tx.run('DELETE FROM metrics WHERE run_id = ? AND step > ?', [runId, afterStep]);
  await tx.run('DELETE FROM images WHERE run_id = ? AND step > ?', [runId, afterStep]);
  if (keys.length > 0) {
    await tx.run(`DELETE FROM metric_summary WHERE run_id = ? AND key IN (${keys.map(() => '?').join(', ')})`, [runId, ...keys]);
    await recomputeSummaries(tx, runId, keys);
  }
  return removed;
}

interface SummaryRow { key: string; last_step: number; last_value: number | null; min_value: number | null; max_value: number | null; count: number }

export function toSummary(r: SummaryRow): MetricSummary {
  return { key: r.key, lastStep: r.last_step, last: fromSqlNumber(r.last_value), min: fromSqlNumber(r.min_value), max: fromSqlNumber(r.max_value), count: r.count };
}

export const SUMMARY_COLUMNS = 'key, last_step, last_value, min_value, max_value, count';

const firstStepOf = (bound: string) => `(SELECT MIN(m.step) FROM metrics m WHERE m.run_id = s.run_id AND m.key = s.key AND m.value = s.${bound})`;

/** One run's summaries with the first step of each extreme (found by the (run, key, step) index). */
export async function summaries(db: SqlConnection, runId: string): Promise<RunMetricSummary[]> {
  const rows = await db.all<SummaryRow & { min_step: number | null; max_step: number | null }>(
    `SELECT ${SUMMARY_COLUMNS}, ${firstStepOf('min_value')} AS min_step, ${firstStepOf('max_value')} AS max_step
     FROM metric_summary s WHERE s.run_id = ? ORDER BY key`, [runId]);
  return rows.map((r) => ({ ...toSummary(r), minStep: r.min_step, maxStep: r.max_step }));
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
