import { runCli } from './support/cli-in-process.js';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.js';
import { simpleParser, type ParsedMail } from 'mailparser';
import { startHarness, eventually, type Harness } from './support/harness.js';
import { emailCommands } from '../src/cli/email-commands.js';
import { appendEvent } from '../src/connection/events.js';
import { connectorItemFiler } from '../src/server/connectors.js';

/**
 * Inbox triage through the harness (real AIOS on the embedded PostgreSQL, SMTP sink): a mail filed
 * as a connector poll files it → `email_received` → the inbox-triage run → category stored →
 * grounded reply through the policy (first contact → owner approval) → the SMTP sink gets the
 * reply threaded; a lead raises new_lead; spam is only labelled; the owner's relabel is learnt.
 */
const PHONE = '+14165550700';
const POLICY = `version: 1
default: approve
actions:
  sms.send: auto
  email.label: never
first_contact: approve
max_per_recipient_per_day: 5
over_limit: never
`;
const TENANT = `slug: inbox
name: Ace Plumbing
time_zone: America/Toronto
phone: "${PHONE}"
owner:
  name: Sam
profile:
  tone: friendly
  sign_off: Sam at Ace Plumbing
playbooks:
  inbox-triage:
    own_addresses: [sam@ace.example]
`;
const FAQ = '# Services\n\n## Drain cleaning\n\nA drain cleaning costs $149 per drain.\n\n## Opening hours\n\nWe are open Monday to Friday from 8 am to 5 pm.\n';

let h: Harness;
let smtp: SmtpSink;
let owner: string;

beforeAll(async () => {
  smtp = await startSmtpSink();
  h = await startHarness([{ slug: 'inbox', phone: PHONE, policy: POLICY, files: { 'tenant.yaml': TENANT, 'knowledge/faq.md': FAQ } }], {
    config: { AIOS_SMTP_URL: smtp.url, AIOS_SMTP_FROM: '"Ace Plumbing" <hello@ace.example>' },
  });
  owner = h.aios.cliTokens.get('inbox')!;
});
afterAll(async () => {
  await h?.stop();
  await smtp?.close();
});

const tid = () => h.aios.tenants.bySlugOrThrow('inbox').id;
let n = 0;

/** Files a mail exactly as a connector poll does: event + filing + email_received + runs in one transaction, runs started after it. */
async function deliver(m: { from: string; name?: string; subject: string; text: string; messageId?: string; references?: string[]; bulk?: boolean }): Promise<string> {
  const filer = connectorItemFiler(h.aios.services.secretBox, { host: h.aios.host, ownAddresses: () => ['sam@ace.example'] });
  const messageId = m.messageId ?? `<m${++n}.${Date.now()}@mail.example>`;
  const item = {
    externalId: messageId, type: 'email.received', occurredAt: new Date(),
    payload: { messageId, inReplyTo: null, references: m.references ?? [], from: [{ address: m.from, name: m.name ?? '' }], to: [{ address: 'hello@ace.example', name: '' }], cc: [], subject: m.subject, date: null, text: m.text, attachments: [], size: 100, listUnsubscribe: m.bulk ?? false, precedence: m.bulk ? 'bulk' : null },
  };
  const { eventId, after } = await h.aios.db.transaction().execute(async (tx) => {
    const { event } = await appendEvent(tx, { tenantId: tid(), source: 'imap', type: item.type, dedupKey: `test:${messageId}`, occurredAt: item.occurredAt, payload: { ...item.payload, connectionId: 'conn_none' } });
    return { eventId: event.id, after: await filer(tx, item, { eventId: event.id, tenantId: tid(), connectionId: 'conn_none' }) };
  });
  if (typeof after === 'function') await after();
  return eventId;
}
const triageOf = (eventId: string) => h.aios.db.selectFrom('email_triage').selectAll().where('event_id', '=', eventId).executeTakeFirst();
const runFor = async (eventId: string) => {
  const sig = await h.aios.db.selectFrom('signals').select('id').where('tenant_id', '=', tid()).where('dedup_key', '=', `email_received:${eventId}`).executeTakeFirst();
  return sig ? h.aios.db.selectFrom('runs').selectAll().where('trigger_ref', '=', sig.id).executeTakeFirst() : undefined;
};

