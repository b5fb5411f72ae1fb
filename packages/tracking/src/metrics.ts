// Metric series: batched, idempotent upserts keyed by (run, key, step), with latest/min/max
// kept incrementally; a replayed or resumed range is recomputed so summaries stay exact.
import type { Db } from './db.js';
import { fromSqlNumber, toSqlNumber } from './codec.js';
import type { MetricPoint, MetricSummary } from './types.js';
import { checkKey, checkStep, checkValue, fail } from './validate.js';

/** Rebuilds one (run, key) summary from its points; removes it when none are left. */
const RECOMPUTE_SUMMARY = `INSERT OR REPLACE INTO metric_summary (run_id, key, last_step, last_value, min_value, max_value, count)
     SELECT @run, @key, m.step, m.value, agg.mn, agg.mx, agg.n
     FROM (SELECT max(step) AS last_step, min(value) AS mn, max(value) AS mx, count(*) AS n FROM metrics WHERE run_id = @run AND key = @key) agg
     JOIN metrics m ON m.run_id = @run AND m.key = @key AND m.step = agg.last_step`;

interface Group {
  key: string;
  minStep: number;
  maxStep: number;
}

export function validatePoints(points: MetricPoint[]): void {
  if (!Array.isArray(points)) throw new Error('metrics: expected an array of {key, step, value}');
  points.forEach((p, i) => {
    checkKey(`metrics[${i}].key`, p?.key);
    checkStep(`metrics[${i}].step`, p.step);
    checkValue(`metrics[${i}].value`, p.value);
    if (p.wallMs !== undefined && !(Number.isInteger(p.wallMs) && p.wallMs >= 0)) {
      fail(`metrics[${i}].wallMs`, 'a non-negative integer (ms since the epoch)', p.wallMs);
    }
  });
}

export function metricWriter(db: Db) {
  const upsert = db.prepare(
    `INSERT INTO metrics (run_id, key, step, value, wall_ms) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (run_id, key, step) DO UPDATE SET value = excluded.value, wall_ms = excluded.wall_ms`);
  const existingInRange = db.prepare('SELECT count(*) AS n FROM metrics WHERE run_id = ? AND key = ? AND step BETWEEN ? AND ?').pluck();
  const recompute = db.prepare(RECOMPUTE_SUMMARY);
  const extend = db.prepare(
    `INSERT INTO metric_summary (run_id, key, last_step, last_value, min_value, max_value, count)
     SELECT @run, @key, m.step, m.value, agg.mn, agg.mx, agg.n
     FROM (SELECT max(step) AS last_step, min(value) AS mn, max(value) AS mx, count(*) AS n
           FROM metrics WHERE run_id = @run AND key = @key AND step BETWEEN @lo AND @hi) agg
     JOIN metrics m ON m.run_id = @run AND m.key = @key AND m.step = agg.last_step
     WHERE true
     ON CONFLICT (run_id, key) DO UPDATE SET
       last_step = CASE WHEN excluded.last_step >= last_step THEN excluded.last_step ELSE last_step END,
       last_value = CASE WHEN excluded.last_step >= last_step THEN excluded.last_value ELSE last_value END,
       min_value = CASE WHEN min_value IS NULL THEN excluded.min_value WHEN excluded.min_value IS NULL THEN min_value ELSE min(min_value, excluded.min_value) END,
       max_value = CASE WHEN max_value IS NULL THEN excluded.max_value WHEN excluded.max_value IS NULL THEN max_value ELSE max(max_value, excluded.max_value) END,
       count = count + excluded.count`);

  /** Writes points for one run inside the caller's transaction. */
  return (runId: string, points: MetricPoint[], now: number): void => {
    const groups = new Map<string, Group>();
    for (const p of points) {
      const g = groups.get(p.key);
      if (g == null) groups.set(p.key, { key: p.key, minStep: p.step, maxStep: p.step });
      else {
        g.minStep = Math.min(g.minStep, p.step);
        g.maxStep = Math.max(g.maxStep, p.step);
      }
    }
    // A batch that overwrites existing points (retry, replay after resume) gets an exact recompute.
    const overwrites = new Set<string>();
    for (const g of groups.values()) {
      if ((existingInRange.get(runId, g.key, g.minStep, g.maxStep) as number) > 0) overwrites.add(g.key);
    }
    for (const p of points) upsert.run(runId, p.key, p.step, toSqlNumber(p.value), p.wallMs ?? now);
    for (const g of groups.values()) {
      if (overwrites.has(g.key)) recompute.run({ run: runId, key: g.key });
      else extend.run({ run: runId, key: g.key, lo: g.minStep, hi: g.maxStep });
    }
  };

}

/** Removes points after `step` (a resumed run replays from there) and fixes the summaries. */
export function truncateMetrics(db: Db, runId: string, afterStep: number): number {
  const keys = db.prepare('SELECT DISTINCT key FROM metrics WHERE run_id = ? AND step > ?').pluck().all(runId, afterStep) as string[];
  const removed = db.prepare('DELETE FROM metrics WHERE run_id = ? AND step > ?').run(runId, afterStep).changes;
  db.prepare('DELETE FROM images WHERE run_id = ? AND step > ?').run(runId, afterStep);
  const deleteSummary = db.prepare('DELETE FROM metric_summary WHERE run_id = ? AND key = ?');
  const recompute = db.prepare(RECOMPUTE_SUMMARY);
  for (const key of keys) {
    deleteSummary.run(runId, key);
    recompute.run({ run: runId, key });
  }
  return removed;
}

interface SummaryRow { key: string; last_step: number; last_value: number | null; min_value: number | null; max_value: number | null; count: number }

export function summaries(db: Db, runId: string): MetricSummary[] {
  const rows = db.prepare('SELECT key, last_step, last_value, min_value, max_value, count FROM metric_summary WHERE run_id = ? ORDER BY key').all(runId) as SummaryRow[];
  return rows.map((r) => ({ key: r.key, lastStep: r.last_step, last: fromSqlNumber(r.last_value), min: fromSqlNumber(r.min_value), max: fromSqlNumber(r.max_value), count: r.count }));
}

export interface SeriesPoint {
  step: number;
  value: number;
  wallMs: number;
}

/**
 * A metric series; with `maxPoints`, long series are cut into buckets of steps and each
 * bucket keeps its minimum and maximum points, so spikes survive downsampling.
 */
export function series(db: Db, runId: string, key: string, maxPoints?: number): SeriesPoint[] {
  const rows = db.prepare('SELECT step, value, wall_ms FROM metrics WHERE run_id = ? AND key = ? ORDER BY step').raw().all(runId, key) as [number, number | null, number][];
  const points = rows.map(([step, value, wallMs]) => ({ step, value: fromSqlNumber(value), wallMs }));
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
