import { describe, it, expect, afterAll } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase } from '../../../test/support/test-db.js';
import { migrate } from '../db.js';

const t = await createTestDatabase({ migrate: false });
afterAll(() => t.close());

describe('0013-calls on a database that already has data', () => {
  it('adds the calls table beside existing rows; one row per CallSid; status and mode are checked', async () => {
    await migrate(t.db, { before: '0013' });
    await sql`insert into tenants (id, slug, name, time_zone, phone) values ('tn_c', 'c', 'c', 'America/Toronto', '+14165550100')`.execute(t.db);
    await migrate(t.db);
    expect((await t.db.selectFrom('tenants').select('id').execute()).map((r) => r.id)).toEqual(['tn_c']);
    const row = (id: string, sid: string, mode = 'gather', status = 'in-progress') =>
      t.db.insertInto('calls').values({ id, tenant_id: 'tn_c', call_sid: sid, from_number: '+14165550177', to_number: '+14165550100', mode: mode as 'gather', status: status as 'ended' }).execute();
    await row('call_1', 'CA1');
    const got = await t.db.selectFrom('calls').selectAll().executeTakeFirstOrThrow();
    expect(got).toMatchObject({ state: {}, transcript: [], run_id: null, ended_at: null });
    await expect(row('call_2', 'CA1')).rejects.toThrow(/calls_call_sid/);
    await expect(row('call_3', 'CA3', 'fax')).rejects.toThrow(/calls_mode/);
    await expect(row('call_4', 'CA4', 'dial', 'lost')).rejects.toThrow(/calls_status/);
  });
});
