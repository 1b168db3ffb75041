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
    // Files share one Dovecot and one Radicale, and the IMAP suite stops and restarts Dovecot:
    // run them one after another.
    fileParallelism: false,
    maxWorkers: 2,
    // The test servers (Dovecot, Radicale, local ICS/MCP/HTTP stubs) listen on loopback, which an
    // instance refuses by default (src/connection/framework/address-policy.ts). Tests of the
    // refusal pass their own policy or harness config.
    env: { AIOS_ALLOW_LOOPBACK: '1' },
  },
});
