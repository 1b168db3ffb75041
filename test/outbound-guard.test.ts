import { wroteToUs } from './support/wrote-to-us.js';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startHarness, eventually, AUTO_POLICY, type Harness } from './support/harness.js';

/**
 * The outbound guard end to end, through the real HTTP server, the policy gate and a Twilio sink:
 * whoever writes a text (API or MCP caller, owner edit, a template fed with outside names), a link
 * or number other than the business's own never goes out on its own.
 */
const A = { slug: 'acme', phone: '+14165550100', ownerPhone: '+14165550111' };
const CUSTOMER = '+14165550142';
const PHISH = 'pay now at http://evil.example/pay or call +15550009999';
let h: Harness;
let token: string;
/** Proposals come from an assistant: the owner (token) decides them, never its own proposals. */
let assistant: string;

beforeAll(async () => {
  h = await startHarness([{ ...A, policy: AUTO_POLICY }]);
  token = h.aios.cliTokens.get(A.slug)!;
  const res = await fetch(`${h.aios.url}/api/v1/imports/contacts`, {
    method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
    body: `name,phone\nPriya Shah,${CUSTOMER}\nMarc Tremblay,+14165550143\n`,
  });
  expect(res.status).toBe(200);
  // They wrote to us before: the proposals below are inside a conversation (else rule outside_conversation asks the owner first).
  await wroteToUs(h, A.slug, [CUSTOMER, '+14165550143']);
  const created = await h.api(token, 'POST', '/api/v1/tokens', { name: 'guard-test assistant', kind: 'assistant' });
  expect(created.status).toBe(201);
  assistant = created.json.token;
});
afterAll(() => h?.stop());

const smsTo = (to: string) => h.sink.messages.filter((m) => m.to === to);
const approvalOfRun = (runId: string) =>
  eventually(async () => (await h.api(token, 'GET', '/api/v1/approvals')).json.approvals.find((a: any) => a.run_id === runId), 10_000, `approval of ${runId}`);
const propose = async (body: string, to = CUSTOMER) => {
  const r = await h.api(assistant, 'POST', '/api/v1/actions/sms', { to, body });
  expect(r.status).toBe(202);
  return r.json.runId as string;
};
const rules = (a: any): string[] => a.reasons.map((r: any) => r.rule);

