// Entry point of a worker process (forked by a sweep's coordinator or by `vaelab worker`). The
// store's location comes in VAELAB_DB (not argv: a PostgreSQL URL may hold a password).
import { runWorker } from './runner/worker.js';

const [sweepId, wait] = process.argv.slice(2);
try {
  await runWorker({ location: process.env.VAELAB_DB ?? '', sweepId: sweepId || undefined, wait: wait === 'wait' });
  process.exit(0);
} catch (error) {
  // One line: the kind of failure and what it names (the store, the disk), not a stack trace.
  console.error(`worker ${process.pid}: ${(error as Error).message}`);
  process.exit(1);
}
