// One PostgreSQL server for this package's test run (skipped with a message without binaries).
export { postgresGlobalSetup as default } from '../src/testing/postgres-server.js';
