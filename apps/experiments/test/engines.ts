// The store engines every conformance test runs against (PostgreSQL when the run's throwaway
// server is up: see postgres-setup.ts).
import { inject } from 'vitest';
import { storeEngines, type TestPostgresInfo } from '@vaelab/tracking/testing';

declare module 'vitest' {
  export interface ProvidedContext {
    postgres: TestPostgresInfo | null;
  }
}

export function postgresServer(): TestPostgresInfo | null {
  return inject('postgres');
}

export const engines = () => storeEngines(postgresServer());
