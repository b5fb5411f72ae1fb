// Sweeps: trials materialised up front (unique params hash per sweep) with the resolved config
// each worker builds them from; claimed by one atomic UPDATE … RETURNING (row locks skipped on
// PostgreSQL) so two workers never get the same trial; re-queued within a retry limit; settled
// when nothing is left to run.
import { newId } from './ids.js';
import { canonicalJson, flattenParams, hashOf } from '../codec.js';
import { NotFoundError } from '../errors.js';
import { type RunStatus, type StatusCounts, type SweepInput, type SweepRecord, type SweepStatus, DEFAULT_LEASE_MS, type Params } from '../types.js';
import { checkString, fail } from '../validate.js';
import type { Dialect, SqlArg, SqlConnection } from './dialect.js';
import { type RunRow, type SweepRow, toRunRecord, toSweepRecord } from './run-rows.js';

/** Multi-row INSERT in chunks (one statement per chunk rather than per row). */
export async function insertRows(tx: SqlConnection, head: string, width: number, rows: SqlArg[][], tail = ''): Promise<void> {
  const perChunk = Math.max(1, Math.floor(4000 / width));
  const tuple = `(${Array.from({ length: width }, () => '?').join(', ')})`;
  for (let i = 0; i < rows.length; i += perChunk) {
    const chunk = rows.slice(i, i + perChunk);
    await tx.run(`${head} VALUES ${chunk.map(() => tuple).join(', ')} ${tail}`, chunk.flat());
  }
}

export function paramRows(runId: string, params: Params): SqlArg[][] {
  return flattenParams(params).map(([key, value]) => {
    checkString(`params.${key}`, key);
    if (typeof value === 'string') checkString(`params.${key}`, value);
    const num = typeof value === 'number' ? value : typeof value === 'boolean' ? Number(value) : null;
    return [runId, key, num, typeof value === 'string' ? value : num === null ? canonicalJson(value) : null];
  });
}

export const INSERT_PARAMS = 'INSERT INTO run_params (run_id, key, value_num, value_text)';

export function emptyCounts(): StatusCounts {
  return { pending: 0, running: 0, finished: 0, failed: 0, crashed: 0, killed: 0, pruned: 0 };
}

export async function statusCounts(db: SqlConnection, sweepId: string): Promise<StatusCounts> {
  const counts = emptyCounts();
  const rows = await db.all<{ status: RunStatus; n: number }>('SELECT status, count(*) AS n FROM runs WHERE sweep_id = ? GROUP BY status', [sweepId]);
  for (const r of rows) counts[r.status] = r.n;
  return counts;
}

/** The trials define a sweep: re-creating it with other settings (retries, parallel) is the same sweep. */
function trialsHash(input: SweepInput): string {
  return hashOf({ method: input.method, trials: input.trials.map((t) => [t.params, t.variant ?? null, t.name ?? null, t.config ?? null]) });
}

export async function createSweep(d: Dialect, input: SweepInput, now: number): Promise<{ sweep: SweepRecord; created: boolean }> {
  checkString('sweep.name', input.name);
  if (input.leaseMs !== undefined && !(Number.isInteger(input.leaseMs) && input.leaseMs >= 1000)) fail('sweep.leaseMs', 'an integer ≥ 1000 ms', input.leaseMs);
  const configHash = trialsHash(input);
  const seen = new Map<string, number>();
  const hashes = input.trials.map((trial, i) => {
    if (trial.name !== undefined) checkString(`trials[${i}].name`, trial.name);
    const hash = hashOf(trial.params);
    if (seen.has(hash)) throw new Error(`sweep "${input.name}": trials ${seen.get(hash)} and ${i} have identical params`);
    seen.set(hash, i);
    return hash;
  });
  return d.write(async (tx) => {
    const existing = await tx.get<SweepRow>('SELECT * FROM sweeps WHERE name = ?', [input.name]);
    if (existing) {
      if (existing.config_hash !== configHash) {
        throw new Error(`sweep "${input.name}" already exists with different trials; choose another name or delete the old sweep`);
      }
      return { sweep: toSweepRecord(existing), created: false };
    }
    const id = newId(now);
    await tx.run(`INSERT INTO sweeps (id, name, config_text, config_hash, method, metric_name, metric_goal, max_retries, lease_ms, settings_json, status, created_at)
                  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)`,
    [id, input.name, input.configText, configHash, input.method, input.metric?.name ?? null, input.metric?.goal ?? null, input.maxRetries ?? 0,
      input.leaseMs ?? DEFAULT_LEASE_MS, JSON.stringify(input.settings ?? {}), now]);
    const runs: SqlArg[][] = [];
    const params: SqlArg[][] = [];
    input.trials.forEach((trial, i) => {
      const runId = newId(now);
      runs.push([runId, id, i, trial.name ?? `${input.name}#${i}`, trial.variant ?? null, canonicalJson(trial.params), hashes[i],
        trial.config === undefined ? null : JSON.stringify(trial.config), now]);
      params.push(...paramRows(runId, trial.params));
    });
    await insertRows(tx, `INSERT INTO runs (id, sweep_id, trial, name, variant, status, params_json, params_hash, config_json, created_at)`, 10,
      runs.map((r) => [...r.slice(0, 5), 'pending', ...r.slice(5)]));
    await insertRows(tx, INSERT_PARAMS, 4, params);
    return { sweep: toSweepRecord((await tx.get<SweepRow>('SELECT * FROM sweeps WHERE id = ?', [id]))!), created: true };
  });
}

