import { describe, it, expect, afterAll } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase } from '../../../test/support/test-db.js';
import { migrate } from '../db.js';

const t = await createTestDatabase({ migrate: false });
afterAll(() => t.close());

describe('0011-sms-segments on a database with texts already sent', () => {
  it('adds outbox.segments and counts it for sent SMS; pending rows and other channels stay null', async () => {
    await migrate(t.db, { before: '0011' });
    await sql`insert into tenants (id, slug, name, time_zone, phone) values ('tn_s', 's', 's', 'America/Toronto', '+14165550100')`.execute(t.db);
    const row = (id: string, body: string, status: string, channel = 'sms') =>
      sql`insert into outbox (id, tenant_id, idempotency_key, kind, channel, recipient, payload, status) values (${id}, 'tn_s', ${id}, 'sms.send', ${channel}, '+14165550177', ${JSON.stringify({ from: '+14165550100', body })}, ${status})`.execute(t.db);
    const old215 = "Hi Sam, it's Maple Plumbing & Heating — sorry we missed your call! What can we help you with? Reply here and we'll get right back to you. Or book a time: https://book.mapleplumbing.example/ — Dana & the Maple team";
    await row('ob_old', old215, 'sent');
    await row('ob_short', 'Thanks!', 'sent');
    await row('ob_pending', 'Later', 'pending');
    await row('ob_mcp', 'tool call', 'sent', 'mcp');

    await migrate(t.db);

    const got = Object.fromEntries((await t.db.selectFrom('outbox').select(['id', 'segments']).execute()).map((r) => [r.id, r.segments]));
    expect(got).toEqual({ ob_old: 4, ob_short: 1, ob_pending: null, ob_mcp: null });
  });
});
