import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, insertTenant, type TestDatabase } from '../../../test/support/test-db.js';
import { SavepointDb } from './savepoint-db.js';
import { withBookingLock } from '../booking/booking-lock.js';
import type { Db } from '../../store/db.js';

let t: TestDatabase;
let tenantId: string;
class Rollback extends Error {}

beforeAll(async () => {
  t = await createTestDatabase();
  tenantId = await insertTenant(t.db, 'sp', '+14165550100');
});
afterAll(() => t?.close());

/** Runs `fn` on a SavepointDb inside one transaction that is always rolled back. */
async function inShadow(fn: (sp: SavepointDb) => Promise<void>): Promise<void> {
  await t.db.transaction().execute(async (tx) => {
    await fn(new SavepointDb(tx));
    throw new Rollback();
  }).catch((err: unknown) => {
    if (!(err instanceof Rollback)) throw err;
  });
}
const contacts = (db: Db) => db.selectFrom('contacts').select('phone').where('tenant_id', '=', tenantId).orderBy('phone').execute();
const insert = (db: Db, phone: string) => db.insertInto('contacts').values({ id: `ct_${phone.slice(1)}`, tenant_id: tenantId, phone }).execute();

describe('SavepointDb: nested transactions over one rolled-back transaction', () => {
  it('a nested transaction commits into the outer one (a savepoint), a failed one is undone alone, and the rollback removes everything', async () => {
    await inShadow(async (sp) => {
      await sp.db.transaction().execute((tx) => insert(tx, '+10000000001'));
      await expect(sp.db.transaction().execute(async (tx) => {
        await insert(tx, '+10000000002');
        await insert(tx, '+10000000001'); // duplicate id: the statement fails
      })).rejects.toThrow();
      // The outer transaction is still usable and keeps the first insert only.
      expect(await contacts(sp.db)).toEqual([{ phone: '+10000000001' }]);
      // Nested twice (raise inside a step inside a transaction).
      await sp.db.transaction().execute(() => sp.db.transaction().execute((b) => insert(b, '+10000000003')));
      expect((await contacts(sp.db)).length).toBe(2);
      expect(sp.depth).toBe(0);
    });
    expect(await contacts(t.db)).toEqual([]);
  });

  it('a failing step in a savepoint leaves the transaction usable (savepoint())', async () => {
    await inShadow(async (sp) => {
      await expect(sp.savepoint(async () => {
        await insert(sp.db, '+10000000004');
        await sql`select 1/0`.execute(sp.db);
      })).rejects.toThrow(/division by zero/);
      await insert(sp.db, '+10000000005');
      expect(await contacts(sp.db)).toEqual([{ phone: '+10000000005' }]);
    });
  });

  it('booking-lock advisory locks work inside it: taken in a savepoint, re-entrant, held by the shadow until the rollback', async () => {
    const key = `aios:bookings:${tenantId}`;
    const tryLock = async () => (await t.db.transaction().execute(async (tx) => (await sql<{ ok: boolean }>`select pg_try_advisory_xact_lock(hashtextextended(${key}, 0)) as ok`.execute(tx)).rows[0]!.ok));
    let heldMeanwhile: boolean | null = null;
    await inShadow(async (sp) => {
      await withBookingLock(sp.db, tenantId, async (tx) => {
        // Nested taker of the same lock in the same session does not block itself.
        await withBookingLock(sp.db, tenantId, (tx2) => insert(tx2, '+10000000006'));
        await insert(tx, '+10000000007');
      });
      // Another connection cannot take it while the shadow transaction is open…
      heldMeanwhile = !(await tryLock());
    });
    expect(heldMeanwhile).toBe(true);
    // …and can once it is rolled back; nothing the shadow wrote is left.
    expect(await tryLock()).toBe(true);
    expect(await contacts(t.db)).toEqual([]);
  });
});
