import { describe, it, expect, afterAll } from 'vitest';
import { createTestDatabase, insertTenant } from '../../test/support/test-db.js';
import { migrate, MIGRATIONS, openDb } from './db.js';
import { sql } from 'kysely';

const t = await createTestDatabase();
afterAll(() => t.close());

describe('store', () => {
  it('migrations are idempotent: a second run changes nothing', async () => {
    await migrate(t.db);
    const rows = await sql<{ name: string }>`select name from aios_migrations order by name`.execute(t.db);
    expect(rows.rows.map((r) => r.name)).toEqual(Object.keys(MIGRATIONS).sort());
    expect(rows.rows[0]!.name).toBe('0001-backbone');
  });

  it('the audit log refuses updates and deletes', async () => {
    const tid = await insertTenant(t.db, 'auditco', '+14165550999');
    await t.db.insertInto('audit_log').values({ tenant_id: tid, actor: 'test', action: 'x', subject: null }).execute();
    await expect(t.db.updateTable('audit_log').set({ action: 'y' }).execute()).rejects.toThrow(/append-only/);
    await expect(t.db.deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/);
  });

  it('events are unique per tenant and dedup key', async () => {
    const tid = await insertTenant(t.db, 'evco', '+14165550998');
    const ev = { tenant_id: tid, source: 's', type: 't', dedup_key: 'k1', occurred_at: new Date(), payload: '{}' };
    await t.db.insertInto('events').values({ id: 'e1', ...ev }).execute();
    await expect(t.db.insertInto('events').values({ id: 'e2', ...ev }).execute()).rejects.toThrow(/duplicate key/);
  });

  it('a connection killed in the middle of a transaction fails that transaction, not the process; the pool carries on with a new one', async () => {
    // As when PostgreSQL restarts under a webhook's transaction: the backend is terminated (57P01)
    // while a client is checked out of the pool. Unhandled, pg's 'error' event on that client (the
    // termination notice, then EPIPE on the next write) ends the process.
    const { db } = openDb(t.url, 2);
    try {
      const tx = db.transaction().execute(async (trx) => {
        const pid = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)).rows[0]!.pid;
        await sql`select pg_terminate_backend(${pid}::int)`.execute(t.db);
        await new Promise((r) => setTimeout(r, 300)); // the notice and the socket's end arrive meanwhile
        await sql`select 1`.execute(trx);
      });
      await expect(tx).rejects.toThrow();
      await new Promise((r) => setTimeout(r, 100));
      expect((await sql<{ one: number }>`select 1 as one`.execute(db)).rows[0]!.one).toBe(1);
    } finally {
      await db.destroy();
    }
  });
});
