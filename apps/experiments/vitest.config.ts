import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@vaelab/source'] },
  test: { name: 'experiments', include: ['test/**/*.test.ts'], pool: 'forks' },
});
