import { defineConfig } from 'vitest/config';

// tfjs and better-sqlite3 dislike worker threads: every project runs in forked processes.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*'],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
