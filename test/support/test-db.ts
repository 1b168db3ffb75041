import { inject } from 'vitest';
import { withDatabaseName } from '../../src/store/database-url.js';
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { openDb, migrate, type Db } from '../../src/store/db.js';

/** A fresh, migrated database of its own for one test file. */
export interface TestDatabase {
  url: string;
  db: Db;
  close(): Promise<void>;
}

/**
 * Creates `aios_t_<random>` on the shared test server and migrates it. Outside vitest (a benchmark
 * script) the server is `AIOS_TEST_PG_ADMIN_URL`, e.g. from `startTestPostgres` in pg-process.ts.
 */
export async function createTestDatabase(opts: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const admin = process.env.AIOS_TEST_PG_ADMIN_URL ?? inject('pgAdminUrl');
  const name = `aios_t_${randomBytes(5).toString('hex')}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`create database ${name}`);
  await c.end();
  const url = withDatabaseName(admin, name);
  const { db } = openDb(url, 5);
  if (opts.migrate !== false) await migrate(db);
  return { url, db, close: () => db.destroy() };
}

/** Inserts a minimal tenant row and returns its id. */
export async function insertTenant(db: Db, slug: string, phone: string, tz = 'America/Toronto'): Promise<string> {
  const id = `tn_${slug}`;
  await db.insertInto('tenants').values({ id, slug, name: slug, time_zone: tz, phone }).execute();
  return id;
}
