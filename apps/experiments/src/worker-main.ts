// Entry point of a sweep worker process (forked by the coordinator).
import { runWorker } from './runner/worker.js';

const [db, sweepId, checkpointDir] = process.argv.slice(2);
try {
  await runWorker({ db, sweepId, checkpointDir });
  process.exit(0);
} catch (error) {
  console.error(`worker ${process.pid}: ${(error as Error).stack ?? error}`);
  process.exit(1);
}
