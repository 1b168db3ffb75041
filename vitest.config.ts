import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: true,
    maxWorkers: 2,
    // The test servers (Dovecot, Radicale, local ICS/MCP/HTTP stubs) listen on loopback, which an
    // instance refuses by default (src/connection/framework/address-policy.ts). Tests of the
    // refusal pass their own policy or harness config.
    env: { AIOS_ALLOW_LOOPBACK: '1' },
  },
});