describe('inbox triage', () => {
  it("a customer's question: stored category with a reason, grounded reply approved by the owner, sent in the thread", async () => {
    const eventId = await deliver({ from: 'ana@customer.example', name: 'Ana Lopez', subject: 'Question about the repair: how much is a drain cleaning?', text: 'Hi, since your visit the drain is slow again. How much does a drain cleaning cost? Thanks for the great work so far.', references: ['<first@customer.example>'], messageId: '<q1@customer.example>' });
    const t = await eventually(() => triageOf(eventId), 15_000, 'triage row');
    expect(t).toMatchObject({ category: 'customer_request', source: 'classifier', from_address: 'ana@customer.example', message_id: '<q1@customer.example>' });
    expect(t.reason).toMatch(/^words: /);
    const approval = await eventually(async () => {
      const r = await h.api(owner, 'GET', '/api/v1/approvals');
      return r.json.approvals.find((a: any) => a.recipient === 'ana@customer.example');
    }, 15_000, 'approval of the reply');
    expect(approval.reasons.map((r: any) => r.rule)).toContain('first_contact');
    expect(smtp.received).toHaveLength(0);
    expect((await h.api(owner, 'POST', `/api/v1/approvals/${approval.id}/approve`, {})).status).toBe(200);
    await eventually(async () => smtp.received.length === 1, 15_000, 'the reply at the SMTP sink');
    const mail: ParsedMail = await simpleParser(smtp.received[0]!);
    expect(mail.subject).toBe('Re: Question about the repair: how much is a drain cleaning?');
    expect(mail.inReplyTo).toBe('<q1@customer.example>');
    expect(mail.references).toEqual(['<first@customer.example>', '<q1@customer.example>']);
    expect(mail.text).toContain('$149');
    expect(mail.text).toContain('Hi Ana,');
    const run = await eventually(async () => { const r = await runFor(eventId); return r?.status === 'completed' && r; }, 15_000, 'run completed');
    // The mailbox label went through the policy too, which refuses it here.
    expect(run.summary).toMatch(/customer_request .*label refused.*reply sent in the thread/);
  });

  it('a new enquiry raises new_lead for the lead playbook; spam and newsletters are only labelled', async () => {
    const lead = await deliver({ from: 'new.person@gmail.com', name: 'Pat', subject: 'Quote for a new bathroom', text: 'Hello, we found you online and would like a quote for a new bathroom. How much would it cost?' });
    const sig = await eventually(() => h.aios.db.selectFrom('signals').selectAll().where('tenant_id', '=', tid()).where('kind', '=', 'new_lead').where('subject', '=', 'new.person@gmail.com').executeTakeFirst(), 15_000, 'new_lead');
    expect(sig.data).toMatchObject({ email: 'new.person@gmail.com', source: 'email', eventId: lead });
    const spam = await deliver({ from: 'winner@prize-center.biz', subject: 'You have WON $1,000,000', text: 'Congratulations! Claim your prize now, click here and send your bank details. Act now!!!' });
    const news = await deliver({ from: 'news@shop-mail.com', subject: 'Our biggest sale of the season', text: 'Shop now and save 30%. Unsubscribe or manage your email preferences.', bulk: true });
    for (const [id, cat] of [[spam, 'spam'], [news, 'newsletter']] as const) {
      const run = await eventually(async () => { const r = await runFor(id); return r?.status === 'completed' && r; }, 15_000, `${cat} run`);
      expect((await triageOf(id))!.category).toBe(cat);
      expect(run.summary).not.toMatch(/reply/);
    }
    expect(smtp.received).toHaveLength(1);
  });

  it("the business's own mail and a mail without text are not triaged / skipped with the reason", async () => {
    const own = await deliver({ from: 'Sam@Ace.example', subject: 'Re: your quote', text: 'Here is the quote.' });
    expect(await runFor(own)).toBeUndefined();
    const empty = await deliver({ from: 'blank@customer.example', subject: 'scan', text: '   ' });
    const run = await eventually(async () => { const r = await runFor(empty); return r?.status === 'completed' && r; }, 15_000, 'empty mail run');
    expect(run.summary).toBe('skipped: the mail has no text part (nothing to read)');
    expect(await triageOf(empty)).toBeUndefined();
  });

  it('a question the knowledge cannot answer is handed to the owner, not guessed', async () => {
    const id = await deliver({ from: 'lee@customer.example', subject: 'Question about the repair', text: 'Hi, since your visit the tap drips again. Do you guarantee the parts you fitted for ten years? Thanks for the great work.' });
    const run = await eventually(async () => { const r = await runFor(id); return r?.status === 'completed' && r; }, 15_000, 'run');
    expect(run.summary).toMatch(/handed to the owner \(R\d{3}\): the knowledge cannot answer/);
    const conv = await h.aios.db.selectFrom('conversations').selectAll().where('tenant_id', '=', tid()).where('address', '=', 'lee@customer.example').executeTakeFirstOrThrow();
    expect(conv.state).toBe('waiting_for_owner');
    expect(smtp.received).toHaveLength(1);
  });

  it('the owner relabels a sender (API): stored as a correction, listed, and the next mail from them follows it', async () => {
    const first = await deliver({ from: 'jo@friends.example', subject: 'Quote for a new kitchen', text: 'Could you give me a price for a new kitchen? How much would it cost?' });
    const t = await eventually(() => triageOf(first), 15_000, 'triage row');
    expect(t.category).toBe('lead');
    const bad = await h.api(owner, 'POST', `/api/v1/emails/${t.id}/category`, { category: 'friend' });
    expect(bad.status).toBe(400);
    const r = await h.api(owner, 'POST', `/api/v1/emails/${t.id}/category`, { category: 'personal' });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ previous: 'lead', changed: true, email: { category: 'personal', source: 'owner' } });
    const corr = await h.aios.db.selectFrom('triage_corrections').selectAll().where('triage_id', '=', t.id).execute();
    expect(corr).toHaveLength(1);
    const listed = await h.api(owner, 'GET', '/api/v1/emails?category=personal');
    expect(listed.json.emails.map((e: any) => e.id)).toContain(t.id);
    const second = await deliver({ from: 'jo@friends.example', subject: 'Quote for the garden shed', text: 'And how much would a garden shed cost?' });
    const t2 = await eventually(() => triageOf(second), 15_000, 'second triage row');
    expect(t2).toMatchObject({ category: 'personal', source: 'classifier' });
    expect(t2.reason).toContain('rule: the owner filed mail from jo@friends.example as personal');
    expect((await h.api(owner, 'GET', '/api/v1/emails?category=nope')).status).toBe(400);
  });

  it('aios emails lists triaged mail; aios relabel corrects one', async () => {
    const target = { url: h.aios.url, token: owner, slug: 'inbox', home: h.home };
    const aios = (...args: string[]) => runCli((p) => emailCommands(p, () => target), ...args);
    const spam = JSON.parse(await aios('emails', '--category', 'spam', '--json')) as Array<{ id: string; category: string; from: string; reason: string }>;
    expect(spam.length).toBeGreaterThan(0);
    expect(spam.every((e) => e.category === 'spam' && e.reason)).toBe(true);
    const out = await aios('relabel', spam[0]!.id, 'newsletter');
    expect(out).toContain(`${spam[0]!.id}: spam → newsletter; learnt from it`);
    expect(await aios('relabel', spam[0]!.id, 'newsletter')).toContain('is already newsletter');
  });
});
