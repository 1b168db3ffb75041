import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/store/embedded-postgres.js';
import { createLogger } from '../../src/core/logger.js';

let pg: EmbeddedDatabase | undefined;
let dir: string | undefined;

/**
 * One embedded PostgreSQL for the whole test run (about 1.5 s to start). Each test file creates
 * its own database in it (see `test-db.ts`), so files run in parallel without sharing rows.
 */
export async function setup(project: TestProject): Promise<void> {
  dir = mkdtempSync(join(tmpdir(), 'aios-test-pg-'));
  if (process.getuid?.() === 0) {
    const { chmodSync } = await import('node:fs');
    chmodSync(dir, 0o755);
  }
  pg = await startEmbeddedPostgres(join(dir, 'pg'), createLogger('test-pg'));
  project.provide('pgAdminUrl', pg.url);
}

export async function teardown(): Promise<void> {
  await pg?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
  }
}
