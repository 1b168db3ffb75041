import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { createTestDatabase } from '../../test/support/test-db.js';
import { createLogger } from '../core/logger.js';
import { ConfigError } from '../core/errors.js';
import { openDb } from './db.js';
import { appRoleName, prepareAppDatabase } from './app-role.js';

const t = await createTestDatabase({ migrate: false });
const home = mkdtempSync(join(tmpdir(), 'aios-role-'));
const log = createLogger('test');
afterAll(async () => {
  await t.close();
  rmSync(home, { recursive: true, force: true });
});

describe('prepareAppDatabase', () => {
  it('several workers starting together agree on one role and one password', async () => {
    const urls = await Promise.all([1, 2, 3].map(() => prepareAppDatabase({ adminUrl: t.url, appUrl: null, home, log })));
    expect(new Set(urls).size).toBe(1);
    const app = openDb(urls[0]!, 1);
    try {
      const me = await sql<{ u: string; s: boolean }>`select current_user as u, rolsuper as s from pg_roles where rolname = current_user`.execute(app.db);
      expect(me.rows[0]).toEqual({ u: appRoleName(new URL(t.url).pathname.slice(1)), s: false });
      await app.db.insertInto('tenants').values({ id: 'tn_x', slug: 'x', name: 'X', time_zone: 'UTC' }).execute();
    } finally {
      await app.db.destroy();
    }
  });

  it('refuses a DATABASE_URL beside the admin URL that is a superuser or names another database', async () => {
    const superuser = await prepareAppDatabase({ adminUrl: t.url, appUrl: t.url, home, log }).catch((e: unknown) => e);
    expect(superuser).toBeInstanceOf(ConfigError);
    expect((superuser as ConfigError).field).toBe('DATABASE_URL');
    expect((superuser as ConfigError).message).toMatch(/superuser/);
    const other = await prepareAppDatabase({ adminUrl: t.url, appUrl: t.url.replace(/\/[^/]+$/, '/elsewhere'), home, log }).catch((e: unknown) => e);
    expect((other as ConfigError).message).toMatch(/same database|names database "elsewhere"/);
  });

  it('role names stay within PostgreSQL’s 63 bytes and differ per database', () => {
    const long = 'a'.repeat(70);
    expect(Buffer.byteLength(appRoleName(long))).toBeLessThanOrEqual(63);
    expect(appRoleName(long)).not.toBe(appRoleName(long + 'b'));
    expect(appRoleName('aios')).toBe('aios_app');
  });
});
