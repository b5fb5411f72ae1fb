import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@vaelab/source'] },
  test: { name: 'core', include: ['test/**/*.test.ts'], pool: 'forks' },
});
