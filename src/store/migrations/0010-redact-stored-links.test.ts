import { describe, it, expect, afterAll } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase } from '../../../test/support/test-db.js';
import { migrate } from '../db.js';

const t = await createTestDatabase({ migrate: false });
afterAll(() => t.close());

describe('0010-redact-stored-links on a database written before links were derived', () => {
  it('removes old approval-link tokens from stored notices, Twilio answers and messages; other texts stay', async () => {
    await migrate(t.db, { before: '0010' });
    const token = 'Zx9_-' + 'a'.repeat(38);
    const notice = `Maple AIOS: OK to text +14165550177? "Hi" Decide: http://127.0.0.1:4400/a/${token}`;
    await sql`insert into tenants (id, slug, name, time_zone, phone) values ('tn_r', 'r', 'r', 'America/Toronto', '+14165550100')`.execute(t.db);
    await sql`insert into contacts (id, tenant_id, phone) values ('ct_o', 'tn_r', '+14165550199'), ('ct_c', 'tn_r', '+14165550177')`.execute(t.db);
    await sql`insert into conversations (id, tenant_id, contact_id, channel, address) values ('cv_o', 'tn_r', 'ct_o', 'sms', '+14165550199'), ('cv_c', 'tn_r', 'ct_c', 'sms', '+14165550177')`.execute(t.db);
    await sql`insert into outbox (id, tenant_id, idempotency_key, kind, channel, recipient, payload, status, provider_response, provider_ref) values
      ('ob_n', 'tn_r', 'k1', 'owner.notify', 'sms', '+14165550199', ${JSON.stringify({ from: '+14165550100', body: notice })}, 'sent', ${JSON.stringify({ sid: 'SM1', body: notice })}, 'SM1'),
      ('ob_c', 'tn_r', 'k2', 'sms.send', 'sms', '+14165550177', ${JSON.stringify({ from: '+14165550100', body: 'See https://book.example/a/maple-plumbing-booking-page-2026' })}, 'sent', null, 'SM2')`.execute(t.db);
    await sql`insert into messages (id, tenant_id, conversation_id, direction, body, external_id) values
      ('m1', 'tn_r', 'cv_o', 'outbound', ${notice}, 'SM1'),
      ('m2', 'tn_r', 'cv_c', 'outbound', 'Book: https://book.example/a/maple-plumbing-booking-page-2026', 'SM2')`.execute(t.db);

    await migrate(t.db);

    const dump = (await sql<{ t: string }>`select (select json_agg(o)::text from outbox o) || (select json_agg(m)::text from messages m) as t`.execute(t.db)).rows[0]!.t;
    expect(dump).not.toContain(token);
    const n = await t.db.selectFrom('outbox').select(['payload', 'provider_response']).where('id', '=', 'ob_n').executeTakeFirstOrThrow();
    expect((n.payload as { body: string }).body).toBe('Maple AIOS: OK to text +14165550177? "Hi" Decide: http://127.0.0.1:4400/a/[link]');
    expect((n.provider_response as { body: string }).body).toContain('/a/[link]');
    const m1 = await t.db.selectFrom('messages').select('body').where('id', '=', 'm1').executeTakeFirstOrThrow();
    expect(m1.body).toContain('/a/[link]');
    // A customer text is not a notice: its link is the business's own and stays as written.
    const c = await t.db.selectFrom('outbox').select('payload').where('id', '=', 'ob_c').executeTakeFirstOrThrow();
    expect((c.payload as { body: string }).body).toBe('See https://book.example/a/maple-plumbing-booking-page-2026');
    const m2 = await t.db.selectFrom('messages').select('body').where('id', '=', 'm2').executeTakeFirstOrThrow();
    expect(m2.body).toBe('Book: https://book.example/a/maple-plumbing-booking-page-2026');
  });
});
