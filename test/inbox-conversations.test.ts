import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startHarness, eventually, AUTO_POLICY, tenantYaml, type Harness } from './support/harness.js';
import { newId } from '../src/core/ids.js';
import { appendMessage } from '../src/records/conversations.js';
import { raiseUnanswered } from '../src/awareness/unanswered-watcher.js';
import { checkUnanswered } from '../src/server/unanswered-schedule.js';

const OWNER = '+14165550999';
const A = { slug: 'acme', phone: '+14165550100', ownerPhone: OWNER, policy: AUTO_POLICY };
const HOURS = { slug: 'hoursco', phone: '+14165550300', ownerPhone: '+14165550998', policy: AUTO_POLICY };
const hoursYaml = tenantYaml(HOURS).replace('profile:\n', `profile:\n  hours: { mon: ["08:00", "17:00"], tue: ["08:00", "17:00"], wed: ["08:00", "17:00"], thu: ["08:00", "17:00"], fri: ["08:00", "17:00"], sat: closed, sun: closed }\n`)
  .replace('playbooks:\n', 'playbooks:\n  inbound-message:\n    unanswered_hours: 4\n');

let h: Harness;
let owner: string;

beforeAll(async () => {
  h = await startHarness([
    { ...A, files: { 'knowledge/faq.md': '# Services\n\n## Water heaters\n\nWe install and repair gas and electric water heaters of every brand.\n\n## Drain cleaning\n\nA drain cleaning costs $149 per drain.\n' } },
    { ...HOURS, files: { 'tenant.yaml': hoursYaml } },
  ]);
  owner = h.aios.cliTokens.get(A.slug)!;
});
afterAll(() => h?.stop());

const tid = (slug: string) => h.aios.tenants.bySlugOrThrow(slug).id;
const smsTo = (to: string) => h.sink.messages.filter((m) => m.to === to);
const signal = (slug: string, kind: string, subject: string) =>
  h.aios.db.selectFrom('signals').selectAll().where('tenant_id', '=', tid(slug)).where('kind', '=', kind).where('subject', '=', subject).executeTakeFirst();
const conversation = (slug: string, address: string) =>
  h.aios.db.selectFrom('conversations').selectAll().where('tenant_id', '=', tid(slug)).where('address', '=', address).executeTakeFirstOrThrow();
const runOf = (signalId: string) => h.aios.db.selectFrom('runs').selectAll().where('trigger_ref', '=', signalId).executeTakeFirst();

/** A customer the business already works with: a contact with a deal. */
async function knownCustomer(phone: string, name: string): Promise<string> {
  const id = newId('ct');
  await h.aios.db.insertInto('contacts').values({ id, tenant_id: tid(A.slug), phone, name, source: 'import', name_source: 'import', name_verified: true }).execute();
  await h.aios.db.insertInto('deals').values({ id: newId('deal'), tenant_id: tid(A.slug), contact_id: id, title: 'Furnace service', stage: 'booked', source: 'import' }).execute();
  return id;
}

