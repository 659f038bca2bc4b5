import { defineConfig } from 'vitest/config';

// Browser tests: real API + worker + MariaDB + Redis, Debian Chromium driven by playwright-core.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['e2e/**/*.e2e.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
