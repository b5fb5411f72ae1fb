// One claimer process for the tracking benchmark: claims and finishes trials until none are left.
import { openStore } from '../packages/tracking/dist/index.js';

const [location, sweepId] = process.argv.slice(2);
const store = await openStore(location, { poolSize: 1 });
const me = { pid: process.pid, host: 'bench' };
let claimed = 0;
// Timed from this process's first claim: process start-up and connecting are not claims.
const first = Date.now();
for (let run = await store.claimTrial(me, sweepId); run; run = await store.claimTrial(me, sweepId)) {
  await store.endRun({ runId: run.id, attempt: run.attempt }, 'finished');
  claimed++;
}
process.stdout.write(JSON.stringify({ claimed, first, last: Date.now() }));
await store.close();