describe('an inbound message nobody waited for', () => {
  it('from an unknown number asking a question becomes a new_lead (source sms) and texts no owner', async () => {
    const p = '+14165550401';
    const res = await h.sms(p, A.phone, 'do you fix water heaters?');
    expect(res.status).toBe(200);
    const lead = await eventually(() => signal(A.slug, 'new_lead', p), 10_000, 'new_lead signal');
    const contact = await h.aios.db.selectFrom('contacts').select('id').where('tenant_id', '=', tid(A.slug)).where('phone', '=', p).executeTakeFirstOrThrow();
    expect(lead.data).toMatchObject({ message: 'do you fix water heaters?', contactId: contact.id, phone: p, source: 'sms', intent: 'question' });
    expect(lead.severity).toBe('high');
    await eventually(async () => (await runOf((await signal(A.slug, 'inbound_unrouted', p))!.id))?.status === 'completed', 10_000, 'inbound run');
    expect(smsTo(OWNER)).toHaveLength(0);
    expect((await conversation(A.slug, p)).state).toBe('open');
  });

  it("a known customer's question is answered from the customer-facing knowledge", async () => {
    const p = '+14165550402';
    await knownCustomer(p, 'Dana Lee');
    await h.sms(p, A.phone, 'How much is a drain cleaning?');
    const [msg] = await eventually(async () => smsTo(p).length > 0 && smsTo(p), 10_000, 'the answer');
    expect(msg!.body).toContain('$149');
    expect(msg!.from).toBe(A.phone);
    expect(await signal(A.slug, 'new_lead', p)).toBeUndefined();
  });

  it('"my basement is flooding" from a known customer: EMERGENCY notice to the owner, conversation waiting, high signal', async () => {
    const p = '+14165550403';
    await knownCustomer(p, 'Sam Okafor');
    await h.sms(p, A.phone, 'my basement is flooding "Reply YES" https://evil.example/x');
    const [notice] = await eventually(async () => smsTo(OWNER).find((m) => m.body.includes('Sam Okafor')) && smsTo(OWNER).filter((m) => m.body.includes('Sam Okafor')), 10_000, 'owner notice');
    expect(notice!.body).toMatch(/EMERGENCY from Sam Okafor \(\+14165550403\), call them now/);
    expect(notice!.body).toContain('my basement is flooding');
    expect(notice!.body).not.toContain('https://evil.example');
    expect(notice!.body).toMatch(/Reply R[2-9]{3} <your answer>/);
    const cv = await eventually(async () => { const c = await conversation(A.slug, p); return c.state === 'waiting_for_owner' && c; }, 10_000, 'waiting state');
    expect(cv.waiting_since).not.toBeNull();
    expect(notice!.body).toContain(cv.handoff_code!);
    expect((await signal(A.slug, 'emergency', p))?.severity).toBe('high');
    expect(smsTo(p)).toHaveLength(0);
    const listed = await h.api(owner, 'GET', '/api/v1/conversations?state=waiting_for_owner');
    expect(listed.json.conversations.map((c: any) => c.address)).toContain(p);
  });

  it('the owner answers through the API: the customer gets it from the business number and the conversation is no longer waiting', async () => {
    const p = '+14165550403';
    const cv = await conversation(A.slug, p);
    const res = await h.api(owner, 'POST', `/api/v1/conversations/${cv.id}/reply`, { body: 'Turn off the main valve, Alex is on his way.' });
    expect(res.status).toBe(202);
    const [msg] = await eventually(async () => smsTo(p).length > 0 && smsTo(p), 10_000, 'owner reply at the customer');
    expect(msg!).toMatchObject({ from: A.phone, body: 'Turn off the main valve, Alex is on his way.' });
    await eventually(async () => (await conversation(A.slug, p)).state === 'open', 10_000, 'state cleared');
    const after = await conversation(A.slug, p);
    expect(after.waiting_since).toBeNull();
    expect(after.handoff_code).toBeNull();
    const aud = await h.aios.db.selectFrom('audit_log').selectAll().where('tenant_id', '=', tid(A.slug)).where('action', '=', 'conversation.reply').where('subject', '=', cv.id).executeTakeFirstOrThrow();
    expect(aud.actor).toMatch(/^user:/);
  });

  it('a token without decide cannot answer for the business (403); bad input is refused and stores nothing', async () => {
    const cv = await conversation(A.slug, '+14165550403');
    const t = await h.api(owner, 'POST', '/api/v1/tokens', { name: 'assistant-like', kind: 'integration', scopes: ['read', 'propose'] });
    expect(t.status).toBe(201);
    const signalsBefore = await h.aios.db.selectFrom('signals').select('id').where('kind', '=', 'owner_reply').execute();
    const denied = await h.api(t.json.token, 'POST', `/api/v1/conversations/${cv.id}/reply`, { body: 'hello' });
    expect(denied.status).toBe(403);
    expect(denied.json).toMatchObject({ error: 'forbidden', message: 'this token lacks the decide scope' });
    const empty = await h.api(owner, 'POST', `/api/v1/conversations/${cv.id}/reply`, { body: '   ' });
    expect(empty.status).toBe(400);
    expect(empty.json.fix).toBeTruthy();
    const missing = await h.api(owner, 'POST', '/api/v1/conversations/cv_nope/reply', { body: 'hi' });
    expect(missing.status).toBe(404);
    expect(await h.aios.db.selectFrom('signals').select('id').where('kind', '=', 'owner_reply').execute()).toHaveLength(signalsBefore.length);
  });

  it('a complaint is handed over; the owner answers the notice by SMS with its code', async () => {
    const p = '+14165550404';
    await knownCustomer(p, 'Kim Tran');
    await h.sms(p, A.phone, 'Very disappointed, the tap is still leaking after your visit');
    const notice = await eventually(async () => smsTo(OWNER).find((m) => m.body.includes('Kim Tran')), 10_000, 'complaint notice');
    expect(notice.body).toContain('(complaint)');
    expect(await signal(A.slug, 'complaint', p)).toBeDefined();
    const code = /Reply (R[2-9]{3})/.exec(notice.body)![1]!;
    const res = await h.sms(OWNER, A.phone, `${code} So sorry Kim, we will come back tomorrow at no charge.`);
    expect(await res.text()).toContain(`Sending your answer to ${p}`);
    const [msg] = await eventually(async () => smsTo(p).length > 0 && smsTo(p), 10_000, 'owner SMS reply at the customer');
    expect(msg!.body).toBe('So sorry Kim, we will come back tomorrow at no charge.');
    await eventually(async () => (await conversation(A.slug, p)).state === 'open', 10_000, 'state cleared');
    const again = await h.sms(OWNER, A.phone, `${code} one more thing`);
    expect(await again.text()).toContain('No conversation');
  });
});

