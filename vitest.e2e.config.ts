import { defineConfig } from 'vitest/config';

/**
 * End-to-end suites against real local servers (Dovecot, Radicale, Chromium). Start them first:
 * `sudo scripts/test-services.sh up`; then `npm run test:e2e`.
 */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    exclude: ['node_modules/**'],
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: true,
    maxWorkers: 2,
  },
});
