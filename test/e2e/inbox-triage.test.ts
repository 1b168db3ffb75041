import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import { requireServices, DOVECOT_USER, SERVICES } from './services.js';
import { startHarness, eventually, type Harness } from '../support/harness.js';

/**
 * Inbox triage against the real Dovecot: a customer's mail delivered over LMTP (then moved by this
 * test into a mailbox of its own run, so no other suite's mail is touched) is polled by AIOS,
 * triaged, labelled in Dovecot (`AIOS/Customer_request` keyword, seen by a second IMAP client),
 * answered after the owner's approval in the right thread at the SMTP sink, and relabelled by the
 * owner: the keyword follows.
 */
const RUN = `${process.pid}-${Date.now()}`;
const MAILBOX = `AIOS-Triage-${RUN}`;
const MESSAGE_ID = `<triage-${RUN}@customer.example>`;
const PHONE = '+14165550800';
const POLICY = `version: 1
default: approve
actions:
  sms.send: auto
  email.label: auto
first_contact: approve
max_per_recipient_per_day: 5
over_limit: never
`;
const TENANT = `slug: triage
name: Ace Plumbing
time_zone: America/Toronto
phone: "${PHONE}"
owner:
  name: Sam
profile:
  tone: friendly
`;
const FAQ = '# Services\n\n## Drain cleaning\n\nA drain cleaning costs $149 per drain.\n';
const imap = () => new ImapFlow({ host: DOVECOT_USER.host, port: DOVECOT_USER.port, secure: false, auth: { user: DOVECOT_USER.user, pass: DOVECOT_USER.password }, logger: false });

let h: Harness;
let smtp: SMTPServer;
let token: string;
const received: Buffer[] = [];

async function flagsOf(): Promise<string[]> {
  const c = imap();
  await c.connect();
  try {
    await c.mailboxOpen(MAILBOX);
    const uids = (await c.search({ header: { 'message-id': MESSAGE_ID } }, { uid: true })) || [];
    if (!uids.length) return [];
    const m = await c.fetchOne(String(uids[0]), { flags: true }, { uid: true });
    return m ? [...(m.flags ?? [])] : [];
  } finally {
    await c.logout();
  }
}

beforeAll(async () => {
  await requireServices(['dovecot']);
  smtp = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'],
    onData(stream, _s, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (d: Buffer) => chunks.push(d));
      stream.on('end', () => { received.push(Buffer.concat(chunks)); cb(); });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
  // Delivered over LMTP like real mail, then moved into this run's own mailbox.
  const raw = [
    'From: Ana Lopez <ana.triage@customer.example>', 'To: test@shop.example', 'Subject: Question about the repair',
    `Message-ID: ${MESSAGE_ID}`, `Date: ${new Date().toUTCString()}`, 'Content-Type: text/plain; charset=utf-8', '',
    'Hi, since your visit the drain is slow again. How much does a drain cleaning cost? Thanks for the great work so far.', '',
  ].join('\r\n');
  const t = nodemailer.createTransport({ host: SERVICES.dovecotLmtp.host, port: SERVICES.dovecotLmtp.port, lmtp: true, secure: false, ignoreTLS: true });
  await t.sendMail({ envelope: { from: 'ana.triage@customer.example', to: ['test@shop.example'] }, raw });
  t.close();
  const c = imap();
  await c.connect();
  await c.mailboxCreate(MAILBOX);
  const lock = await c.getMailboxLock('INBOX');
  try {
    const uids = await eventually(async () => { const u = (await c.search({ header: { 'message-id': MESSAGE_ID } }, { uid: true })) || []; return u.length ? u : undefined; }, 10_000, 'the LMTP delivery');
    await c.messageMove(uids, MAILBOX, { uid: true });
  } finally {
    lock.release();
    await c.logout();
  }
  const port = (smtp.server.address() as { port: number }).port;
  h = await startHarness([{ slug: 'triage', phone: PHONE, policy: POLICY, files: { 'tenant.yaml': TENANT, 'knowledge/faq.md': FAQ } }], {
    config: { AIOS_SMTP_URL: `smtp://127.0.0.1:${port}`, AIOS_SMTP_FROM: '"Ace Plumbing" <hello@ace.example>' },
  });
  token = h.aios.cliTokens.get('triage')!;
});
afterAll(async () => {
  await h?.stop();
  if (smtp) await new Promise<void>((r) => smtp.close(() => r()));
  const c = imap();
  await c.connect().then(() => c.mailboxDelete(MAILBOX)).catch(() => undefined);
  await c.logout().catch(() => undefined);
});

describe('inbox triage with Dovecot', () => {
  it('polls, triages, labels in Dovecot, answers in the thread after approval, and follows a relabel', async () => {
    const r = await h.api(token, 'POST', '/api/v1/connections', {
      kind: 'imap', name: 'inbox',
      credentials: { host: DOVECOT_USER.host, port: DOVECOT_USER.port, secure: false, user: DOVECOT_USER.user, password: DOVECOT_USER.password, mailbox: MAILBOX },
    });
    expect(r.status).toBe(201);
    const listed = await eventually(async () => {
      const e = (await h.api(token, 'GET', '/api/v1/emails')).json.emails;
      return e.length ? e : undefined;
    }, 30_000, 'the triaged mail');
    expect(listed[0]).toMatchObject({ from: 'ana.triage@customer.example', category: 'customer_request', source: 'classifier', messageId: MESSAGE_ID });
    expect(await eventually(async () => (await flagsOf()).includes('AIOS/Customer_request') && (await flagsOf()), 20_000, 'the AIOS keyword in Dovecot')).toContain('AIOS/Customer_request');

    const approval = await eventually(async () => (await h.api(token, 'GET', '/api/v1/approvals')).json.approvals.find((a: any) => a.recipient === 'ana.triage@customer.example'), 20_000, 'approval of the reply');
    expect(received).toHaveLength(0);
    expect((await h.api(token, 'POST', `/api/v1/approvals/${approval.id}/approve`, {})).status).toBe(200);
    await eventually(async () => received.length === 1, 20_000, 'the reply at the SMTP sink');
    const mail = await simpleParser(received[0]!);
    expect(mail.inReplyTo).toBe(MESSAGE_ID);
    expect(mail.references).toBe(MESSAGE_ID);
    expect(mail.subject).toBe('Re: Question about the repair');
    expect(mail.text).toContain('$149');

    const rl = await h.api(token, 'POST', `/api/v1/emails/${listed[0].id}/category`, { category: 'billing' });
    expect(rl.status).toBe(200);
    const flags = await eventually(async () => { const f = await flagsOf(); return f.includes('AIOS/Billing') && f; }, 20_000, 'the relabelled keyword');
    expect(flags).not.toContain('AIOS/Customer_request');
  });
});