describe("the owner's reply still meets the gate", () => {
  it('a foreign link in it is not sent until approved (outbound guard)', async () => {
    const p = '+14165550402';
    const before = smsTo(p).length;
    const cv = await conversation(A.slug, p);
    const res = await h.api(owner, 'POST', `/api/v1/conversations/${cv.id}/reply`, { body: 'Pay the deposit at https://pay.evil.example/acme' });
    expect(res.status).toBe(202);
    const approval = await eventually(() => h.aios.db.selectFrom('approvals').selectAll().where('run_id', '=', res.json.runId).executeTakeFirst(), 10_000, 'approval');
    expect(approval.status).toBe('pending');
    expect(JSON.stringify(approval.reasons)).toContain('foreign_link');
    expect(smsTo(p)).toHaveLength(before);
  });
});

describe('customer_unanswered watcher', () => {
  it('raises once per message after N business hours (counted inside profile.hours, tenant zone)', async () => {
    const tenant = h.aios.tenants.bySlugOrThrow(HOURS.slug);
    const p = '+14165550501';
    // Thursday 2026-12-03 15:00 in Toronto (20:00Z): 2 business hours Thursday, then Friday from 08:00.
    await appendMessage(h.aios.db, { tenantId: tenant.id, channel: 'sms', address: p, direction: 'inbound', body: 'Can someone call me about my furnace', at: new Date('2026-12-03T20:00:00Z') });
    expect(await raiseUnanswered(h.aios.db, tenant, new Date('2026-12-04T14:59:00Z'))).toHaveLength(0); // Fri 09:59: 3.98 h
    const raised = await raiseUnanswered(h.aios.db, tenant, new Date('2026-12-04T15:00:00Z')); // Fri 10:00: 4 h
    expect(raised.map((s) => [s.kind, s.subject])).toEqual([['customer_unanswered', p]]);
    expect(raised[0]!.data).toMatchObject({ businessHoursWaited: 4, body: 'Can someone call me about my furnace' });
    expect(await raiseUnanswered(h.aios.db, tenant, new Date('2026-12-07T15:00:00Z'))).toHaveLength(0); // once per message
  });

  it('a reply from the business ends the wait; "Thanks!" and the owner\'s own phone never count', async () => {
    const tenant = h.aios.tenants.bySlugOrThrow(HOURS.slug);
    const at = new Date('2026-12-01T14:00:00Z');
    await appendMessage(h.aios.db, { tenantId: tenant.id, channel: 'sms', address: '+14165550502', direction: 'inbound', body: 'Is Tuesday ok?', at });
    await appendMessage(h.aios.db, { tenantId: tenant.id, channel: 'sms', address: '+14165550502', direction: 'outbound', body: 'Yes, see you then', at: new Date(at.getTime() + 60_000) });
    await appendMessage(h.aios.db, { tenantId: tenant.id, channel: 'sms', address: '+14165550503', direction: 'inbound', body: 'Thanks!', at });
    await appendMessage(h.aios.db, { tenantId: tenant.id, channel: 'sms', address: HOURS.ownerPhone, direction: 'inbound', body: 'call the Smiths', at });
    await appendMessage(h.aios.db, { tenantId: tenant.id, channel: 'sms', address: '+14165550504', direction: 'inbound', body: 'Can you call me back?', at });
    const count = async () => (await h.aios.db.selectFrom('signals').select('id').where('kind', '=', 'customer_unanswered').execute()).length;
    const before = await count();
    const raised = await checkUnanswered({ db: h.aios.db, log: h.aios.log, clock: h.aios.clock, host: h.aios.host, tenants: h.aios.tenants }, new Date('2026-12-02T20:00:00Z'));
    const subjects = (await h.aios.db.selectFrom('signals').select('subject').where('tenant_id', '=', tenant.id).where('kind', '=', 'customer_unanswered').execute()).map((s) => s.subject);
    expect(subjects).not.toContain('+14165550502');
    expect(subjects).not.toContain('+14165550503');
    expect(subjects).not.toContain(HOURS.ownerPhone);
    expect(subjects).toContain('+14165550504');
    expect(raised).toBe((await count()) - before);
  });
});
