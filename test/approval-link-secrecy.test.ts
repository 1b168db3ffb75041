import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { sql } from 'kysely';
import { startHarness, eventually, APPROVE_FIRST_POLICY, type Harness } from './support/harness.js';

/**
 * The approval link is a bearer secret: whoever holds it decides. The owner gets it by SMS (Twilio
 * necessarily has that copy), but AIOS keeps it nowhere in plaintext: not in the outbox, the
 * conversation, events, audit, approvals, runs, nor DBOS's checkpoints and messages.
 */
const A = { slug: 'acme', phone: '+14165550100', ownerPhone: '+14165550111', policy: APPROVE_FIRST_POLICY };
let h: Harness;
beforeAll(async () => {
  h = await startHarness([A]);
});
afterAll(() => h?.stop());

/** Every row of every table in the public and dbos schemas whose text contains `needle`. */
async function rowsContaining(needle: string): Promise<string[]> {
  const tables = await sql<{ s: string; t: string }>`
    select table_schema as s, table_name as t from information_schema.tables
    where table_schema in ('public', 'dbos') and table_type = 'BASE TABLE'`.execute(h.aios.db);
  expect(tables.rows.map((r) => `${r.s}.${r.t}`)).toEqual(expect.arrayContaining(['public.outbox', 'public.messages', 'dbos.operation_outputs', 'dbos.workflow_status', 'dbos.notifications']));
  const hits: string[] = [];
  for (const { s, t } of tables.rows) {
    const found = await sql<{ row: string }>`select x::text as row from ${sql.table(`${s}.${t}`)} x where strpos(x::text, ${needle}) > 0`.execute(h.aios.db);
    for (const r of found.rows) hits.push(`${s}.${t}: ${r.row.slice(0, 200)}`);
  }
  return hits;
}

describe('approval links are never stored in plaintext', () => {
  it('after a full approval round (notice, link opened, approved, sent, reply) no table holds the token', async () => {
    const caller = '+14165550160';
    const token = h.aios.cliTokens.get(A.slug)!;
    await h.voice(caller, A.phone);
    const notice = await eventually(async () => h.sink.messages.find((m) => m.to === A.ownerPhone), 10_000, 'owner notice');
    const link = /http:\/\/\S+\/a\/([A-Za-z0-9_-]+)/.exec(notice.body)!;
    const secret = link[1]!;
    expect(secret.length).toBeGreaterThanOrEqual(32);

    expect((await fetch(link[0])).status).toBe(200);
    const approval = (await h.api(token, 'GET', '/api/v1/approvals')).json.approvals[0];
    const decided = await fetch(link[0], { method: 'POST', body: new URLSearchParams({ decision: 'approve', body: approval.proposal.body }) });
    expect(decided.status).toBe(200);
    await eventually(async () => h.sink.messages.some((m) => m.to === caller), 10_000, 'text to the caller');
    await h.sms(caller, A.phone, 'Thanks, please call me back');
    // The reply opens a deal and the conversation goes on (the run answers it and waits again).
    await eventually(async () => (await h.api(token, 'GET', '/api/v1/deals')).json.deals.length === 1, 10_000, 'deal from the reply');
    await eventually(async () => (await h.api(token, 'GET', `/api/v1/runs/${encodeURIComponent(approval.run_id)}`)).json.run.status === 'waiting', 10_000, 'run waiting again');

    expect(await rowsContaining(secret)).toEqual([]);
    // The conversation keeps the notice as sent, with the link redacted.
    const t = h.aios.tenants.bySlugOrThrow(A.slug);
    const kept = await h.aios.db.selectFrom('messages').innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
      .select('messages.body').where('messages.tenant_id', '=', t.id).where('conversations.address', '=', A.ownerPhone).executeTakeFirstOrThrow();
    expect(kept.body).toBe(notice.body.replace(secret, '[link]'));
  });
});