/** The sweep to claim from: the given one if open, else the oldest open sweep with a pending trial. */
async function openSweep(tx: SqlConnection, sweepId: string | undefined): Promise<string | null> {
  const row = await tx.get<{ id: string }>(
    `SELECT s.id FROM sweeps s WHERE s.status IN ('pending', 'running') ${sweepId === undefined ? '' : 'AND s.id = ?'}
       AND EXISTS (SELECT 1 FROM runs r WHERE r.sweep_id = s.id AND r.status = 'pending')
     ORDER BY s.created_at, s.id LIMIT 1`, sweepId === undefined ? [] : [sweepId]);
  return row?.id ?? null;
}

export async function claimTrial(d: Dialect, worker: { pid: number; host: string }, now: number, sweepId?: string) {
  const row = await d.write(async (tx) => {
    const from = await openSweep(tx, sweepId);
    if (from == null) return undefined;
    // One statement: the lowest pending trial (rows other workers are claiming are skipped on PostgreSQL).
    const claimed = await tx.get<RunRow>(
      `UPDATE runs SET status = 'running', attempt = attempt + 1, worker_pid = ?, worker_host = ?, heartbeat_at = ?,
              lease_expires_at = ? + (SELECT lease_ms FROM sweeps WHERE sweeps.id = runs.sweep_id), started_at = ?, ended_at = NULL, error = NULL
       WHERE id = (SELECT r.id FROM runs r WHERE r.sweep_id = ? AND r.status = 'pending' ORDER BY r.trial LIMIT 1 ${d.skipLocked()})
       RETURNING *`,
      [worker.pid, worker.host, now, now, now, from]);
    if (claimed) await tx.run("UPDATE sweeps SET status = 'running' WHERE id = ? AND status = 'pending'", [from]);
    return claimed;
  });
  return row ? toRunRecord(row) : null;
}

/** Puts trials in the given states back to pending (reopening a settled sweep). */
export async function requeueTrials(d: Dialect, sweepId: string, statuses: RunStatus[], withinRetries: boolean): Promise<number> {
  if (statuses.length === 0) return 0;
  return d.write(async (tx) => {
    const changed = await tx.run(
      `UPDATE runs SET status = 'pending', worker_pid = NULL, heartbeat_at = NULL, lease_expires_at = NULL
       WHERE sweep_id = ? AND status IN (${statuses.map(() => '?').join(', ')})
         ${withinRetries ? 'AND attempt <= (SELECT max_retries FROM sweeps WHERE sweeps.id = runs.sweep_id)' : ''}`,
      [sweepId, ...statuses]);
    if (changed > 0) await tx.run("UPDATE sweeps SET status = 'running' WHERE id = ? AND status IN ('finished', 'failed', 'killed')", [sweepId]);
    return changed;
  });
}

/** When no trial is pending or running: killed if any was killed, finished if all finished, else failed. */
export async function settleSweep(tx: SqlConnection, sweepId: string): Promise<SweepStatus> {
  // Take the sweep row's lock before looking at its trials. On PostgreSQL (read committed) two
  // trials ending at once each saw the other still running, and neither settled the sweep; now the
  // second waits for the first to commit and then sees both. (SQLite's one writer had no race.)
  if ((await tx.run('UPDATE sweeps SET status = status WHERE id = ?', [sweepId])) === 0) throw new NotFoundError('sweep', sweepId);
  const current = (await tx.get<{ status: SweepStatus }>('SELECT status FROM sweeps WHERE id = ?', [sweepId]))!.status;
  // An index lookup, not a count over every trial: most trials end while others still run.
  const open = await tx.get<{ one: number }>("SELECT 1 AS one FROM runs WHERE sweep_id = ? AND status IN ('pending', 'running') LIMIT 1", [sweepId]);
  if (open != null) return current;
  const c = await statusCounts(tx, sweepId);
  const status: SweepStatus = c.killed > 0 ? 'killed' : c.failed + c.crashed > 0 ? 'failed' : 'finished';
  if (status !== current) await tx.run('UPDATE sweeps SET status = ? WHERE id = ?', [status, sweepId]);
  return status;
}
