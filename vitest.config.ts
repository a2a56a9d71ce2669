import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // CLI tests spawn bin/tarl.js: run it on the sources under test, never on a stale build.
    env: { TARL_FROM_SOURCES: '1' },
  },
});
