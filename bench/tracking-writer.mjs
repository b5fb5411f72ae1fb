// One writer process for the tracking benchmark: logs `batches` batches of `batchSize` points.
import { openStore } from '../packages/tracking/dist/index.js';

const [location, batches, batchSize] = process.argv.slice(2).map((v, i) => (i === 0 ? v : Number(v)));
const store = await openStore(location, { poolSize: 1 });
const run = await store.createRun({ params: { writer: process.pid } });
const started = performance.now();
for (let b = 0; b < batches; b++) {
  await store.logMetrics(run.lease, Array.from({ length: batchSize }, (_, i) => ({ key: `m${i % 10}`, step: b * (batchSize / 10) + Math.floor(i / 10), value: Math.random() })));
}
process.stdout.write(JSON.stringify({ ms: performance.now() - started, rows: batches * batchSize }));
await store.close();
