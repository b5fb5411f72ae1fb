// The sweep's live status line(s): trials done/running/failed, each running trial's epoch and
// loss, and an ETA from finished trials' durations. Redrawn in place on a terminal; elsewhere a
// line whenever the counts change, at most every few seconds.
import type { RunStatus } from '@vaelab/tracking';
import type { TrialProgress } from './run-trial.js';

export interface ProgressState {
  total: number;
  counts: Record<RunStatus, number>;
  running: Map<string, TrialProgress & { name: string }>;
  /** Seconds taken by each trial finished in this session. */
  durations: number[];
  parallel: number;
}

function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.round(s)}s`;
}

/** The share of a running trial already done, from its epoch and step progress. */
function fractionDone(p: TrialProgress): number {
  return p.epochs > 0 && p.epochs <= 1e5 ? Math.min(1, (p.epoch + 0.5) / p.epochs) : 0;
}

export function progressLines(state: ProgressState): string[] {
  const { counts, total } = state;
  const done = counts.finished + counts.failed + counts.crashed + counts.killed + counts.pruned;
  // Trials in progress count by how far they are, so the ETA keeps moving during the last one.
  const remaining = total - done - [...state.running.values()].reduce((n, p) => n + fractionDone(p), 0);
  const mean = state.durations.length > 0 ? state.durations.reduce((a, b) => a + b, 0) / state.durations.length : NaN;
  const eta = remaining <= 0 ? 0 : (mean * remaining) / Math.max(1, Math.min(state.parallel, Math.ceil(remaining)));
  const lost = counts.crashed > 0 ? ` · ${counts.crashed} crashed` : '';
  const head = `trials ${done}/${total} done · ${counts.running} running · ${counts.failed} failed${lost} · ${counts.pending} pending · ETA ${formatSeconds(eta)}`;
  const rows = [...state.running.values()].map((p) =>
    `  ${p.name}: epoch ${p.epoch + 1}/${p.epochs > 1e5 ? '∞' : p.epochs}, step ${p.step}, loss ${p.loss.toFixed(4)}`);
  return [head, ...rows];
}

export class ProgressView {
  private drawn = 0;
  private lastLine = '';
  private lastAt = 0;

  constructor(private readonly out: NodeJS.WriteStream = process.stderr) {}

  render(state: ProgressState): void {
    const lines = progressLines(state);
    if (this.out.isTTY) {
      const clear = this.drawn > 0 ? `\x1b[${this.drawn}F\x1b[J` : '';
      this.out.write(`${clear}${lines.map((l) => l.slice(0, (this.out.columns ?? 120) - 1)).join('\n')}\n`);
      this.drawn = lines.length;
    } else if ((lines[0] !== this.lastLine && Date.now() - this.lastAt > 3000) || Date.now() - this.lastAt > 30_000) {
      this.out.write(`${lines.join('\n')}\n`);
      this.lastLine = lines[0];
      this.lastAt = Date.now();
    }
  }

  /** Stops redrawing: later output starts below the last frame. */
  release(): void {
    this.drawn = 0;
  }
}
