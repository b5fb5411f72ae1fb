// Terminal progress for training: a live bar on a TTY, silence otherwise (callers print
// per-epoch lines, which suit logs and CI).
import cliProgress from 'cli-progress';

export interface ProgressReporter {
  start(epoch: number, total: number, done: number): void;
  update(done: number, values: { loss: number; samplesPerSec: number }): void;
  stop(): void;
}

export function createProgress(enabled: boolean = process.stderr.isTTY === true): ProgressReporter {
  if (!enabled) return { start() {}, update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      format: 'epoch {epoch} |{bar}| {value}/{total} steps | loss {loss} | {rate} samples/s | eta {eta_formatted}',
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  return {
    start(epoch, total, done) {
      bar.start(total, done, { epoch: epoch + 1, loss: '-', rate: '-' });
    },
    update(done, { loss, samplesPerSec }) {
      bar.update(done, { loss: loss.toFixed(2), rate: Math.round(samplesPerSec) });
    },
    stop() {
      bar.stop();
    },
  };
}
