// Per-package vitest settings: tests import workspace packages from their TypeScript
// sources (the "@vaelab/source" export condition), so they never run against a stale dist/.
import { defineProject } from 'vitest/config';

export function packageProject(name: string) {
  const conditions = ['@vaelab/source', 'node', 'import', 'default'];
  return defineProject({
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: conditions } },
    test: { name, include: ['test/**/*.test.ts'], pool: 'forks', testTimeout: 120_000, hookTimeout: 120_000 },
  });
}
