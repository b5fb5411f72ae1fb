// Per-package vitest settings: tests import workspace packages from their TypeScript
// sources (the "@vaelab/source" export condition), so they never run against a stale dist/.
import { defineProject } from 'vitest/config';

export interface ProjectOptions {
  /** Start one throwaway PostgreSQL server for the package's tests (test/postgres-setup.ts). */
  postgres?: boolean;
}

export function packageProject(name: string, options: ProjectOptions = {}) {
  // Vite adds import/require/default by itself; naming "import" here would also be passed to Node
  // for externals, handing CommonJS packages (pg) their ESM entry from require().
  const conditions = ['@vaelab/source', 'node', 'development|production'];
  return defineProject({
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: ['@vaelab/source'] } },
    test: {
      name, include: ['test/**/*.test.ts'], pool: 'forks', testTimeout: 120_000, hookTimeout: 120_000,
      ...(options.postgres ? { globalSetup: ['test/postgres-setup.ts'] } : {}),
    },
  });
}