describe('finding 2: a proposed text is checked like any other (sms.send: auto)', () => {
  it('an API proposal to an existing customer with a foreign link and number waits for the owner; nothing reaches Twilio', async () => {
    const runId = await propose(PHISH);
    const approval = await approvalOfRun(runId);
    expect(rules(approval)).toEqual(['foreign_link', 'foreign_number']);
    expect(approval.reasons[0].detail).toContain('http://evil.example/pay');
    expect(approval.reasons[1].detail).toContain('+15550009999');
    expect(approval.status).toBe('pending');
    await new Promise((r) => setTimeout(r, 300));
    expect(smsTo(CUSTOMER)).toHaveLength(0);
  });

  it('each disguise from the finding waits too: bare domain, www., full-width digits, 555-0001, spelled-out, ftp://', async () => {
    const disguises: Array<[string, string]> = [
      ['Pay your deposit at evil.example/pay today', 'foreign_link'],
      ['Details: www.evil.example', 'foreign_link'],
      ['Call us back on ５５５-０００-９９９９', 'foreign_number'],
      ['Call 555-0001 to confirm', 'foreign_number'],
      ['Call five five five oh one two three to confirm', 'foreign_number'],
      ['Your invoice: ftp://files.evil.example/inv.pdf', 'foreign_link'],
      ['Pay at evil\u200B.example/pay', 'foreign_link'],
      ['Pay at evil[.]example', 'foreign_link'],
    ];
    for (const [text, rule] of disguises) {
      const approval = await approvalOfRun(await propose(text));
      expect(rules(approval), text).toEqual([rule]);
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(smsTo(CUSTOMER)).toHaveLength(0);
  });

  it('the same text proposed over MCP (propose_sms) waits as well', async () => {
    const client = new Client({ name: 'assistant', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${h.aios.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
    try {
      const r = await client.callTool({ name: 'propose_sms', arguments: { to: '+14165550143', body: PHISH } });
      const { runId } = JSON.parse((r.content as Array<{ text: string }>)[0]!.text);
      expect(rules(await approvalOfRun(runId))).toEqual(['foreign_link', 'foreign_number']);
      expect(smsTo('+14165550143')).toHaveLength(0);
    } finally {
      await client.close();
    }
  });

  it("a text with only the business's own link and number still goes out by itself", async () => {
    await propose('Hi Priya, we can come Friday at 9. Book: https://book.example/acme or call (416) 555-0100.');
    const [msg] = await eventually(async () => smsTo(CUSTOMER).length === 1 && smsTo(CUSTOMER), 10_000, 'clean text');
    expect(msg!.body).toContain('book.example/acme');
  });

  it('an owner edit is the approval itself: sent as edited, and the audit says what the guard found in it', async () => {
    const runId = await propose(PHISH, '+14165550143');
    const approval = await approvalOfRun(runId);
    const edited = 'Hi Marc, please call our office at 555-0001 to settle the invoice.';
    const res = await h.api(token, 'POST', `/api/v1/approvals/${approval.id}/approve`, { body: edited });
    expect(res.status).toBe(200);
    const [msg] = await eventually(async () => smsTo('+14165550143').length === 1 && smsTo('+14165550143'), 10_000, 'edited text');
    expect(msg!.body).toBe(edited);
    const entry = await eventually(
      async () => h.aios.db.selectFrom('audit_log').selectAll().where('action', '=', 'approval.edit_checked').where('subject', '=', runId).executeTakeFirst(),
      10_000, 'audit entry',
    );
    expect(entry.detail).toMatchObject({ foreignLinks: [], foreignNumbers: ['555-0001'] });
    expect(entry.actor).toBe(res.json.approval.decided_by);
  });
});

describe('finding 3: a name from an anonymous website visitor', () => {
  const lead = async (name: string, phone: string) => {
    const res = await fetch(`${h.aios.url}/widget/${A.slug}/lead`, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'https://acme.example' }, body: JSON.stringify({ name, phone, message: 'Leaky tap' }) });
    expect(res.status).toBe(201);
  };
  const contactOf = (phone: string) => h.aios.db.selectFrom('contacts').selectAll().where('phone', '=', phone).executeTakeFirstOrThrow();
  // The missed-call text-back's own text (the widget lead above may be answered by lead-response
  // in the same moment: its text is not the one under test).
  const textAfterMissedCall = async (phone: string) => {
    const since = new Date();
    await h.voice(phone, A.phone);
    const row = await eventually(async () => h.aios.db.selectFrom('outbox').select(['payload']).where('recipient', '=', phone).where('status', '=', 'sent')
      .where('run_id', 'like', 'missed-call-text-back%').where('created_at', '>=', new Date(since.getTime() - 1000)).executeTakeFirst(), 10_000, `missed-call text to ${phone}`);
    return String((row.payload as { body: string }).body);
  };

  it('"evil.example/verify-your-payment" as a name is not stored, and the next missed-call text does not quote it', async () => {
    const phone = '+14165550171';
    await lead('evil.example/verify-your-payment', phone);
    expect((await contactOf(phone)).name).toBeNull();
    const body = await textAfterMissedCall(phone);
    expect(body).not.toContain('evil');
    expect(body).toMatch(/^Hi, it's acme Co/);
  });

  it("a visitor cannot rename an existing contact: the text still greets the customer's own name", async () => {
    await lead('Mallory', '+14165550143');
    expect(await contactOf('+14165550143')).toMatchObject({ name: 'Marc Tremblay', name_source: 'import', name_verified: true });
    expect(await textAfterMissedCall('+14165550143')).toMatch(/^Hi Marc, it's acme Co/);
  });

  it("a visitor's name on a new number is kept unverified and never quoted in a text", async () => {
    const phone = '+14165550172';
    await lead('Mallory', phone);
    expect(await contactOf(phone)).toMatchObject({ name: 'Mallory', name_source: 'visitor', name_verified: false });
    const body = await textAfterMissedCall(phone);
    expect(body).not.toContain('Mallory');
    expect(body).toMatch(/^Hi, it's acme Co/);
  });

  it('caller ID is cleaned before it enters the template', async () => {
    const phone = '+14165550173';
    await h.voice(phone, A.phone, { callerName: 'Call 555 000 9999' });
    const body = (await eventually(async () => smsTo(phone)[0], 10_000, 'text')).body;
    expect(body).not.toMatch(/555/);
    expect((await contactOf(phone)).name).toBeNull();
  });
});
